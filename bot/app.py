"""Build the Application from Settings: services, handlers, lifecycle."""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
import signal
import sys
from typing import NoReturn

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    PreCheckoutQueryHandler,
    TypeHandler,
    filters,
)

from bot.albums import Albums
from bot.config import ConfigError, Settings, load_settings
from bot.credits import Ledger, Pricing
from bot.delivery import Courier
from bot.handlers import (
    account,
    admin,
    buttons,
    commands,
    describe_blend,
    flow_buttons,
    gate,
    messages,
    payments,
    photos,
)
from bot.handlers import history as history_list
from bot.handlers import inline as inline_sharing
from bot.handlers import settings as chat_settings
from bot.i18n import Translator, locales_dir
from bot.jobs import JobService
from bot.lock import LockError, lock_database
from bot.media import Media
from bot.menus import Menus
from bot.originals import Originals
from bot.outbox import Outbox
from bot.prompt_images import PromptImages
from bot.providers import make_provider
from bot.providers.tasks import Capability
from bot.redact import Redactor, redact_logs
from bot.services import Services
from bot.store import Database
from bot.telegram_http import AiohttpRequest
from bot.tracker import Tracker
from bot.web import ServeError, WebServer

log = logging.getLogger(__name__)

# The updates the handlers take, asked for in both modes.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.PRE_CHECKOUT_QUERY,
]
# PTB's own pool sizes: many calls at once, one getUpdates at a time.
CALL_CONNECTIONS, GET_UPDATES_CONNECTIONS = 256, 1


def build_application(settings: Settings) -> Application:
    api = settings.telegram_api_url
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .request(AiohttpRequest(CALL_CONNECTIONS))
        .get_updates_request(AiohttpRequest(GET_UPDATES_CONNECTIONS))
        .rate_limiter(Outbox())
        .concurrent_updates(True)
        .build()
    )
    app.bot_data["settings"] = settings
    app.add_handler(TypeHandler(Update, gate.gate), group=-1)
    admins = filters.User(user_id=settings.admin_user_ids)
    for name, command in (
        ("stats", admin.stats),
        ("ban", admin.ban),
        ("unban", admin.unban),
        ("grant", admin.grant),
        ("refund", admin.refund),
    ):
        app.add_handler(CommandHandler(name, command, filters=admins))
    app.add_handler(CommandHandler(["me", "balance"], account.me))
    app.add_handler(CommandHandler("language", account.language))
    app.add_handler(CommandHandler("buy", payments.buy))
    app.add_handler(CallbackQueryHandler(account.on_language, pattern=r"^l:"))
    app.add_handler(CallbackQueryHandler(payments.on_pack, pattern=r"^b:"))
    app.add_handler(PreCheckoutQueryHandler(payments.pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, payments.paid))
    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler("imagine", commands.imagine))
    app.add_handler(CommandHandler("describe", describe_blend.describe_command))
    app.add_handler(CommandHandler("blend", describe_blend.blend_command))
    app.add_handler(CommandHandler("settings", chat_settings.show_settings))
    app.add_handler(CommandHandler("history", history_list.show_history))
    app.add_handler(CallbackQueryHandler(history_list.on_history_button, pattern=r"^h:"))
    app.add_handler(InlineQueryHandler(inline_sharing.on_inline_query))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, messages.migrated))
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, messages.private_text))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, messages.group_text))
    app.add_handler(MessageHandler(filters.PHOTO, photos.photo_prompt))
    app.add_handler(MessageHandler(filters.COMMAND, messages.unknown_command))
    unusable = filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(unusable, messages.unusable))
    app.add_handler(CallbackQueryHandler(chat_settings.on_setting, pattern=r"^p:"))
    app.add_handler(CallbackQueryHandler(buttons.on_full_size, pattern=r"^d:"))
    app.add_handler(CallbackQueryHandler(flow_buttons.on_flow_button, pattern=r"^f:"))
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    app.add_error_handler(on_error)
    return app


async def start_services(app: Application) -> None:
    """Open the store, the provider and the tracker; serve HTTP and set the webhook where
    the settings ask for it; resume unfinished jobs."""
    settings: Settings = app.bot_data["settings"]
    translate = Translator(locales_dir(), settings.default_locale)
    db = await Database.open(settings.database_path)
    provider = make_provider(settings)
    courier = Courier(app.bot, db, provider, translate, edit_interval=settings.status_edit_interval)
    calls_back = settings.public_url and Capability.WEBHOOK in provider.capabilities
    media = Media(settings.database_path.parent / "media", settings.public_url)
    images = PromptImages(app.bot, media)
    tracker = Tracker(
        db,
        provider,
        courier,
        poll_interval=settings.mj_poll_interval,
        job_timeout=settings.mj_job_timeout,
        submit_timeout=settings.mj_submit_timeout,
        http_timeout=settings.mj_http_timeout,
        hook_url=f"{settings.public_url}/provider" if calls_back else None,
        images=images,
    )
    pricing = Pricing(
        settings.credit_costs, settings.daily_free_credits, settings.max_jobs_per_user
    )
    ledger = Ledger(db.connection, pricing)
    jobs = JobService(db, provider, tracker, courier, images, ledger)
    menus = Menus(
        app.bot, translate, provider, settings.admin_user_ids, sells=bool(settings.stars_packs)
    )
    originals = Originals(app.bot, db, provider)
    albums = Albums(db.albums, functools.partial(photos.album_complete, app))
    app.bot_data["services"] = Services(
        translate,
        db,
        provider,
        courier,
        tracker,
        jobs,
        media,
        originals,
        images,
        albums,
        ledger,
        menus,
        settings.stars_packs,
    )
    await start_web(app, db, media, tracker)
    await tracker.start()
    await albums.resume()
    await menus.set_up(db)
    log.info("bot @%s ready with provider %s", app.bot.username, provider.name)


async def start_web(app: Application, db: Database, media: Media, tracker: Tracker) -> None:
    """Serve HTTP when the settings ask for it; in webhook mode, point Telegram at it, and
    take the provider's callbacks where the tracker asks for them. Raises ServeError when
    the port is taken, TelegramError when the webhook is refused."""
    settings: Settings = app.bot_data["settings"]
    port = settings.server_port
    if port is None:
        return
    secret = None
    if settings.public_url:
        secret = (
            settings.webhook_secret.get_secret_value()
            if settings.webhook_secret
            else await db.meta.setdefault("webhook_secret", secrets.token_urlsafe(32))
        )
    server = WebServer(app, db, media, secret, tracker if tracker.hook_url else None)
    await server.start(port)
    app.bot_data["web"] = server
    if secret is not None:
        await app.bot.set_webhook(
            f"{settings.public_url}/telegram", allowed_updates=ALLOWED_UPDATES, secret_token=secret
        )
    mode = f"webhook at {settings.public_url}/telegram" if secret else "no webhook"
    log.info("serving HTTP on port %d, %s", server.port, mode)


async def stop_services(app: Application) -> None:
    await stop_receiving(app)
    s: Services | None = app.bot_data.pop("services", None)
    if s is None:
        return
    await s.albums.stop()
    await s.tracker.stop()
    await s.courier.close(grace=2.0)
    await s.provider.aclose()
    await s.db.close()


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error(
        "update %s could not be handled", getattr(update, "update_id", "?"), exc_info=context.error
    )


def main() -> None:
    """Run the bot. A start-up failure is one line on stderr, naming what to fix, and status 2."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.captureWarnings(True)
    # httpx logs every request URL at INFO: too much for an operator.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"mjbot: {error}", file=sys.stderr)
        sys.exit(2)
    redact = Redactor(settings.secrets())
    redact_logs(redact)

    def refuse(message: str) -> NoReturn:
        print(f"mjbot: {redact(message)}", file=sys.stderr)
        sys.exit(2)

    try:
        lock_database(settings.database_path)
    except LockError as error:
        refuse(str(error))
    app = build_application(settings)
    api = settings.telegram_api_url
    # Not run_polling: PTB logs a failure in initialize (getMe) with a traceback before raising
    # it, and webhook mode needs the Application started by hand around our own server.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        try:
            loop.run_until_complete(app.initialize())
        except TelegramError:
            loop.run_until_complete(app.bot.request.shutdown())  # PTB leaves it open
            raise
    except InvalidToken as error:
        reason = error.__cause__ or error  # the cause is the server's answer, without the token
        refuse(
            f"TELEGRAM_BOT_TOKEN was refused by the Bot API at {api}: {reason}; "
            "copy the token from @BotFather again"
        )
    except TelegramError as error:
        refuse(f"cannot use the Bot API at {api}: {error}; check TELEGRAM_API_URL and the network")
    try:
        try:
            loop.run_until_complete(start_services(app))
        except (ServeError, TelegramError) as error:
            loop.run_until_complete(stop_services(app))
            loop.run_until_complete(app.shutdown())
            reason = str(error)
            if isinstance(error, TelegramError):  # only setWebhook lets one out
                url = f"{settings.public_url}/telegram"
                reason = f"cannot set the webhook to {url}: {error}; check PUBLIC_URL"
            refuse(reason)
        loop.run_until_complete(run(app, stopping))
    except Exception:
        log.exception("the bot stopped on an error")  # logged, so that the traceback is scrubbed
        sys.exit(1)


async def run(app: Application, stopping: asyncio.Event) -> None:
    """Take updates (long polling, or the webhook served since start_services) until
    `stopping` is set; then stop taking them, let PTB handle those taken in, and stop the
    services (the tracker finishes what is being posted)."""
    try:
        await app.start()
        if not app.bot_data["settings"].public_url:
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await stopping.wait()
    finally:
        await stop_receiving(app)
        if app.running:
            await app.stop()
        await stop_services(app)
        await app.shutdown()


async def stop_receiving(app: Application) -> None:
    """No update comes in any more: polling ends, the server closes (a webhook request under
    way still gets its answer, and its update is handled)."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    web: WebServer | None = app.bot_data.pop("web", None)
    if web is not None:
        await web.stop()

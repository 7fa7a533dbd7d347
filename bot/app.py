"""Build the Application from Settings: services, handlers, lifecycle."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import NoReturn

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import ConfigError, Settings, load_settings
from bot.delivery import Courier
from bot.handlers import buttons, commands, messages
from bot.handlers import settings as chat_settings
from bot.i18n import Translator, locales_dir
from bot.jobs import JobService
from bot.lock import LockError, lock_database
from bot.providers import make_provider
from bot.redact import Redactor, redact_logs
from bot.services import Services
from bot.store import Database
from bot.tracker import Tracker

log = logging.getLogger(__name__)


def build_application(settings: Settings) -> Application:
    api = settings.telegram_api_url
    app = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(start_services)
        .post_stop(stop_services)
        .build()
    )
    app.bot_data["settings"] = settings
    app.add_handler(CommandHandler("start", commands.start))
    app.add_handler(CommandHandler("help", commands.help_command))
    app.add_handler(CommandHandler("imagine", commands.imagine))
    app.add_handler(CommandHandler("settings", chat_settings.show_settings))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, messages.migrated))
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, messages.private_text))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, messages.group_text))
    app.add_handler(
        CallbackQueryHandler(chat_settings.on_toggle, pattern=f"^{chat_settings.TOGGLE}[01]$")
    )
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    app.add_error_handler(on_error)
    return app


async def start_services(app: Application) -> None:
    """Open the store, the provider and the tracker; resume unfinished jobs."""
    settings: Settings = app.bot_data["settings"]
    translate = Translator(locales_dir(), settings.default_locale)
    db = await Database.open(settings.database_path)
    provider = make_provider(settings)
    courier = Courier(app.bot, db, provider, translate, edit_interval=settings.status_edit_interval)
    tracker = Tracker(
        db,
        provider,
        courier,
        poll_interval=settings.mj_poll_interval,
        job_timeout=settings.mj_job_timeout,
        submit_timeout=settings.mj_submit_timeout,
        http_timeout=settings.mj_http_timeout,
    )
    jobs = JobService(db, provider, tracker, courier)
    app.bot_data["services"] = Services(translate, db, provider, courier, tracker, jobs)
    await tracker.start()
    try:
        await app.bot.set_my_commands(
            [
                BotCommand("imagine", translate(translate.default_locale, "command-imagine")),
                BotCommand("settings", translate(translate.default_locale, "command-settings")),
                BotCommand("help", translate(translate.default_locale, "command-help")),
            ]
        )
    except TelegramError as exc:
        log.warning("could not set the command list: %s", exc)
    log.info("bot @%s ready with provider %s", app.bot.username, provider.name)


async def stop_services(app: Application) -> None:
    s: Services | None = app.bot_data.pop("services", None)
    if s is None:
        return
    await s.tracker.stop()
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
    # run_polling would initialize (getMe) too, but PTB logs a failure there with a traceback
    # before raising it. It then runs on this same loop.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(app.initialize())
    except InvalidToken as error:
        reason = error.__cause__ or error  # the cause is the server's answer, without the token
        refuse(
            f"TELEGRAM_BOT_TOKEN was refused by the Bot API at {api}: {reason}; "
            "copy the token from @BotFather again"
        )
    except TelegramError as error:
        refuse(f"cannot use the Bot API at {api}: {error}; check TELEGRAM_API_URL and the network")
    if settings.public_url:
        log.warning("PUBLIC_URL is set, but webhook mode is not available yet: using long polling")
    try:
        app.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])
    except Exception:
        log.exception("the bot stopped on an error")  # logged, so that the traceback is scrubbed
        sys.exit(1)

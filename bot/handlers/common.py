"""What the handlers share: who is talking, in which language, and starting a prompt."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardMarkup,
    PhotoSize,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.credits import Refusal
from bot.domain import Action
from bot.flows.store import Flow
from bot.jobs import Tap, TapOutcome
from bot.preferences import apply
from bot.prompts import PromptError, blend_shape, validate
from bot.providers.tasks import Capability
from bot.services import Services, services

log = logging.getLogger(__name__)

ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)
MAX_IMAGE_PROMPTS = 5  # photos in one prompt, as Midjourney takes them


async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Store the user and the chat; return the user's locale."""
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    if chat is not None:
        await s.db.chats.remember(chat.id, chat.type, chat.title)
    if user is None:
        return s.translate.default_locale
    await s.db.users.remember(user.id, user.username, user.first_name, user.language_code)
    return await s.db.users.chosen_locale(user.id) or s.translate.locale_for(user.language_code)


async def is_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Whether the user administers the chat; False when Telegram cannot tell."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("could not check user %d in chat %d: %s", user_id, chat_id, exc)
        return False
    return member.status in ADMINS


async def start_prompt(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    images: Sequence[PhotoSize] = (),
) -> None:
    """Validate `text` and start an imagine job (with `images`, the photos the person sent
    with it, as image prompts), or answer why not."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    locale = await remember(update, context)
    await begin_imagine(
        services(context),
        context.bot,
        chat_id=message.chat_id,
        user_id=user.id,
        message_id=message.message_id,
        text=text,
        file_ids=[photo.file_id for photo in images],
        locale=locale,
        sender_chat_id=message.sender_chat.id if message.sender_chat else None,
    )


async def replied_flow(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str
) -> Flow | None:
    """The flow of `kind` whose message this text replies to, if the flow is this person's
    (a question or picker still being posted is waited for: its lock is the person's)."""
    message, user = update.effective_message, update.effective_user
    replied = message.reply_to_message if message else None
    if message is None or user is None or replied is None or not message.text:
        return None
    flows = services(context).db.flows
    async with flows.lock((message.chat_id, user.id)):
        return await flows.by_message(kind, message.chat_id, replied.message_id, user.id)


def wait_text(s: Services, locale: str, seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return s.translate(locale, "duration", hours=minutes // 60, minutes=minutes % 60)


async def refusal_text(s: Services, locale: str, refusal: Refusal, user_id: int, cost: int) -> str:
    """Why a job was not started, in one line: how many credits are left, when the free
    ones come back, how to buy more; or that enough jobs are running already."""
    pricing = s.ledger.pricing
    if refusal is Refusal.TOO_MANY:
        return s.translate(locale, "too-many-jobs", limit=pricing.max_jobs)
    balance = await s.ledger.balance(user_id)
    left = (balance.free_left or 0) + balance.bought
    parts = [s.translate(locale, "credits-short", cost=cost, left=left)]
    if pricing.daily_free:
        wait = wait_text(s, locale, balance.free_back_at - time.time())
        parts.append(s.translate(locale, "credits-free-back", daily=pricing.daily_free, wait=wait))
    if s.packs:
        parts.append(s.translate(locale, "credits-buy"))
    return " ".join(parts)


REFUSED = {TapOutcome.NO_CREDITS: Refusal.NO_CREDITS, TapOutcome.TOO_MANY: Refusal.TOO_MANY}


async def refused_tap(s: Services, locale: str, tap: Tap, user_id: int) -> str:
    """The line for a tap that started nothing for want of credits or for jobs running."""
    cost = s.ledger.pricing.cost(tap.button.action) if tap.button else 0
    return await refusal_text(s, locale, REFUSED[tap.outcome], user_id, cost)


async def edit_in_place(
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    parse_mode: str | None = None,
) -> None:
    """Show `text` in the message whose button was tapped; a tap that changes nothing (the
    same choice again) is not an error."""
    try:
        await query.edit_message_text(text, parse_mode=parse_mode, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


async def reply(bot: Bot, chat_id: int, message_id: int, text: str) -> None:
    """Send `text` to the chat as an answer to message `message_id` (even if it is gone)."""
    parameters = ReplyParameters(message_id, allow_sending_without_reply=True)
    await bot.send_message(chat_id, text, reply_parameters=parameters)


async def begin_imagine(
    s: Services,
    bot: Bot,
    *,
    chat_id: int,
    user_id: int,
    message_id: int,
    text: str,
    file_ids: Sequence[str],
    locale: str,
    sender_chat_id: int | None,
) -> None:
    """Start an imagine job for the prompt in message `message_id`, or answer it why not.
    `file_ids`: the photos that are its image prompts."""

    async def answer(key: str, **values: object) -> None:
        await reply(bot, chat_id, message_id, s.translate(locale, key, **values))

    try:
        prompt = validate(text)
    except PromptError as error:
        await answer(error.key, parameter=error.parameter, limit=error.limit)
        return
    if file_ids and not s.images.possible(Action.IMAGINE in s.provider.inline_images):
        await answer("image-prompt-needs-url")
        return
    if len(file_ids) > MAX_IMAGE_PROMPTS:
        await answer("album-too-many", limit=MAX_IMAGE_PROMPTS)
        return
    prefs = await s.db.users.preferences(user_id)
    started = await s.jobs.imagine(
        user_id=user_id,
        chat_id=chat_id,
        prompt=apply(prompt, prefs),
        message_id=message_id,
        locale=locale,
        sender_chat_id=sender_chat_id,
        speed=prefs.speed,
        images=file_ids,
    )
    if isinstance(started, Refusal):
        cost = s.ledger.pricing.cost(Action.IMAGINE)
        await reply(bot, chat_id, message_id, await refusal_text(s, locale, started, user_id, cost))


async def begin_photo_job(
    s: Services,
    bot: Bot,
    action: Action,
    *,
    chat_id: int,
    user_id: int,
    message_id: int,
    file_ids: Sequence[str],
    locale: str,
    sender_chat_id: int | None,
    text: str = "",
) -> bool:
    """Start a describe (one photo) or a blend (2–5 photos; `text` the words after /blend)
    for message `message_id`, or answer it why not. Whether a job was started."""

    async def answer(key: str, **values: object) -> bool:
        await reply(bot, chat_id, message_id, s.translate(locale, key, **values))
        return False

    describe = action is Action.DESCRIBE
    needed = Capability.DESCRIBE if describe else Capability.BLEND
    if needed not in s.provider.capabilities:
        return await answer("not-offered-describe" if describe else "not-offered-blend")
    shape = blend_shape(text)
    if shape is None:
        return await answer("blend-bad-shape")
    limit = s.provider.max_blend_images
    if describe and len(file_ids) != 1:
        return await answer("describe-one-photo")
    if not describe and not 2 <= len(file_ids) <= limit:
        return await answer("blend-needs-photos", limit=limit)
    if not s.images.possible(action in s.provider.inline_images):
        return await answer("image-prompt-needs-url")
    prefs = await s.db.users.preferences(user_id)
    started = await s.jobs.imagine(
        user_id=user_id,
        chat_id=chat_id,
        prompt=f"--ar {shape}" if text.strip() else "",
        message_id=message_id,
        locale=locale,
        sender_chat_id=sender_chat_id,
        speed=prefs.speed,
        images=file_ids,
        action=action,
    )
    if isinstance(started, Refusal):
        cost = s.ledger.pricing.cost(action)
        await reply(bot, chat_id, message_id, await refusal_text(s, locale, started, user_id, cost))
        return False
    return True

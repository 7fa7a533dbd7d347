"""/describe and /blend, and the photos they wait for.

`/describe` answering a photo describes that photo; alone, it asks for one (ForceReply) and
the person's next photo in that chat is the one. `/blend` alone collects the person's next
photos (one by one or as albums) on a panel that offers `✅ Blend` from the second photo on,
up to the provider's most. What is awaited and collected is a row in `flows`, so a restart
loses none of it; a tap on `✅ Blend` looks for a job already made for the same /blend (one
made just before a crash), so a blend never runs twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.domain import Action
from bot.flows.store import BLEND, DESCRIBE, Flow
from bot.handlers.common import begin_photo_job, remember, reply
from bot.keyboards import flow_data
from bot.prompts import blend_shape
from bot.providers.tasks import Capability
from bot.services import Services, services

log = logging.getLogger(__name__)

GO, CANCEL = "go", "x"


async def describe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s, locale = services(context), await remember(update, context)
    replied = message.reply_to_message
    if replied is not None and replied.photo:
        await begin_photo_job(
            s,
            context.bot,
            Action.DESCRIBE,
            chat_id=message.chat_id,
            user_id=user.id,
            message_id=message.message_id,
            file_ids=[replied.photo[-1].file_id],
            locale=locale,
            sender_chat_id=message.sender_chat.id if message.sender_chat else None,
        )
        return
    if Capability.DESCRIBE not in s.provider.capabilities:
        await message.reply_text(s.translate(locale, "not-offered-describe"))
        return
    # Stored before asking: the photo may come in before the question is posted.
    await s.db.flows.start(
        DESCRIBE, message.chat_id, user.id, message.message_id, about(message, locale)
    )
    await ask_for_photos(message, s.translate(locale, "describe-ask"), s, locale)


async def blend_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    s, locale = services(context), await remember(update, context)
    text = " ".join(context.args or [])
    if Capability.BLEND not in s.provider.capabilities:
        await message.reply_text(s.translate(locale, "not-offered-blend"))
        return
    if blend_shape(text) is None:
        await message.reply_text(s.translate(locale, "blend-bad-shape"))
        return
    data = {**about(message, locale), "text": text, "photos": []}
    await s.db.flows.start(BLEND, message.chat_id, user.id, message.message_id, data)
    ask = s.translate(locale, "blend-ask", limit=s.provider.max_blend_images)
    await ask_for_photos(message, ask, s, locale)


def about(message: Message, locale: str) -> dict[str, object]:
    """What a photo flow keeps of the command that started it."""
    sender = message.sender_chat.id if message.sender_chat else None
    return {"request": message.message_id, "locale": locale, "sender_chat": sender}


async def ask_for_photos(message: Message, text: str, s: Services, locale: str) -> None:
    placeholder = s.translate(locale, "photo-placeholder")
    await message.reply_text(
        text, reply_markup=ForceReply(selective=True, input_field_placeholder=placeholder)
    )


async def take_photos(
    s: Services, bot: Bot, waiting: Flow, file_ids: Sequence[str], message_id: int
) -> bool:
    """Photos (in message `message_id`, the first of an album) for the flow waiting for
    them: a describe starts at once; a blend adds them to its panel. False when the flow
    ended meanwhile (another photo or a tap came first)."""
    async with s.db.flows.lock(waiting.id):
        flow = await s.db.flows.get(waiting.id)
        if flow is None:
            return False
        locale = flow.data["locale"]
        if flow.kind == DESCRIBE:
            await s.db.flows.end(flow.id)
            await begin_photo_job(
                s,
                bot,
                Action.DESCRIBE,
                chat_id=flow.chat_id,
                user_id=flow.user_id,
                message_id=message_id,
                file_ids=file_ids[:1],
                locale=locale,
                sender_chat_id=flow.data["sender_chat"],
            )
            return True
        limit = s.provider.max_blend_images
        photos: list[str] = flow.data["photos"]
        room = max(0, limit - len(photos))
        photos.extend(file_ids[:room])
        await s.db.flows.save(flow)
        if len(file_ids) > room:
            text = s.translate(locale, "blend-too-many", limit=limit)
            await reply(bot, flow.chat_id, message_id, text)
        await show_panel(s, bot, flow, message_id)
        return True


async def show_panel(s: Services, bot: Bot, flow: Flow, message_id: int) -> None:
    """The blend's panel: how many photos, `✅ Blend` from two on, `✖️ Cancel`. Posted once
    (replying to the photo), then edited."""
    locale, count = flow.data["locale"], len(flow.data["photos"])
    limit = s.provider.max_blend_images
    key = "blend-full" if count >= limit else "blend-collected"
    text = s.translate(locale, key, count=count, limit=limit)
    row = [
        InlineKeyboardButton(
            s.translate(locale, "button-cancel"), callback_data=flow_data(flow.id, CANCEL)
        )
    ]
    if count >= 2:
        go = s.translate(locale, "button-go-blend")
        row.insert(0, InlineKeyboardButton(go, callback_data=flow_data(flow.id, GO)))
    markup = InlineKeyboardMarkup([row])
    panel = flow.data.get("panel")
    if panel:
        try:
            await bot.edit_message_text(text, flow.chat_id, panel, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in exc.message:
                return
            log.info("flow %d: panel not edited, posting a new one: %s", flow.id, exc)
    parameters = ReplyParameters(message_id, allow_sending_without_reply=True)
    sent = await bot.send_message(
        flow.chat_id, text, reply_markup=markup, reply_parameters=parameters
    )
    flow.data["panel"] = sent.message_id
    await s.db.flows.save(flow)


async def blend_button(
    s: Services, bot: Bot, flow: Flow, step: str, query: CallbackQuery, locale: str
) -> None:
    """`✅ Blend` and `✖️ Cancel` on a blend's panel (its flow's lock held)."""
    if step == CANCEL:
        await s.db.flows.end(flow.id)
        await query.answer()
        await edit_panel(bot, flow, s.translate(locale, "blend-cancelled"))
    else:
        await blend_now(s, bot, flow, query, locale)


async def blend_now(s: Services, bot: Bot, flow: Flow, query: CallbackQuery, locale: str) -> None:
    """`✅ Blend`: the collected photos become a blend job, once."""
    photos = flow.data["photos"]
    if len(photos) < 2:
        await query.answer(s.translate(locale, "blend-collected", count=len(photos), limit=2))
        return
    request = flow.data["request"]
    started = bool(await s.db.jobs.for_request(flow.chat_id, request))  # before a restart
    if not started:
        await query.answer(s.translate(locale, "blend-started", count=len(photos)))
        started = await begin_photo_job(
            s,
            bot,
            Action.BLEND,
            chat_id=flow.chat_id,
            user_id=flow.user_id,
            message_id=request,
            file_ids=photos,
            locale=flow.data["locale"],
            sender_chat_id=flow.data["sender_chat"],
            text=flow.data["text"],
        )
    else:
        await query.answer()
    await s.db.flows.end(flow.id)
    key = "blend-started" if started else "blend-cancelled"
    await edit_panel(bot, flow, s.translate(flow.data["locale"], key, count=len(photos)))


async def edit_panel(bot: Bot, flow: Flow, text: str) -> None:
    """The panel's last word, without its buttons."""
    panel = flow.data.get("panel")
    if panel:
        try:
            await bot.edit_message_text(text, flow.chat_id, panel)
        except TelegramError as exc:
            log.info("flow %d: panel not edited: %s", flow.id, exc)

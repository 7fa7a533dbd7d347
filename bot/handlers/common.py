"""What the handlers share: who is talking, in which language, and starting a prompt."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, PhotoSize, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.preferences import apply
from bot.prompts import PromptError, validate
from bot.services import services

log = logging.getLogger(__name__)

ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Store the user and the chat; return the user's locale."""
    s = services(context)
    user, chat = update.effective_user, update.effective_chat
    if chat is not None:
        await s.db.chats.remember(chat.id, chat.type, chat.title)
    if user is None:
        return s.translate.default_locale
    await s.db.users.remember(user.id, user.username, user.first_name, user.language_code)
    return s.translate.locale_for(user.language_code)


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
    s = services(context)
    try:
        prompt = validate(text)
    except PromptError as error:
        await message.reply_text(
            s.translate(locale, error.key, parameter=error.parameter, limit=error.limit)
        )
        return
    if images and not s.images.possible(s.provider.inline_images):
        await message.reply_text(s.translate(locale, "image-prompt-needs-url"))
        return
    prefs = await s.db.users.preferences(user.id)
    await s.jobs.imagine(
        user_id=user.id,
        chat_id=message.chat_id,
        prompt=apply(prompt, prefs),
        message_id=message.message_id,
        locale=locale,
        sender_chat_id=message.sender_chat.id if message.sender_chat else None,
        speed=prefs.speed,
        images=[photo.file_id for photo in images],
    )

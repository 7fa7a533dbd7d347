"""What the handlers share: who is talking, in which language, and starting a prompt."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.prompts import PromptError, validate
from bot.services import services


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


async def start_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Validate `text` and start an imagine job, or answer why not."""
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
    await s.jobs.imagine(
        user_id=user.id,
        chat_id=message.chat_id,
        prompt=prompt,
        message_id=message.message_id,
        locale=locale,
    )

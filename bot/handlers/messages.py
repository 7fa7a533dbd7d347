"""Plain text as a prompt: always in private chats; in groups when it is meant for the bot."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.ext import ContextTypes

from bot.handlers.common import start_prompt


def addressed_text(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The prompt in a group message that mentions the bot or replies to it, else None."""
    text = message.text or ""
    mention = f"@{bot_username}".lower()
    mentioned = any(
        entity.type == MessageEntity.MENTION and value.lower() == mention
        for entity, value in message.parse_entities([MessageEntity.MENTION]).items()
    )
    replied = message.reply_to_message is not None and (
        message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == bot_id
    )
    if not (mentioned or replied):
        return None
    if mentioned:
        start = text.lower().find(mention)
        text = text[:start] + text[start + len(mention) :]
    return text


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message and update.effective_message.text:
        await start_prompt(update, context, update.effective_message.text)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    text = addressed_text(message, context.bot.id, context.bot.username)
    if text is not None:
        await start_prompt(update, context, text)

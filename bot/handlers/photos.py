"""Photos as image prompts: a photo with a caption is an imagine whose text is the caption.

In a private chat any caption counts (a leading `/imagine` is taken off); in a group only a
caption that starts with `/imagine` (or `/imagine@<bot>`) or mentions the bot. A photo alone
in a private chat gets a line asking for a caption; in a group it is chatter.
"""

from __future__ import annotations

import re

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.common import remember, start_prompt
from bot.services import services


def command_text(caption: str, bot_username: str) -> str | None:
    """The caption after a leading `/imagine` (or `/imagine@<this bot>`); None without one."""
    match = re.match(rf"^/imagine(?:@{re.escape(bot_username)})?(?:\s|$)", caption, re.IGNORECASE)
    return caption[match.end() :] if match else None


def mentioned_caption(message: Message, bot_username: str) -> str | None:
    """The caption with the bot's mention taken out, if it mentions the bot."""
    caption = message.caption or ""
    mention = f"@{bot_username}".lower()
    for entity, value in message.parse_caption_entities([MessageEntity.MENTION]).items():
        if value.lower() == mention:
            return caption[: entity.offset] + caption[entity.offset + entity.length :]
    return None


async def photo_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.photo:
        return
    private = message.chat.type == ChatType.PRIVATE
    if private and not message.caption:
        locale = await remember(update, context)
        await message.reply_text(services(context).translate(locale, "photo-needs-caption"))
        return
    username = context.bot.username
    caption = message.caption or ""
    text = command_text(caption, username)
    if text is None:
        text = caption if private else mentioned_caption(message, username)
    if text is not None:
        await start_prompt(update, context, text, [message.photo[-1]])

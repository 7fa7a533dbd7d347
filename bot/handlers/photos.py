"""Photos as image prompts: a photo with a caption is an imagine whose text is the caption.

In a private chat any caption counts (a leading `/imagine` is taken off); in a group only a
caption that starts with `/imagine` (or `/imagine@<bot>`) or mentions the bot. A photo alone
in a private chat gets a line asking for a caption; in a group it is chatter. An album (up to
five photos, the caption on one of them) is gathered first (albums.py) and is one prompt.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes

from bot.albums import AlbumPart
from bot.handlers.common import begin_imagine, remember, reply, start_prompt
from bot.handlers.messages import mentioned_text
from bot.services import services


def command_text(caption: str, bot_username: str) -> str | None:
    """The caption after a leading `/imagine` (or `/imagine@<this bot>`); None without one."""
    match = re.match(rf"^/imagine(?:@{re.escape(bot_username)})?(?:\s|$)", caption, re.IGNORECASE)
    return caption[match.end() :] if match else None


def caption_prompt(message: Message, bot_username: str) -> str | None:
    """The caption as a prompt, when it is meant for the bot."""
    caption = message.caption or ""
    text = command_text(caption, bot_username)
    if text is not None:
        return text
    if message.chat.type == ChatType.PRIVATE:
        return caption or None
    return mentioned_text(message, bot_username)


async def photo_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.photo:
        return
    private = message.chat.type == ChatType.PRIVATE
    if message.media_group_id:
        locale = await remember(update, context)
        part = AlbumPart(
            chat_id=message.chat_id,
            message_id=message.message_id,
            media_group_id=message.media_group_id,
            user_id=user.id,
            file_id=message.photo[-1].file_id,
            private=private,
            locale=locale,
            caption=message.caption,
            prompt=caption_prompt(message, context.bot.username),
            sender_chat_id=message.sender_chat.id if message.sender_chat else None,
        )
        await services(context).albums.add(part)
        return
    if private and not message.caption:
        locale = await remember(update, context)
        await message.reply_text(services(context).translate(locale, "photo-needs-caption"))
        return
    text = caption_prompt(message, context.bot.username)
    if text is not None:
        await start_prompt(update, context, text, [message.photo[-1]])


async def album_complete(app: Application, parts: list[AlbumPart]) -> None:
    """A whole album: one prompt with all its photos, replying to the part with the caption."""
    bot, s = app.bot, app.bot_data["services"]
    captioned = next((part for part in parts if part.caption), None)
    if captioned is None:
        first = parts[0]
        if first.private:
            text = s.translate(first.locale, "photo-needs-caption")
            await reply(bot, first.chat_id, first.message_id, text)
        return
    if captioned.prompt is None or await s.db.jobs.for_request(
        captioned.chat_id, captioned.message_id
    ):
        return  # chatter, or its job was made before a restart
    await begin_imagine(
        s,
        bot,
        chat_id=captioned.chat_id,
        user_id=captioned.user_id,
        message_id=captioned.message_id,
        text=captioned.prompt,
        file_ids=[part.file_id for part in parts],
        locale=captioned.locale,
        sender_chat_id=captioned.sender_chat_id,
    )

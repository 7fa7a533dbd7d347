"""Photos: a photo with a caption is an imagine whose text is the caption, or a describe
or blend when the caption starts with that command.

In a private chat any caption counts (a leading `/imagine` is taken off); in a group only a
caption that starts with a command (or `/command@<bot>`) or mentions the bot. A photo without
a caption goes to the /describe or /blend waiting for it; else, in a private chat, it gets a
line asking for a caption, and in a group it is chatter. An album (up to five photos, the
caption on one of them) is gathered first (albums.py) and is one job.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes

from bot.albums import AlbumPart
from bot.domain import Action
from bot.handlers.common import begin_imagine, begin_photo_job, remember, reply, start_prompt
from bot.handlers.describe_blend import take_photos
from bot.handlers.messages import mentioned_text
from bot.services import services

PHOTO_COMMANDS = ("imagine", "describe", "blend")


def caption_command(message: Message, bot_username: str) -> tuple[str, str] | None:
    """What a caption asks of the bot, as (command, the words after it): a leading
    `/imagine`, `/describe` or `/blend` (or `/command@<this bot>`); in a private chat any
    other caption, and in a group one that mentions the bot, is an imagine. None when the
    caption is not meant for the bot."""
    caption = message.caption or ""
    names = "|".join(PHOTO_COMMANDS)
    pattern = rf"^/({names})(?:@{re.escape(bot_username)})?(?:\s|$)"
    match = re.match(pattern, caption, re.IGNORECASE)
    if match:
        return match.group(1).lower(), caption[match.end() :]
    if message.chat.type == ChatType.PRIVATE:
        return ("imagine", caption) if caption else None
    text = mentioned_text(message, bot_username)
    return None if text is None else ("imagine", text)


async def photo_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not message.photo:
        return
    s, bot = services(context), context.bot
    private = message.chat.type == ChatType.PRIVATE
    asked = caption_command(message, bot.username)
    locale = await remember(update, context)
    if message.media_group_id:
        part = AlbumPart(
            chat_id=message.chat_id,
            message_id=message.message_id,
            media_group_id=message.media_group_id,
            user_id=user.id,
            file_id=message.photo[-1].file_id,
            private=private,
            locale=locale,
            caption=message.caption,
            prompt=asked[1] if asked else None,
            command=asked[0] if asked else None,
            sender_chat_id=message.sender_chat.id if message.sender_chat else None,
        )
        await s.albums.add(part)
        return
    photo = message.photo[-1].file_id
    if asked is None or not message.caption:
        flow = await s.db.flows.waiting(message.chat_id, user.id)
        if flow is not None and await take_photos(s, bot, flow, [photo], message.message_id):
            return
        if private:
            await message.reply_text(s.translate(locale, "photo-needs-caption"))
        return
    command, text = asked
    if command == "imagine":
        await start_prompt(update, context, text, [message.photo[-1]])
        return
    await begin_photo_job(
        s,
        bot,
        Action.DESCRIBE if command == "describe" else Action.BLEND,
        chat_id=message.chat_id,
        user_id=user.id,
        message_id=message.message_id,
        file_ids=[photo],
        locale=locale,
        sender_chat_id=message.sender_chat.id if message.sender_chat else None,
        text=text,
    )


async def album_complete(app: Application, parts: list[AlbumPart]) -> None:
    """A whole album: one job with all its photos, replying to the part with the caption;
    without a caption, the photos a /describe or /blend waits for."""
    bot, s = app.bot, app.bot_data["services"]
    captioned = next((part for part in parts if part.caption), None)
    first = parts[0]
    if captioned is None or captioned.command is None:
        flow = await s.db.flows.waiting(first.chat_id, first.user_id)
        photos = [part.file_id for part in parts]
        if flow is not None and await take_photos(s, bot, flow, photos, first.message_id):
            return
        if first.private:
            text = s.translate(first.locale, "photo-needs-caption")
            await reply(bot, first.chat_id, first.message_id, text)
        return
    if await s.db.jobs.for_request(captioned.chat_id, captioned.message_id):
        return  # its job was made before a restart
    where = {
        "chat_id": captioned.chat_id,
        "user_id": captioned.user_id,
        "message_id": captioned.message_id,
        "file_ids": [part.file_id for part in parts],
        "locale": captioned.locale,
        "sender_chat_id": captioned.sender_chat_id,
    }
    if captioned.command == "imagine":
        await begin_imagine(s, bot, text=captioned.prompt or "", **where)
    else:
        action = Action.DESCRIBE if captioned.command == "describe" else Action.BLEND
        await begin_photo_job(s, bot, action, text=captioned.prompt or "", **where)

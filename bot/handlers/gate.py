"""Who may use the bot at all: run before every other handler (group -1), as a middleware.

A banned person, or anyone but the allowed people and the admins when ACCESS=allowlist, gets
one line for a message, the same line for a tap, a refusal for a payment's pre-checkout and an
empty answer for an inline query; nothing else of the update is handled, so nothing reaches a
provider. Updates without a person (a channel post) and service messages pass: a
successful payment is one, so a payment made before a ban is still credited.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from bot.config import Settings
from bot.handlers.common import remember, reply
from bot.services import services


def refused_key(settings: Settings, banned: set[int], user_id: int) -> str | None:
    """The line for a person who may not use the bot, or None if they may."""
    if user_id in settings.admin_user_ids:
        return None
    if user_id in banned:
        return "banned"
    if settings.access == "allowlist" and user_id not in settings.allowed_user_ids:
        return "private-bot"
    return None


def addressed(update: Update, bot_username: str) -> bool:
    """Whether a group message speaks to the bot (a command, a mention, a reply to it):
    only those get the line; other chatter is passed over in silence."""
    message = update.message
    if message is None or message.chat.type == ChatType.PRIVATE:
        return True
    text = message.text or message.caption or ""
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.is_bot
    return text.startswith("/") or f"@{bot_username}".lower() in text.lower() or to_bot


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    service = filters.StatusUpdate.ALL | filters.SUCCESSFUL_PAYMENT
    if user is None or service.check_update(update):
        return
    s = services(context)
    key = refused_key(context.bot_data["settings"], s.db.users.banned, user.id)
    if key is None:
        return
    locale = await remember(update, context)
    text = s.translate(locale, key)
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.pre_checkout_query:
        await update.pre_checkout_query.answer(ok=False, error_message=text)
    elif update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.message and addressed(update, context.bot.username):
        await reply(context.bot, update.message.chat_id, update.message.message_id, text)
    raise ApplicationHandlerStop

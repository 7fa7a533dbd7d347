"""Asking a person for a prompt with ForceReply; their reply is the prompt.

In a group the question is remembered (a reply to it is a prompt although it mentions
nobody); in a private chat any text is a prompt anyway.
"""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.flows.store import ASK_IMAGINE
from bot.handlers.common import remember
from bot.services import services


async def ask_for_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to the person with a question only their client opens a reply for."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    locale = await remember(update, context)
    s = services(context)
    asked = await message.reply_text(
        s.translate(locale, "ask-prompt"),
        reply_markup=ForceReply(
            selective=True, input_field_placeholder=s.translate(locale, "ask-prompt-placeholder")
        ),
    )
    if message.chat.type != ChatType.PRIVATE:
        await s.db.flows.ask(ASK_IMAGINE, message.chat_id, user.id, asked.message_id)

"""/settings in a group: whether everyone may press the buttons of any result, or only its
owner. Group administrators change it; everyone may look."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.common import is_admin, remember
from bot.i18n import Translator
from bot.services import services

TOGGLE = "s:everyone:"  # + "1" (everyone) or "0" (owners only)


def settings_view(t: Translator, locale: str, everyone: bool) -> tuple[str, InlineKeyboardMarkup]:
    text = t(locale, "settings-everyone" if everyone else "settings-owner")
    label = t(locale, "settings-set-owner" if everyone else "settings-set-everyone")
    button = InlineKeyboardButton(label, callback_data=f"{TOGGLE}{0 if everyone else 1}")
    return text, InlineKeyboardMarkup([[button]])


async def show_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    locale = await remember(update, context)
    s = services(context)
    if message.chat.type == ChatType.PRIVATE:
        await message.reply_text(s.translate(locale, "settings-private"))
        return
    everyone = await s.db.chats.everyone_may_press(message.chat_id)
    text, markup = settings_view(s.translate, locale, everyone)
    await message.reply_text(text, reply_markup=markup)


async def on_toggle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    locale = await remember(update, context)
    s = services(context)
    chat = query.message.chat
    if chat.type == ChatType.PRIVATE or not await is_admin(
        context.bot, chat.id, query.from_user.id
    ):
        await query.answer(s.translate(locale, "settings-admins-only"), show_alert=True)
        return
    everyone = query.data == f"{TOGGLE}1"
    await s.db.chats.set_everyone_may_press(chat.id, everyone)
    text, markup = settings_view(s.translate, locale, everyone)
    await query.answer(s.translate(locale, "settings-saved"))
    await query.edit_message_text(text, reply_markup=markup)

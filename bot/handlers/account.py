"""A person's own account: /me (and /balance) and /language.

/language (and the language button of /settings) shows the five languages by their own names;
callback data `l:<owner>:<locale>` (an empty locale opens the choice). The choice is kept,
wins over the language of the person's Telegram app from then on, and sets their private
command menu in it.
"""

from __future__ import annotations

import re
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.delivery import doing_key
from bot.domain import JobStatus
from bot.handlers.common import edit_in_place, remember, wait_text
from bot.i18n import LANGUAGES
from bot.services import Services, services

CALLBACK = re.compile(r"^l:(\d{1,18}):([a-z]{0,2})$")
CHARGES_SHOWN = 5
CHARGE_STATE = {JobStatus.DELIVERED: "charge-spent", JobStatus.FAILED: "charge-refunded"}


async def me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user, s = update.effective_message, update.effective_user, services(context)
    if message is None or user is None:
        return
    locale = await remember(update, context)
    await message.reply_text(await account_text(s, locale, user.id))


async def account_text(s: Services, locale: str, user_id: int) -> str:
    pricing, balance = s.ledger.pricing, await s.ledger.balance(user_id)
    lines = [s.translate(locale, "me-title")]
    if balance.free_left is None:
        lines.append(s.translate(locale, "me-free-unlimited"))
    else:
        wait = wait_text(s, locale, balance.free_back_at - time.time())
        free = s.translate(
            locale, "me-free", left=balance.free_left, daily=pricing.daily_free, wait=wait
        )
        lines.append(free)
    lines.append(s.translate(locale, "me-bought", credits=balance.bought))
    lines.append(s.translate(locale, "me-running", count=balance.running, limit=pricing.max_jobs))
    charges = await s.ledger.charges(user_id, CHARGES_SHOWN)
    if charges:
        lines.append("\n" + s.translate(locale, "me-charges"))
    for charge in charges:
        state = s.translate(locale, CHARGE_STATE.get(charge.status, "charge-reserved"))
        doing = s.translate(locale, doing_key(charge.action), index=charge.index)
        lines.append(
            s.translate(locale, "me-charge", action=doing, credits=charge.credits, state=state)
        )
    if s.packs:
        lines.append("\n" + s.translate(locale, "credits-buy"))
    return "\n".join(lines)


def picker(owner: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(name, callback_data=f"l:{owner}:{code}")
        for code, name in LANGUAGES.items()
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user, s = update.effective_message, update.effective_user, services(context)
    if message is None or user is None:
        return
    locale = await remember(update, context)
    await message.reply_text(s.translate(locale, "language-choose"), reply_markup=picker(user.id))


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, s = update.callback_query, services(context)
    if query is None:
        return
    locale = await remember(update, context)
    match = CALLBACK.match(query.data or "")
    if match is None or (match[2] and match[2] not in LANGUAGES):
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return
    owner, chosen = int(match[1]), match[2]
    if query.from_user.id != owner:
        await query.answer(s.translate(locale, "settings-not-yours"), show_alert=True)
        return
    if not chosen:  # the button of /settings
        await query.answer()
        await edit_in_place(query, s.translate(locale, "language-choose"), picker(owner))
        return
    await s.db.users.set_locale(owner, chosen)
    await query.answer(s.translate(chosen, "language-chosen"))
    await edit_in_place(query, s.translate(chosen, "language-chosen"), None)
    if query.message and query.message.chat.id == owner:
        await s.menus.chose(owner, chosen)

"""Taps on result buttons: every tap is answered, only the right person starts a job."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.common import is_admin, remember
from bot.jobs import TapOutcome
from bot.keyboards import decode
from bot.services import services

ANSWER_KEYS = {
    TapOutcome.STARTED: "tap-started",
    TapOutcome.RUNNING: "tap-running",
    TapOutcome.DONE: "tap-done",
    TapOutcome.STALE: "tap-stale",
    TapOutcome.NOT_YOURS: "tap-not-yours",
    TapOutcome.UNSUPPORTED: "tap-unsupported",
}
ALERTS = (TapOutcome.STALE, TapOutcome.NOT_YOURS, TapOutcome.UNSUPPORTED)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    locale = await remember(update, context)
    decoded = decode(query.data)
    message = query.message
    if decoded is None or message is None:
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return
    job_id, n = decoded
    tap = await s.jobs.press(
        job_id=job_id,
        n=n,
        user_id=query.from_user.id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        private=message.chat.type == ChatType.PRIVATE,
        locale=locale,
        administers=lambda chat_id: is_admin(context.bot, chat_id, query.from_user.id),
    )
    action = s.courier.button_label(locale, tap.button) if tap.button else ""
    await query.answer(
        s.translate(locale, ANSWER_KEYS[tap.outcome], action=action),
        show_alert=tap.outcome in ALERTS,
    )

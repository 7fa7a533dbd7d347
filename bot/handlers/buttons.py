"""Taps on result buttons: every tap is answered, only the right person starts a job or
gets the full-size file."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.domain import Action, JobStatus
from bot.handlers.common import REFUSED, is_admin, refused_tap, remember, reply
from bot.handlers.prompt_edit import ask_for_prompt
from bot.handlers.region import open_picker
from bot.jobs import TapOutcome
from bot.keyboards import decode, decode_full_size
from bot.originals import Sent
from bot.services import services

ANSWER_KEYS = {
    TapOutcome.STARTED: "tap-started",
    TapOutcome.RUNNING: "tap-running",
    TapOutcome.DONE: "tap-done",
    TapOutcome.STALE: "tap-stale",
    TapOutcome.NOT_YOURS: "tap-not-yours",
    TapOutcome.UNSUPPORTED: "tap-unsupported",
}
ALERTS = (
    TapOutcome.STALE,
    TapOutcome.NOT_YOURS,
    TapOutcome.UNSUPPORTED,
)


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
        prefs=await s.db.users.preferences(query.from_user.id),
    )
    action = s.courier.button_label(locale, tap.button) if tap.button else ""
    if tap.outcome is TapOutcome.NEEDS_INPUT:
        await ask_for_input(update, context, job_id, n, locale)
        return
    if tap.outcome in REFUSED:
        text = await refused_tap(s, locale, tap, query.from_user.id)
        await query.answer(text, show_alert=True)
        return
    await query.answer(
        s.translate(locale, ANSWER_KEYS[tap.outcome], action=action),
        show_alert=tap.outcome in ALERTS,
    )


async def on_full_size(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`⬇️ Full size`: the tap is answered at once, the document follows."""
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    locale = await remember(update, context)
    job_id, message = decode_full_size(query.data), query.message
    job = await s.db.jobs.get(job_id) if job_id is not None else None
    if (
        job is None
        or message is None
        or job.chat_id != message.chat.id
        or job.status is not JobStatus.DELIVERED
        or not job.action.is_upscale
    ):
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return

    async def administers(chat_id: int) -> bool:
        return await is_admin(context.bot, chat_id, query.from_user.id)

    private = message.chat.type == ChatType.PRIVATE
    if not private and not await s.jobs.may_press(job, query.from_user.id, administers):
        await query.answer(s.translate(locale, "tap-not-yours"), show_alert=True)
        return
    if s.originals.busy(job.id):
        await query.answer(s.translate(locale, "full-size-busy"))
        return
    await query.answer(s.translate(locale, "full-size-sending"))
    if await s.originals.send(job, message.chat.id, message.message_id) is Sent.FAILED:
        text = s.translate(locale, "full-size-failed")
        await reply(context.bot, message.chat.id, message.message_id, text)


async def ask_for_input(
    update: Update, context: ContextTypes.DEFAULT_TYPE, job_id: int, n: int, locale: str
) -> None:
    """A button that needs the person's input first: Vary (Region) opens its picker, Custom
    Zoom and a remixed button ask for the prompt."""
    query, s = update.callback_query, services(context)
    parent = await s.db.jobs.get(job_id)
    if query is None or query.message is None or parent is None:
        return  # press() found them all a moment ago
    private = query.message.chat.type == ChatType.PRIVATE
    user_id = query.from_user.id
    if parent.buttons[n].action is not Action.VARY_REGION:
        await query.answer()
        await ask_for_prompt(s, context.bot, parent, n, user_id, locale, private)
        return
    if not s.images.possible(Action.VARY_REGION in s.provider.inline_images):
        await query.answer(s.translate(locale, "region-needs-url"), show_alert=True)
        return
    await query.answer(s.translate(locale, "region-opening"))
    if not await open_picker(s, context.bot, parent, n, user_id, locale, private):
        text = s.translate(locale, "region-failed")
        await reply(context.bot, parent.chat_id, query.message.message_id, text)

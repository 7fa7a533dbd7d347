"""Taps on the buttons of a two-step flow (`f:<flow id>:<step>`): a blend's panel, a Vary
(Region) picker, a Remix question. Every tap is answered; only the person the flow belongs
to moves it, one tap (or photo) at a time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.flows.store import BLEND, EDIT, REGION
from bot.handlers.common import remember
from bot.handlers.describe_blend import blend_button
from bot.handlers.prompt_edit import edit_button
from bot.handlers.region import region_button
from bot.keyboards import decode_flow
from bot.services import services

STEPS = {BLEND: blend_button, REGION: region_button, EDIT: edit_button}


async def on_flow_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    s, locale = services(context), await remember(update, context)
    decoded = decode_flow(query.data)
    flow = await s.db.flows.get(decoded[0]) if decoded else None
    if decoded is None or flow is None or flow.kind not in STEPS:
        await query.answer(s.translate(locale, "flow-stale"), show_alert=True)
        return
    if query.from_user.id != flow.user_id:
        await query.answer(s.translate(locale, "flow-not-yours"), show_alert=True)
        return
    async with s.db.flows.lock(flow.id):
        current = await s.db.flows.get(flow.id)  # as the tap or photo before this one left it
        if current is None:
            await query.answer(s.translate(locale, "flow-stale"), show_alert=True)
            return
        await STEPS[flow.kind](s, context.bot, current, decoded[1], query, locale)

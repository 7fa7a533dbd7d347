"""The Vary (Region) picker: the image with a numbered grid over it and a keyboard of the same
cells. A tap toggles a cell (`▣` when chosen), a reply to the picker sets the prompt, `✅
Submit` runs the region job, `✖️ Cancel` takes the picker away. The picker is a row in
`flows`: a restart loses nothing, and only the person it was opened for may work it.
"""

from __future__ import annotations

import asyncio
import html
import logging

from telegram import (
    Bot,
    CallbackQuery,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.domain import Job
from bot.flows.region import GRID, gridded
from bot.flows.store import REGION, Flow
from bot.handlers.common import REFUSED, is_admin, refused_tap, replied_flow
from bot.images import ImageError
from bot.jobs import Given, TapOutcome
from bot.keyboards import flow_data
from bot.prompts import PromptError, validate
from bot.providers.errors import ProviderError
from bot.results import shorten
from bot.services import Services, services

log = logging.getLogger(__name__)

GO, CANCEL = "go", "x"
CHOSEN = "▣"
PROMPT_IN_CAPTION = 700  # the caption holds 1024 characters
COPY_LIMIT = 256  # characters a copy button holds


async def open_picker(
    s: Services, bot: Bot, parent: Job, n: int, user_id: int, locale: str, private: bool
) -> bool:
    """Post the picker for button `n` (Vary (Region)) of `parent`; False when its image
    cannot be had."""
    try:
        original = await s.provider.download(parent.image_url or "")
        preview, size = await asyncio.to_thread(gridded, original)
    except (ProviderError, ImageError, OSError) as exc:
        log.warning("job %d: no picker, the image is not to be had: %s", parent.id, exc)
        return False
    data = {
        "job": parent.id,
        "button": n,
        "cells": [],
        "prompt": parent.prompt,
        "size": list(size),
        "locale": locale,
        "private": private,
    }
    # Named by the parent until the picker is posted (its buttons carry the flow's id); a
    # reply to the picker waits for the name (messages.new_region_prompt).
    async with s.db.flows.lock((parent.chat_id, user_id)):
        flow = await s.db.flows.start(REGION, parent.chat_id, user_id, -parent.id, data)
        reply_to = parent.result_message_id or parent.request_message_id
        picker = await bot.send_photo(
            parent.chat_id,
            preview,
            caption=caption(s, flow),
            parse_mode=ParseMode.HTML,
            reply_markup=markup(s, flow),
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to
            else None,
        )
        await s.db.flows.move(flow.id, picker.message_id)
    return True


def caption(s: Services, flow: Flow) -> str:
    prompt = html.escape(shorten(flow.data["prompt"], PROMPT_IN_CAPTION))
    return s.translate(flow.data["locale"], "region-picker", prompt=f"<code>{prompt}</code>")


def markup(s: Services, flow: Flow) -> InlineKeyboardMarkup:
    """The cells in the image's layout, a button that copies the prompt, Submit and Cancel."""
    locale, chosen = flow.data["locale"], set(flow.data["cells"])
    rows = []
    for row in range(GRID):
        cells = range(row * GRID + 1, (row + 1) * GRID + 1)
        rows.append(
            [
                InlineKeyboardButton(
                    f"{CHOSEN} {cell}" if cell in chosen else str(cell),
                    callback_data=flow_data(flow.id, str(cell)),
                )
                for cell in cells
            ]
        )
    copy = CopyTextButton(flow.data["prompt"][:COPY_LIMIT])
    rows.append([InlineKeyboardButton(s.translate(locale, "button-copy-prompt"), copy_text=copy)])
    submit = s.translate(locale, "button-submit")
    cancel = s.translate(locale, "button-cancel")
    rows.append(
        [
            InlineKeyboardButton(submit, callback_data=flow_data(flow.id, GO)),
            InlineKeyboardButton(cancel, callback_data=flow_data(flow.id, CANCEL)),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def region_button(
    s: Services, bot: Bot, flow: Flow, step: str, query: CallbackQuery, locale: str
) -> None:
    """A tap on the picker (its flow's lock held)."""
    if step == CANCEL:
        await s.db.flows.end(flow.id)
        await query.answer()
        try:
            await bot.delete_message(flow.chat_id, flow.message_id)
        except TelegramError as exc:
            log.info("flow %d: picker not deleted: %s", flow.id, exc)
        return
    if step == GO:
        await submit(s, bot, flow, query, locale)
        return
    cell = int(step) if step.isdigit() else 0
    if not 1 <= cell <= GRID * GRID:
        await query.answer(s.translate(locale, "flow-stale"), show_alert=True)
        return
    cells: list[int] = flow.data["cells"]
    cells.remove(cell) if cell in cells else cells.append(cell)
    await s.db.flows.save(flow)
    await query.answer()
    await show(s, bot, flow)


async def show(s: Services, bot: Bot, flow: Flow, with_caption: bool = False) -> None:
    """Redraw the picker's keyboard (and its caption, when the prompt changed)."""
    try:
        if with_caption:
            await bot.edit_message_caption(
                flow.chat_id,
                flow.message_id,
                caption=caption(s, flow),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(s, flow),
            )
        else:
            await bot.edit_message_reply_markup(
                flow.chat_id, flow.message_id, reply_markup=markup(s, flow)
            )
    except TelegramError as exc:
        log.info("flow %d: picker not redrawn: %s", flow.id, exc)


async def submit(s: Services, bot: Bot, flow: Flow, query: CallbackQuery, locale: str) -> None:
    cells = sorted(flow.data["cells"])
    if not cells:
        await query.answer(s.translate(locale, "region-empty"), show_alert=True)
        return
    parent = await s.db.jobs.get(flow.data["job"])
    region = {"cells": cells, "grid": GRID, "size": flow.data["size"]}
    tap = await s.jobs.press(
        job_id=flow.data["job"],
        n=flow.data["button"],
        user_id=query.from_user.id,
        chat_id=flow.chat_id,
        message_id=parent.result_message_id if parent else 0,
        private=flow.data["private"],
        locale=locale,
        administers=lambda chat_id: is_admin(bot, chat_id, query.from_user.id),
        prefs=await s.db.users.preferences(query.from_user.id),
        given=Given(flow.data["prompt"], region),
    )
    if tap.outcome is TapOutcome.RUNNING:
        action = s.courier.button_label(locale, tap.button) if tap.button else ""
        await query.answer(s.translate(locale, "tap-running", action=action), show_alert=True)
        return
    if tap.outcome in REFUSED:  # the picker stays: it can be submitted after a /buy
        await query.answer(await refused_tap(s, locale, tap, query.from_user.id), show_alert=True)
        return
    await s.db.flows.end(flow.id)
    if tap.outcome is not TapOutcome.STARTED:
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return
    await query.answer(s.translate(locale, "region-started"))
    chosen = ", ".join(map(str, cells))
    text = s.translate(flow.data["locale"], "region-submitted", cells=chosen)
    try:
        await bot.edit_message_caption(flow.chat_id, flow.message_id, caption=text)
    except TelegramError as exc:
        log.info("flow %d: picker not closed: %s", flow.id, exc)


async def new_region_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A reply to a Vary (Region) picker by the person it is for: the text is its new
    prompt (the picker shows it), or a line saying what is wrong with it."""
    flow, message = await replied_flow(update, context, REGION), update.effective_message
    if flow is None or message is None or message.text is None:
        return False
    s = services(context)
    async with s.db.flows.lock(flow.id):
        flow = await s.db.flows.get(flow.id)
        if flow is None:
            return False
        try:
            flow.data["prompt"] = validate(message.text)
        except PromptError as error:
            text = s.translate(
                flow.data["locale"], error.key, parameter=error.parameter, limit=error.limit
            )
            await message.reply_text(text)
            return True
        await s.db.flows.save(flow)
        await show(s, context.bot, flow, with_caption=True)
    return True

"""Buttons that run with a prompt the person writes: Custom Zoom asks with ForceReply and
shows the current prompt with `--zoom 2`; with Remix on, V1–V4, 🔄, Vary and Pan show the
current prompt with `✅ Keep` (run it unchanged) and `✖️ Cancel`. The question is a row in
`flows` named by its message; the asker's reply to it runs the job.
"""

from __future__ import annotations

import html
import logging

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.domain import Action, Job
from bot.flows.store import EDIT, Flow
from bot.handlers.common import REFUSED, is_admin, refused_tap, replied_flow
from bot.jobs import Given, TapOutcome
from bot.keyboards import flow_data
from bot.prompts import PromptError, validate, zoom_prompt
from bot.results import shorten
from bot.services import Services, services

log = logging.getLogger(__name__)

KEEP, CANCEL = "keep", "x"
PROMPT_SHOWN = 3000  # characters of the prompt in the question (a message holds 4096)


async def ask_for_prompt(
    s: Services, bot: Bot, parent: Job, n: int, user_id: int, locale: str, private: bool
) -> None:
    """Ask for the prompt that button `n` of `parent` is to run with."""
    button = parent.buttons[n]
    zoom = button.action is Action.ZOOM_CUSTOM
    shown = zoom_prompt(parent.prompt) if zoom else parent.prompt
    data = {"job": parent.id, "button": n, "prompt": parent.prompt, "zoom": zoom}
    data |= {"locale": locale, "private": private}
    action = s.courier.button_label(locale, button)
    text = s.translate(
        locale,
        "zoom-ask" if zoom else "remix-ask",
        action=html.escape(action),
        prompt=f"<code>{html.escape(shorten(shown, PROMPT_SHOWN))}</code>",
    )
    reply_to = parent.result_message_id or parent.request_message_id
    # Named for the moment by the button; a reply waits for the question's own name.
    async with s.db.flows.lock((parent.chat_id, user_id)):
        flow = await s.db.flows.start(EDIT, parent.chat_id, user_id, -(parent.id * 1000 + n), data)
        asked = await bot.send_message(
            parent.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=question_markup(s, flow, locale, zoom),
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to
            else None,
        )
        await s.db.flows.move(flow.id, asked.message_id)


def question_markup(
    s: Services, flow: Flow, locale: str, zoom: bool
) -> ForceReply | InlineKeyboardMarkup:
    if zoom:
        placeholder = s.translate(locale, "zoom-placeholder")
        return ForceReply(selective=True, input_field_placeholder=placeholder)
    keep = s.translate(locale, "button-keep")
    cancel = s.translate(locale, "button-cancel")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(keep, callback_data=flow_data(flow.id, KEEP)),
                InlineKeyboardButton(cancel, callback_data=flow_data(flow.id, CANCEL)),
            ]
        ]
    )


async def edited_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A reply to the question by the person it was asked of: the job runs with that prompt
    (or the person learns what is wrong with it). False for any other message."""
    flow, message = await replied_flow(update, context, EDIT), update.effective_message
    if flow is None or message is None or message.text is None:
        return False
    s = services(context)
    async with s.db.flows.lock(flow.id):
        flow = await s.db.flows.get(flow.id)
        if flow is None:
            return False
        locale = flow.data["locale"]
        try:
            prompt = zoom_prompt(message.text) if flow.data["zoom"] else validate(message.text)
        except PromptError as error:
            values = {"parameter": error.parameter, "limit": error.limit}
            await message.reply_text(s.translate(locale, error.key, **values))
            return True
        answer = await run(s, context.bot, flow, prompt, flow.user_id)
        if answer:
            await message.reply_text(answer)
    return True


async def edit_button(
    s: Services, bot: Bot, flow: Flow, step: str, query: CallbackQuery, locale: str
) -> None:
    """`✅ Keep` and `✖️ Cancel` under a Remix question (its flow's lock held)."""
    if step == KEEP:
        answer = await run(s, bot, flow, flow.data["prompt"], query.from_user.id)
        await query.answer(answer or s.translate(locale, "tap-started", action=""))
        return
    await s.db.flows.end(flow.id)
    await query.answer()
    try:
        await bot.delete_message(flow.chat_id, flow.message_id)
    except TelegramError as exc:
        log.info("flow %d: question not deleted: %s", flow.id, exc)


async def run(s: Services, bot: Bot, flow: Flow, prompt: str, user_id: int) -> str | None:
    """Start the button's job with `prompt`; None when it started, else what to say."""
    parent = await s.db.jobs.get(flow.data["job"])
    tap = await s.jobs.press(
        job_id=flow.data["job"],
        n=flow.data["button"],
        user_id=user_id,
        chat_id=flow.chat_id,
        message_id=parent.result_message_id if parent else 0,
        private=flow.data["private"],
        locale=flow.data["locale"],
        administers=lambda chat_id: is_admin(bot, chat_id, user_id),
        prefs=await s.db.users.preferences(user_id),
        given=Given(prompt),
    )
    locale = flow.data["locale"]
    action = s.courier.button_label(locale, tap.button) if tap.button else ""
    if tap.outcome is TapOutcome.RUNNING:
        return s.translate(locale, "tap-running", action=action)
    if tap.outcome in REFUSED:  # the question stays: it can be answered after a /buy
        return await refused_tap(s, locale, tap, user_id)
    await s.db.flows.end(flow.id)
    if tap.outcome is not TapOutcome.STARTED:
        return s.translate(locale, "tap-stale")
    return None

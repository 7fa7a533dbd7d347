"""/history: the person's past results, newest first, ten to a page; a tap on a number posts
that result again in this chat, with its buttons working as when it was new (a copy of the
job, see bot/history.py).

In a group the history holds only what was posted in that group: a person's private results
stay private. Callback data is `h:<owner>:p:<offset>` (a page, edited in place) and
`h:<owner>:r:<job>` (post again). Only the person whose history it is may press them.
"""

from __future__ import annotations

import html
import logging
import re

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.domain import Action, Job, JobStatus
from bot.handlers.common import edit_in_place, remember, reply
from bot.keyboards import label_key
from bot.results import shorten
from bot.services import Services, services

log = logging.getLogger(__name__)

CALLBACK = re.compile(r"^h:(\d{1,18}):([pr]):(\d{1,18})$")
PAGE = 10
PER_ROW = 5
PROMPT_IN_LINE = 60


def page_data(owner: int, offset: int) -> str:
    return f"h:{owner}:p:{offset}"


def repost_data(owner: int, job_id: int) -> str:
    return f"h:{owner}:r:{job_id}"


def group_of(chat: Chat) -> int | None:
    """The chat a history shown there is limited to: a group's own; none in private."""
    return None if chat.type == ChatType.PRIVATE else chat.id


def is_item(job: Job) -> bool:
    """Whether the job is one of its person's history items (as HistoryStore lists them)."""
    shown = job.file_id is not None or (job.action is Action.DESCRIBE and bool(job.prompts))
    return job.status is JobStatus.DELIVERED and job.copy_of is None and shown


def line(s: Services, locale: str, number: int, job: Job) -> str:
    """`3. a red fox in the snow`, `4. U2 · a red fox in the snow`, HTML."""
    prompt = html.escape(shorten(" ".join(job.prompt.split()), PROMPT_IN_LINE))
    if job.action is Action.IMAGINE:
        return s.translate(locale, "history-line", number=number, prompt=prompt)
    if job.action is Action.DESCRIBE:
        action = s.translate(locale, "history-describe")
    else:
        action = s.translate(locale, label_key(job.action), index=job.index, label="")
    if not prompt:  # a describe or a blend has none
        return s.translate(locale, "history-line-bare", number=number, action=html.escape(action))
    return s.translate(
        locale, "history-line-action", number=number, action=html.escape(action), prompt=prompt
    )


async def view(
    s: Services, locale: str, owner: int, offset: int, only_in: int | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The page of `owner`'s history from `offset` on (only what was posted in chat
    `only_in`, if given): its text (HTML) and keyboard. Past the end (the history shrank, or
    the data was forged), the first page."""
    jobs, more = await s.db.history.page(owner, offset, PAGE, only_in)
    if not jobs and offset > 0:
        offset = 0
        jobs, more = await s.db.history.page(owner, offset, PAGE, only_in)
    if not jobs:
        return s.translate(locale, "history-empty"), None
    first, last = offset + 1, offset + len(jobs)
    lines = [s.translate(locale, "history-title", first=first, last=last)]
    lines += [line(s, locale, number, job) for number, job in enumerate(jobs, start=first)]
    numbers = [
        InlineKeyboardButton(str(number), callback_data=repost_data(owner, job.id))
        for number, job in enumerate(jobs, start=first)
    ]
    rows = [numbers[i : i + PER_ROW] for i in range(0, len(numbers), PER_ROW)]
    moves = []
    if offset > 0:
        previous = s.translate(locale, "history-previous")
        moves.append(
            InlineKeyboardButton(previous, callback_data=page_data(owner, max(0, offset - PAGE)))
        )
    if more:
        following = s.translate(locale, "history-next")
        moves.append(InlineKeyboardButton(following, callback_data=page_data(owner, offset + PAGE)))
    if moves:
        rows.append(moves)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def show_history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    locale = await remember(update, context)
    text, markup = await view(services(context), locale, user.id, 0, group_of(message.chat))
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_history_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    locale = await remember(update, context)
    s = services(context)
    match = CALLBACK.match(query.data or "")
    message = query.message
    if match is None or message is None:
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return
    owner, code, value = int(match.group(1)), match.group(2), int(match.group(3))
    if query.from_user.id != owner:
        await query.answer(s.translate(locale, "history-not-yours"), show_alert=True)
        return
    if code == "p":
        text, markup = await view(s, locale, owner, value, group_of(message.chat))
        await query.answer()
        await edit_in_place(query, text, markup, ParseMode.HTML)
        return
    job = await s.db.jobs.get(value)
    only_in = group_of(message.chat)
    if (
        job is None
        or job.user_id != owner
        or not is_item(job)
        or only_in not in (None, job.chat_id)
    ):
        await query.answer(s.translate(locale, "history-stale"), show_alert=True)
        return
    await query.answer(s.translate(locale, "history-posting"))
    if not await post_again(s, job, message.chat.id, locale):
        text = s.translate(locale, "history-failed")
        await reply(context.bot, message.chat.id, message.message_id, text)


async def post_again(s: Services, job: Job, chat_id: int, locale: str) -> bool:
    """Post the result `job` again in `chat_id` as a copy with its own buttons; whether it
    was posted. The copy is stored first, so that its buttons point at a row that exists
    (a tap before its message id is stored is taken, as for any result being marked
    posted); if the post fails, the copy is deleted again."""
    copy = await s.db.history.repost(job, chat_id, locale)
    try:
        message = await s.courier.results.repost(copy, chat_id)
    except Exception as exc:
        await s.db.history.discard(copy)
        if not isinstance(exc, TelegramError):
            raise
        log.info("job %d: not posted again in chat %d: %s", job.id, chat_id, exc)
        return False
    await s.db.jobs.update(copy, result_message_id=message.message_id)
    log.info("job %d posted again in chat %d as job %d", job.id, chat_id, copy.id)
    return True

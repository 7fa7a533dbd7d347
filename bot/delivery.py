"""Telegram side of a job: the status message, the posted result (results.py), failures."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Bot, LinkPreviewOptions, Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.domain import Action, Button, Job, JobStatus
from bot.i18n import Translator
from bot.outbox import Priority, Send, Superseded
from bot.providers.base import ErrorKind, Provider
from bot.results import Results, reply_to, shorten
from bot.steps import DeliveryError
from bot.store import Database

log = logging.getLogger(__name__)

PROMPT_IN_STATUS = 200
BAR_CELLS = 10
SHOWN_REASONS = (ErrorKind.FAILED, ErrorKind.MODERATION)

T = TypeVar("T")


def progress_bar(percent: int) -> str:
    filled = round(percent / 100 * BAR_CELLS)
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def status_key(job: Job) -> tuple[str, int]:
    """The outbox's key for everything about a job's status message."""
    return ("status", job.id)


def doing_key(action: Action) -> str:
    """The Fluent message that says in words what a job of this action is doing."""
    return "doing-" + action.value.replace("_", "-")


class Courier:
    """Shows a job in its chat. Used by the tracker (as its Notifier) and by the handlers.

    Every call says its priority to the outbox (outbox.py). Calls about a job's status message
    share a key, so they reach Telegram one at a time and in order, and a progress edit still
    queued when the result or failure comes is dropped. A group that became a supergroup is
    followed there.
    """

    def __init__(
        self,
        bot: Bot,
        db: Database,
        provider: Provider,
        translate: Translator,
        *,
        edit_interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.db = db
        self.provider = provider
        self.t = translate
        self.results = Results(bot, db, provider, translate)
        self.edit_interval = edit_interval
        self.clock = clock
        self._shown: dict[int, tuple[float, str]] = {}  # job id → (when, status text)
        self._background: set[asyncio.Task[None]] = set()

    def button_label(self, locale: str, button: Button) -> str:
        return self.results.button_label(locale, button)

    def status_text(self, job: Job, trouble: bool = False) -> str:
        running = job.status is JobStatus.RUNNING
        values = {"bar": progress_bar(job.progress), "percent": job.progress}
        if job.action is Action.IMAGINE:
            key = "status-running" if running else "status-queued"
            text = self.t(job.locale, key, prompt=shorten(job.prompt, PROMPT_IN_STATUS), **values)
        else:
            key = "status-action-running" if running else "status-action-queued"
            doing = self.t(job.locale, doing_key(job.action), index=job.index)
            text = self.t(job.locale, key, doing=doing, **values)
        return text + "\n" + self.t(job.locale, "status-trouble") if trouble else text

    async def announce(self, job: Job) -> None:
        """Post the first status message of a new job. Raises what Telegram raised: a
        refusal (Forbidden, BadRequest) means the bot cannot post in this chat."""
        await self._show(job, self.status_text(job), Send(Priority.ANNOUNCE, status_key(job)))

    async def progress(self, job: Job, trouble: bool = False) -> None:
        """Edit the status message when its text changed, at most every `edit_interval`
        seconds (news of an outage at once)."""
        if job.status.is_final or job.status is JobStatus.SUCCEEDED:
            return
        text = self.status_text(job, trouble)
        shown = f"{text}\n{job.image_url or ''}"  # a new preview is news too
        now = self.clock()
        last = self._shown.get(job.id)
        if last and (last[1] == shown or (now - last[0] < self.edit_interval and not trouble)):
            return
        self._shown[job.id] = (now, shown)
        send = Send(Priority.PROGRESS, status_key(job), replaceable=True)
        try:
            await self._show(job, text, send)
        except Superseded:
            pass  # a newer text, the result or the failure notice took its place
        except TelegramError as exc:
            log.warning("job %d: status update not shown: %s", job.id, exc)

    async def _show(self, job: Job, text: str, send: Send) -> None:
        preview = self._preview(job)
        if job.status_message_id:
            try:
                await self._in_chat(
                    job,
                    lambda chat: self.bot.edit_message_text(
                        text,
                        chat,
                        job.status_message_id,
                        link_preview_options=preview,
                        rate_limit_args=send,
                    ),
                )
                return
            except BadRequest as exc:
                if "not modified" in exc.message:
                    return
                if "not found" not in exc.message:
                    raise
        message = await self._in_chat(
            job,
            lambda chat: self.bot.send_message(
                chat,
                text,
                reply_parameters=reply_to(job),
                link_preview_options=preview,
                rate_limit_args=send,
            ),
        )
        await self.db.jobs.update(job, status_message_id=message.message_id)

    @staticmethod
    def _preview(job: Job) -> LinkPreviewOptions | None:
        """The image a running job shows so far, where the provider gives one: Telegram
        draws it above the status text (and fetches it itself)."""
        if job.status is not JobStatus.RUNNING or not job.image_url:
            return None
        return LinkPreviewOptions(url=job.image_url, prefer_large_media=True, show_above_text=True)

    async def deliver(self, job: Job) -> None:
        """Post the result (results.py), replying to what asked for it; from then on the job
        is DELIVERED."""
        data = await self.results.prepare(job)
        try:
            message, file_id = await self._in_chat(
                job, lambda chat: self.results.post(job, chat, data)
            )
        except Forbidden as exc:
            raise DeliveryError(f"the chat is closed to the bot: {exc}", retry=False) from exc
        except BadRequest as exc:
            raise DeliveryError(f"Telegram refused the result: {exc}", retry=False) from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram: {exc}", retry=True) from exc
        await self._posted(job, message, file_id)

    async def _posted(self, job: Job, message: Message, file_id: str | None) -> None:
        # Marked at once: from here on, a restart must not post this result again.
        await self.db.jobs.update(
            job, status=JobStatus.DELIVERED, result_message_id=message.message_id, file_id=file_id
        )
        self._shown.pop(job.id, None)
        if job.status_message_id:
            # Last in the outbox's order, and nothing waits for it.
            self._in_background(self._clean_up(job))

    async def _clean_up(self, job: Job) -> None:
        send = Send(Priority.CLEANUP, status_key(job))
        try:
            await self._in_chat(
                job,
                lambda chat: self.bot.delete_message(
                    chat, job.status_message_id, rate_limit_args=send
                ),
            )
        except Exception as exc:
            log.info("job %d: status message not deleted: %s", job.id, exc)

    async def close(self, grace: float) -> None:
        """Let the clean-ups and marks under way finish, for up to `grace` seconds."""
        if self._background:
            await asyncio.wait(self._background, timeout=grace)

    def mark_pressed(self, parent: Job, message_id: int) -> None:
        """Mark the used buttons on the parent's keyboard (message `message_id`), last in the
        outbox's order; nothing waits for it."""
        self._in_background(self._mark_pressed(parent, message_id))

    async def _mark_pressed(self, parent: Job, message_id: int) -> None:
        send = Send(Priority.CLEANUP, ("markup", parent.id), replaceable=True)
        markup = self.results.markup(parent, await self.db.jobs.pressed(parent.id))
        try:
            await self._in_chat(
                parent,
                lambda chat: self.bot.edit_message_reply_markup(
                    chat, message_id, reply_markup=markup, rate_limit_args=send
                ),
            )
        except Superseded:
            pass  # a later mark of the same keyboard took its place
        except Exception as exc:  # Telegram's refusal, or the bot stopping meanwhile
            log.info("job %d: pressed buttons not marked: %s", parent.id, exc)

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def failed(self, job: Job, reason: str | None = None) -> None:
        """Replace the status message with what went wrong and what to do."""
        text = self.t(job.locale, f"error-{job.error_kind}")
        if reason and job.error_kind in SHOWN_REASONS:
            text += "\n" + self.t(job.locale, "error-reason", reason=shorten(reason, 300))
        self._shown.pop(job.id, None)
        await self._show(job, text, Send(Priority.RESULT, status_key(job)))

    async def _in_chat(self, job: Job, call: Callable[[int], Awaitable[T]]) -> T:
        """`call(chat id)`; when the group has become a supergroup, the chat and its jobs
        move there and the call is made again."""
        try:
            return await call(job.chat_id)
        except ChatMigrated as exc:
            await self.migrate(job.chat_id, exc.new_chat_id)
            job.chat_id = exc.new_chat_id
            return await call(job.chat_id)

    async def migrate(self, old_id: int, new_id: int) -> None:
        await self.db.chats.migrate(old_id, new_id)
        log.info("chat %d became supergroup %d: its jobs moved there", old_id, new_id)

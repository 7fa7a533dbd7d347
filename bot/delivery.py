"""Telegram side of a job: the status message, the posted result with its keyboard, failures."""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.domain import Action, Button, Job, JobStatus
from bot.i18n import Translator
from bot.images import ImageError, fit_photo
from bot.keyboards import keyboard, label_key
from bot.outbox import Priority, Send, Superseded
from bot.providers.base import ErrorKind, Provider
from bot.store import Database
from bot.tracker import DeliveryError

log = logging.getLogger(__name__)

PROMPT_IN_CAPTION = 800
PROMPT_IN_STATUS = 200
PROMPT_IN_LIST = 900  # each of a describe's prompts: four fit in one message
BAR_CELLS = 10
SHOWN_REASONS = (ErrorKind.FAILED, ErrorKind.MODERATION)
UPLOAD_TIMEOUT = 60.0  # seconds for Telegram to take and answer a photo upload
VIDEO_LIMIT = 50 * 1024 * 1024  # bytes a bot may upload to Telegram

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


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        self.edit_interval = edit_interval
        self.clock = clock
        self._shown: dict[int, tuple[float, str]] = {}  # job id → (when, status text)
        self._background: set[asyncio.Task[None]] = set()

    def button_label(self, locale: str, button: Button) -> str:
        return self.t(locale, label_key(button.action), index=button.index, label=button.label)

    def action_label(self, job: Job) -> str:
        return self.t(job.locale, label_key(job.action), index=job.index, label="")

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
                reply_parameters=self._reply_to(job),
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
        """Post the result image (a describe's prompts) with its keyboard, replying to what
        asked for it."""
        if job.action is Action.DESCRIBE:
            await self._deliver_prompts(job)
            return
        if job.action.is_video:
            await self._deliver_video(job)
            return
        if not job.image_url:
            raise DeliveryError("the provider gave no image", retry=False)
        data = await self.provider.download(job.image_url)
        try:
            photo = await asyncio.to_thread(fit_photo, data)
        except ImageError as exc:
            raise DeliveryError(f"not an image: {exc}", retry=False) from exc
        try:
            message = await self._send_result(job, photo)
        except Forbidden as exc:
            raise DeliveryError(f"the chat is closed to the bot: {exc}", retry=False) from exc
        except BadRequest as exc:
            raise DeliveryError(f"Telegram refused the photo: {exc}", retry=False) from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram: {exc}", retry=True) from exc
        await self._posted(job, message, file_id=message.photo[-1].file_id)

    async def _deliver_prompts(self, job: Job) -> None:
        if not job.prompts:
            raise DeliveryError("the provider described nothing", retry=False)
        lines = [self.t(job.locale, "describe-result")]
        for n, prompt in enumerate(job.prompts, start=1):
            number = self.t(job.locale, "button-imagine", index=n)
            lines.append(f"{number} <code>{html.escape(shorten(prompt, PROMPT_IN_LIST))}</code>")
        try:
            message = await self._in_chat(
                job,
                lambda chat: self.bot.send_message(
                    chat,
                    "\n\n".join(lines),
                    parse_mode=ParseMode.HTML,
                    reply_markup=self._markup(job),
                    reply_parameters=self._reply_to(job),
                    rate_limit_args=Send(Priority.RESULT),
                ),
            )
        except (Forbidden, BadRequest) as exc:
            raise DeliveryError(f"Telegram refused the prompts: {exc}", retry=False) from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram: {exc}", retry=True) from exc
        await self._posted(job, message)

    async def _deliver_video(self, job: Job) -> None:
        """An Animate's first video, replying to the image: a GIF as an animation, anything
        else as a video (Telegram plays MP4)."""
        if not job.video_urls:
            raise DeliveryError("the provider gave no video", retry=False)
        data = await self.provider.download(job.video_urls[0], VIDEO_LIMIT)
        gif = data.startswith(b"GIF8")
        send = self.bot.send_animation if gif else self.bot.send_video
        caption = await self._caption(job)
        try:
            message = await self._in_chat(
                job,
                lambda chat: send(
                    chat,
                    data,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    reply_markup=self._markup(job),
                    reply_parameters=self._reply_to(job),
                    read_timeout=UPLOAD_TIMEOUT,
                    write_timeout=UPLOAD_TIMEOUT,
                    filename="animation.gif" if gif else "video.mp4",
                    rate_limit_args=Send(Priority.RESULT),
                ),
            )
        except (Forbidden, BadRequest) as exc:
            raise DeliveryError(f"Telegram refused the video: {exc}", retry=False) from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram: {exc}", retry=True) from exc
        clip = message.animation or message.video
        await self._posted(job, message, file_id=clip.file_id if clip else None)

    async def _posted(self, job: Job, message: Message, file_id: str | None = None) -> None:
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

    def _markup(self, job: Job, pressed: Collection[int] = ()) -> InlineKeyboardMarkup | None:
        offered = job.action.is_upscale and job.image_url
        full_size = self.t(job.locale, "button-full-size") if offered else None
        return keyboard(
            job.id, job.buttons, lambda b: self.button_label(job.locale, b), pressed, full_size
        )

    def mark_pressed(self, parent: Job, message_id: int) -> None:
        """Mark the used buttons on the parent's keyboard (message `message_id`), last in the
        outbox's order; nothing waits for it."""
        self._in_background(self._mark_pressed(parent, message_id))

    async def _mark_pressed(self, parent: Job, message_id: int) -> None:
        send = Send(Priority.CLEANUP, ("markup", parent.id), replaceable=True)
        markup = self._markup(parent, await self.db.jobs.pressed(parent.id))
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

    async def _send_result(self, job: Job, photo: bytes) -> Message:
        markup = self._markup(job)
        caption = await self._caption(job)
        return await self._in_chat(
            job,
            lambda chat: self.bot.send_photo(
                chat,
                photo,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                reply_parameters=self._reply_to(job),
                # Telegram may take long to answer an upload it accepted; giving up early
                # would post the photo a second time.
                read_timeout=UPLOAD_TIMEOUT,
                write_timeout=UPLOAD_TIMEOUT,
                rate_limit_args=Send(Priority.RESULT),
            ),
        )

    async def _caption(self, job: Job) -> str:
        if job.sender_chat_id is not None:
            chat = await self.db.chats.title(job.sender_chat_id)
            who = html.escape(chat or "?")
        else:
            user = await self.db.users.first_name(job.user_id)
            who = f'<a href="tg://user?id={job.user_id}">{html.escape(user or "?")}</a>'
        values = {"prompt": f"<b>{html.escape(shorten(job.prompt, PROMPT_IN_CAPTION))}</b>"}
        values["user"] = who
        if job.action is Action.IMAGINE:
            return self.t(job.locale, "result-caption", **values)
        action = html.escape(self.action_label(job))
        if not job.prompt:  # a blend has none
            return self.t(job.locale, "result-caption-bare", action=action, user=who)
        return self.t(job.locale, "result-caption-action", action=action, **values)

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

    @staticmethod
    def _reply_to(job: Job) -> ReplyParameters | None:
        if job.request_message_id is None:
            return None
        return ReplyParameters(job.request_message_id, allow_sending_without_reply=True)

"""Telegram side of a job: the status message, the posted result with its keyboard, failures."""

from __future__ import annotations

import asyncio
import html
import io
import logging
import time
from collections.abc import Callable

from PIL import Image
from telegram import Bot, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain import Action, Button, Job, JobStatus
from bot.i18n import Translator
from bot.keyboards import keyboard, label_key
from bot.providers.base import ErrorKind, Provider
from bot.store import Database
from bot.tracker import DeliveryError

log = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDES = 10_000  # width + height
PROMPT_IN_CAPTION = 800
PROMPT_IN_STATUS = 200
BAR_CELLS = 10
SHOWN_REASONS = (ErrorKind.FAILED, ErrorKind.MODERATION)


def fit_photo(data: bytes) -> bytes:
    """The image as Telegram takes a photo: re-encoded to JPEG (and scaled down) only when
    it is over 10 MB or over 10 000 px of width plus height. Blocking: run it in a thread."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if len(data) <= PHOTO_MAX_BYTES and width + height <= PHOTO_MAX_SIDES:
            return data
        scale = min(1.0, PHOTO_MAX_SIDES / (width + height))
        picture = image.convert("RGB")
    if scale < 1.0:
        picture = picture.resize((int(width * scale), int(height * scale)), Image.LANCZOS)
    for quality in (92, 85, 75, 60):
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= PHOTO_MAX_BYTES:
            return buffer.getvalue()
    picture.thumbnail((2560, 2560))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def progress_bar(percent: int) -> str:
    filled = round(percent / 100 * BAR_CELLS)
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Courier:
    """Shows a job in its chat. Used by the tracker (as its Notifier) and by the handlers."""

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

    def button_label(self, locale: str, button: Button) -> str:
        return self.t(locale, label_key(button.action), index=button.index, label=button.label)

    def action_label(self, job: Job) -> str:
        return self.t(job.locale, label_key(job.action), index=job.index, label="")

    def status_text(self, job: Job) -> str:
        running = job.status is JobStatus.RUNNING
        values = {"bar": progress_bar(job.progress), "percent": job.progress}
        if job.action is Action.IMAGINE:
            key = "status-running" if running else "status-queued"
            return self.t(job.locale, key, prompt=shorten(job.prompt, PROMPT_IN_STATUS), **values)
        key = "status-action-running" if running else "status-action-queued"
        return self.t(job.locale, key, action=self.action_label(job), **values)

    async def announce(self, job: Job) -> None:
        """Post the first status message of a new job."""
        await self._show(job, self.status_text(job))

    async def progress(self, job: Job) -> None:
        """Edit the status message when it changed, at most every `edit_interval` seconds."""
        text = self.status_text(job)
        now = self.clock()
        last = self._shown.get(job.id)
        if last and (last[1] == text or now - last[0] < self.edit_interval):
            return
        self._shown[job.id] = (now, text)
        try:
            await self._show(job, text)
        except TelegramError as exc:
            log.warning("job %d: status update not shown: %s", job.id, exc)

    async def _show(self, job: Job, text: str) -> None:
        if job.status_message_id:
            try:
                await self.bot.edit_message_text(text, job.chat_id, job.status_message_id)
                return
            except BadRequest as exc:
                if "not modified" in exc.message:
                    return
                if "not found" not in exc.message:
                    raise
        message = await self.bot.send_message(
            job.chat_id, text, reply_parameters=self._reply_to(job)
        )
        await self.db.jobs.update(job, status_message_id=message.message_id)

    async def deliver(self, job: Job) -> None:
        """Post the result image with its keyboard, replying to what asked for it."""
        if not job.image_url:
            raise DeliveryError("the provider gave no image", retry=False)
        data = await self.provider.download(job.image_url)
        try:
            photo = await asyncio.to_thread(fit_photo, data)
        except OSError as exc:
            raise DeliveryError(f"not an image: {exc}", retry=False) from exc
        try:
            message = await self._send_result(job, photo)
        except Forbidden as exc:
            raise DeliveryError(f"the chat is closed to the bot: {exc}", retry=False) from exc
        except BadRequest as exc:
            raise DeliveryError(f"Telegram refused the photo: {exc}", retry=False) from exc
        except TelegramError as exc:
            raise DeliveryError(f"Telegram: {exc}", retry=True) from exc
        # Marked at once: from here on, a restart must not post this result again.
        await self.db.jobs.update(
            job,
            status=JobStatus.DELIVERED,
            result_message_id=message.message_id,
            file_id=message.photo[-1].file_id,
        )
        self._shown.pop(job.id, None)
        if job.status_message_id:
            try:
                await self.bot.delete_message(job.chat_id, job.status_message_id)
            except TelegramError as exc:
                log.info("job %d: status message not deleted: %s", job.id, exc)

    async def _send_result(self, job: Job, photo: bytes) -> Message:
        markup = keyboard(job.id, job.buttons, lambda b: self.button_label(job.locale, b))
        return await self.bot.send_photo(
            job.chat_id,
            photo,
            caption=await self._caption(job),
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_parameters=self._reply_to(job),
        )

    async def _caption(self, job: Job) -> str:
        user = await self.db.users.first_name(job.user_id)
        values = {
            "prompt": f"<b>{html.escape(shorten(job.prompt, PROMPT_IN_CAPTION))}</b>",
            "user": f'<a href="tg://user?id={job.user_id}">{html.escape(user or "?")}</a>',
        }
        if job.action is Action.IMAGINE:
            return self.t(job.locale, "result-caption", **values)
        action = html.escape(self.action_label(job))
        return self.t(job.locale, "result-caption-action", action=action, **values)

    async def failed(self, job: Job, reason: str | None = None) -> None:
        """Replace the status message with what went wrong and what to do."""
        text = self.t(job.locale, f"error-{job.error_kind}")
        if reason and job.error_kind in SHOWN_REASONS:
            text += "\n" + self.t(job.locale, "error-reason", reason=shorten(reason, 300))
        self._shown.pop(job.id, None)
        await self._show(job, text)

    @staticmethod
    def _reply_to(job: Job) -> ReplyParameters | None:
        if job.request_message_id is None:
            return None
        return ReplyParameters(job.request_message_id, allow_sending_without_reply=True)

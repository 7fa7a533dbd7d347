"""`⬇️ Full size`: an upscaled result's original file, sent as a document.

Telegram recompresses a photo to a JPEG of at most 2560 px; a document arrives byte for byte.
The file is downloaded from the provider once: Telegram's `file_id` of the first document is
kept with the job and sent again on later taps. While one is on its way, another tap on the
same result sends nothing more.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from telegram import Bot, InputFile, Message, ReplyParameters
from telegram.error import TelegramError

from bot.domain import Job
from bot.outbox import Priority, Send
from bot.providers.base import Provider
from bot.providers.errors import ProviderError
from bot.store import Database

log = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 50 * 1024 * 1024  # the most a bot may upload
UPLOAD_TIMEOUT = 120.0
SIGNATURES = ((b"\x89PNG", "png"), (b"\xff\xd8", "jpg"), (b"GIF8", "gif"))


class Sent(StrEnum):
    SENT = "sent"
    ON_ITS_WAY = "on_its_way"
    FAILED = "failed"


def extension(data: bytes) -> str:
    """The file name extension the bytes' format calls for."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((ext for magic, ext in SIGNATURES if data.startswith(magic)), "png")


class Originals:
    def __init__(self, bot: Bot, db: Database, provider: Provider) -> None:
        self.bot = bot
        self.db = db
        self.provider = provider
        self._sending: set[int] = set()

    def busy(self, job_id: int) -> bool:
        return job_id in self._sending

    async def send(self, job: Job, chat_id: int, reply_to: int) -> Sent:
        """Send the job's original file to the chat, replying to message `reply_to`."""
        if job.id in self._sending:
            return Sent.ON_ITS_WAY
        self._sending.add(job.id)
        try:
            if job.document_file_id:
                await self._post(chat_id, reply_to, job.document_file_id)
                return Sent.SENT
            if not job.image_url:
                return Sent.FAILED
            data = await self.provider.download(job.image_url, DOCUMENT_MAX_BYTES)
            name = f"midjourney-{job.id}.{extension(data)}"
            message = await self._post(chat_id, reply_to, InputFile(data, filename=name))
            if message.document:
                await self.db.jobs.update(job, document_file_id=message.document.file_id)
            return Sent.SENT
        except (ProviderError, TelegramError) as exc:
            log.warning("job %d: full-size file not sent: %s", job.id, exc)
            return Sent.FAILED
        finally:
            self._sending.discard(job.id)

    async def _post(self, chat_id: int, reply_to: int, document: str | InputFile) -> Message:
        return await self.bot.send_document(
            chat_id,
            document,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
            read_timeout=UPLOAD_TIMEOUT,
            write_timeout=UPLOAD_TIMEOUT,
            rate_limit_args=Send(Priority.ANNOUNCE),
        )

"""What a finished job looks like in its chat: the image with its caption and keyboard, a
describe's numbered prompts, an Animate's video. Each goes out at the outbox's first
priority, replying to what asked for it; the Courier (delivery.py) marks it posted."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Collection

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.domain import Action, Button, Job
from bot.i18n import Translator
from bot.images import ImageError, fit_photo
from bot.keyboards import keyboard, label_key
from bot.outbox import Priority, Send
from bot.providers.base import Provider
from bot.steps import DeliveryError
from bot.store import Database

PROMPT_IN_CAPTION = 800
PROMPT_IN_LIST = 900  # each of a describe's prompts: four fit in one message
UPLOAD_TIMEOUT = 60.0  # seconds for Telegram to take and answer an upload
VIDEO_LIMIT = 50 * 1024 * 1024  # bytes a bot may upload to Telegram


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def reply_to(job: Job) -> ReplyParameters | None:
    if job.request_message_id is None:
        return None
    return ReplyParameters(job.request_message_id, allow_sending_without_reply=True)


class Results:
    def __init__(self, bot: Bot, db: Database, provider: Provider, translate: Translator) -> None:
        self.bot = bot
        self.db = db
        self.provider = provider
        self.t = translate

    def button_label(self, locale: str, button: Button) -> str:
        return self.t(locale, label_key(button.action), index=button.index, label=button.label)

    def markup(self, job: Job, pressed: Collection[int] = ()) -> InlineKeyboardMarkup | None:
        """The result's keyboard, the buttons numbered `pressed` marked as used."""
        offered = job.action.is_upscale and job.image_url
        full_size = self.t(job.locale, "button-full-size") if offered else None
        return keyboard(
            job.id, job.buttons, lambda b: self.button_label(job.locale, b), pressed, full_size
        )

    async def prepare(self, job: Job) -> bytes:
        """What is to be uploaded (nothing for a describe), fetched from the provider."""
        if job.action is Action.DESCRIBE:
            if not job.prompts:
                raise DeliveryError("the provider described nothing", retry=False)
            return b""
        if job.action.is_video:
            if not job.video_urls:
                raise DeliveryError("the provider gave no video", retry=False)
            return await self.provider.download(job.video_urls[0], VIDEO_LIMIT)
        if not job.image_url:
            raise DeliveryError("the provider gave no image", retry=False)
        data = await self.provider.download(job.image_url)
        try:
            return await asyncio.to_thread(fit_photo, data)
        except ImageError as exc:
            raise DeliveryError(f"not an image: {exc}", retry=False) from exc

    async def post(self, job: Job, chat_id: int, data: bytes) -> tuple[Message, str | None]:
        """Post the result to `chat_id`; the message and the file id to keep."""
        if job.action is Action.DESCRIBE:
            message = await self.bot.send_message(
                chat_id,
                self._prompt_list(job),
                parse_mode=ParseMode.HTML,
                reply_markup=self.markup(job),
                reply_parameters=reply_to(job),
                rate_limit_args=Send(Priority.RESULT),
            )
            return message, None
        upload = {
            "caption": await self.caption(job),
            "parse_mode": ParseMode.HTML,
            "reply_markup": self.markup(job),
            "reply_parameters": reply_to(job),
            # Telegram may take long to answer an upload it accepted; giving up early would
            # post the result a second time.
            "read_timeout": UPLOAD_TIMEOUT,
            "write_timeout": UPLOAD_TIMEOUT,
            "rate_limit_args": Send(Priority.RESULT),
        }
        if job.action.is_video and data.startswith(b"GIF8"):
            message = await self.bot.send_animation(
                chat_id, data, filename="animation.gif", **upload
            )
            return message, message.animation.file_id if message.animation else None
        if job.action.is_video:
            message = await self.bot.send_video(chat_id, data, filename="video.mp4", **upload)
            return message, message.video.file_id if message.video else None
        message = await self.bot.send_photo(chat_id, data, **upload)
        return message, message.photo[-1].file_id

    async def repost(self, job: Job, chat_id: int) -> Message:
        """Post a delivered result again by its Telegram file id (a describe: its answer),
        with `job`'s caption and keyboard; not replying to anything. Whether a video's file
        is a video or an animation (a GIF) is not stored: the URL's suffix guesses, and the
        other is tried when Telegram says the file's type does not match."""
        if job.action is Action.DESCRIBE:
            return await self.bot.send_message(
                chat_id,
                self._prompt_list(job),
                parse_mode=ParseMode.HTML,
                reply_markup=self.markup(job),
                rate_limit_args=Send(Priority.RESULT),
            )
        sent = {
            "caption": await self.caption(job),
            "parse_mode": ParseMode.HTML,
            "reply_markup": self.markup(job),
            "rate_limit_args": Send(Priority.RESULT),
        }
        if not job.action.is_video:
            return await self.bot.send_photo(chat_id, job.file_id, **sent)
        senders = [self.bot.send_video, self.bot.send_animation]
        if job.video_urls and job.video_urls[0].lower().split("?")[0].endswith(".gif"):
            senders.reverse()
        try:
            return await senders[0](chat_id, job.file_id, **sent)
        except BadRequest as exc:
            if "type of file" not in exc.message.lower():
                raise
            return await senders[1](chat_id, job.file_id, **sent)

    def _prompt_list(self, job: Job) -> str:
        lines = [self.t(job.locale, "describe-result")]
        for n, prompt in enumerate(job.prompts, start=1):
            number = self.t(job.locale, "button-imagine", index=n)
            lines.append(f"{number} <code>{html.escape(shorten(prompt, PROMPT_IN_LIST))}</code>")
        return "\n\n".join(lines)

    async def caption(self, job: Job) -> str:
        if job.sender_chat_id is not None:
            chat = await self.db.chats.title(job.sender_chat_id)
            who = html.escape(chat or "?")
        else:
            user = await self.db.users.first_name(job.user_id)
            who = f'<a href="tg://user?id={job.user_id}">{html.escape(user or "?")}</a>'
        prompt = f"<b>{html.escape(shorten(job.prompt, PROMPT_IN_CAPTION))}</b>"
        if job.action is Action.IMAGINE:
            return self.t(job.locale, "result-caption", prompt=prompt, user=who)
        action = self.t(job.locale, label_key(job.action), index=job.index, label="")
        if not job.prompt:  # a blend has none
            return self.t(job.locale, "result-caption-bare", action=html.escape(action), user=who)
        return self.t(
            job.locale, "result-caption-action", action=html.escape(action), prompt=prompt, user=who
        )

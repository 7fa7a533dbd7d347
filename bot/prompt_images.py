"""A person's photos as image prompts, fetched from Telegram when their job is submitted.

A job keeps only Telegram's file ids, so a restart loses nothing; the bytes are fetched
through the Bot API at submit time. The Bot API's file URL carries the bot token: it is never
given to a provider. A provider whose protocol takes images inline gets the bytes (its adapter
encodes them); any other gets URLs of copies on the bot's media route (webhook mode), put at
the start of the prompt, where Midjourney reads image prompts.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot
from telegram.error import TelegramError

from bot.media import Media, NoPublicUrl
from bot.providers.errors import ErrorKind, ProviderError

PHOTO_TYPE = "image/jpeg"  # Telegram stores every photo as a JPEG


class PromptImages:
    def __init__(self, bot: Bot, media: Media) -> None:
        self.bot = bot
        self.media = media

    def possible(self, inline: bool) -> bool:
        """Whether image prompts can reach a provider: inline, or by the bot's own URL."""
        return inline or bool(self.media.public_url)

    async def fetch(self, file_ids: Sequence[str]) -> list[bytes]:
        """The photos' bytes. A failure is UNAVAILABLE and the job is tried again: nothing
        went to the provider yet."""
        images = []
        for file_id in file_ids:
            try:
                file = await self.bot.get_file(file_id)
                images.append(bytes(await file.download_as_bytearray()))
            except TelegramError as exc:
                raise ProviderError(ErrorKind.UNAVAILABLE, f"photo from Telegram: {exc}") from exc
        return images

    async def publish(self, data: bytes, content_type: str) -> str:
        """The URL of a copy the provider can fetch; UNSUPPORTED without a public address."""
        try:
            return await self.media.publish(data, content_type)
        except NoPublicUrl as exc:
            raise ProviderError(ErrorKind.UNSUPPORTED, str(exc)) from exc

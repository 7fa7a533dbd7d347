"""Files the bot hands to a provider by URL: `{PUBLIC_URL}/media/{token}.{ext}` for 24 hours.

Each file is stored as `<token>.<ext>` in one directory beside the database; the token is
random (secrets.token_urlsafe), so a URL cannot be guessed, and the web route matches only
such names, so nothing else on the disk can be reached. A file expires by its age on disk.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TTL = 24 * 3600.0
PURGE_EVERY = 3600.0
TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
EXTENSIONS = {content_type: ext for ext, content_type in TYPES.items()}
TOKEN_PATTERN = "[A-Za-z0-9_-]+"  # the alphabet of secrets.token_urlsafe


class NoPublicUrl(Exception):
    """The bot has no public address, so no URL can be made for a provider."""


class Media:
    def __init__(
        self,
        directory: Path,
        public_url: str | None,
        *,
        ttl: float = TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory
        self.public_url = public_url
        self.ttl = ttl
        self.clock = clock
        self._purged_at = 0.0

    async def publish(self, data: bytes, content_type: str) -> str:
        """Store `data` and return the URL it is served at until it expires."""
        if not self.public_url:
            raise NoPublicUrl(
                "files can be handed to a provider only by URL: PUBLIC_URL must be set"
            )
        ext = EXTENSIONS.get(content_type)
        if ext is None:
            raise ValueError(f"cannot publish {content_type}: only {', '.join(EXTENSIONS)}")
        token = secrets.token_urlsafe(24)
        await asyncio.to_thread(self._write, f"{token}.{ext}", data)
        return f"{self.public_url}/media/{token}.{ext}"

    async def find(self, token: str, ext: str) -> Path | None:
        """The file for this token, or None when there is none or it expired (then it goes)."""
        return await asyncio.to_thread(self._find, f"{token}.{ext}")

    def _write(self, name: str, data: bytes) -> None:
        if self.clock() - self._purged_at > PURGE_EVERY:
            self._purge()
        self.directory.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a half-written file is never served.
        fd, partial = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".part")
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(partial, self.directory / name)

    def _find(self, name: str) -> Path | None:
        path = self.directory / name
        try:
            written = path.stat().st_mtime
        except FileNotFoundError:
            return None
        if self.clock() - written < self.ttl:
            return path
        path.unlink(missing_ok=True)
        return None

    def _purge(self) -> None:
        """Delete every expired file."""
        self._purged_at = self.clock()
        if not self.directory.is_dir():
            return
        for path in self.directory.iterdir():
            self._find(path.name)

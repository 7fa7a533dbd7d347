"""Albums: Telegram delivers an album as separate messages sharing a `media_group_id`, the
caption on one of them. Each part is stored as it comes; once no part has come for `quiet`
seconds the album is taken whole and handed on.

The parts live in the database, so an album cut by a restart is taken at start-up. Parts
are deleted only after the hand-on returns; the hand-on first looks for a job already made
for the album (one made just before a crash), so an album never makes two.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields, replace

import aiosqlite

log = logging.getLogger(__name__)

QUIET = 1.0  # seconds without a new part before an album is taken as complete


@dataclass(frozen=True)
class AlbumPart:
    chat_id: int
    message_id: int
    media_group_id: str
    user_id: int
    file_id: str  # the photo's largest size
    private: bool
    locale: str
    caption: str | None = None  # as sent
    prompt: str | None = None  # the caption's words for the bot (after the command)
    command: str | None = None  # imagine, describe or blend; None: not meant for the bot
    sender_chat_id: int | None = None
    received_at: float = 0.0


COLUMNS = [f.name for f in fields(AlbumPart)]


class AlbumStore:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection

    async def add(self, part: AlbumPart) -> None:
        marks = ", ".join("?" for _ in COLUMNS)
        await self.db.execute(
            f"INSERT OR IGNORE INTO album_parts ({', '.join(COLUMNS)}) VALUES ({marks})",
            tuple(getattr(part, name) for name in COLUMNS),
        )

    async def parts(self, chat_id: int, group: str) -> list[AlbumPart]:
        cursor = await self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM album_parts"
            " WHERE chat_id = ? AND media_group_id = ? ORDER BY message_id",
            (chat_id, group),
        )
        rows = await cursor.fetchall()
        return [AlbumPart(**dict(zip(COLUMNS, row, strict=True))) for row in rows]

    async def groups(self) -> list[tuple[int, str]]:
        cursor = await self.db.execute("SELECT DISTINCT chat_id, media_group_id FROM album_parts")
        return [(row[0], row[1]) for row in await cursor.fetchall()]

    async def forget(self, parts: list[AlbumPart]) -> None:
        await self.db.executemany(
            "DELETE FROM album_parts WHERE chat_id = ? AND message_id = ?",
            [(part.chat_id, part.message_id) for part in parts],
        )


class Albums:
    def __init__(
        self,
        store: AlbumStore,
        complete: Callable[[list[AlbumPart]], Awaitable[None]],
        *,
        quiet: float = QUIET,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`complete(parts)` is called once per album, with its parts in order."""
        self.store = store
        self.complete = complete
        self.quiet = quiet
        self.clock = clock
        self._taking: set[tuple[int, str]] = set()
        self._timers: set[asyncio.TimerHandle] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopped = False

    async def add(self, part: AlbumPart) -> None:
        await self.store.add(replace(part, received_at=self.clock()))
        self._check_in((part.chat_id, part.media_group_id), self.quiet)

    async def resume(self) -> None:
        """Take the albums a restart cut off (their quiet period has passed by now)."""
        for key in await self.store.groups():
            self._check_in(key, 0.0)

    async def stop(self) -> None:
        """No more checks; the hand-ons under way finish (their parts stay otherwise)."""
        self._stopped = True
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        if self._tasks:
            await asyncio.wait(self._tasks)

    def _check_in(self, key: tuple[int, str], delay: float) -> None:
        if self._stopped:
            return
        loop = asyncio.get_running_loop()

        def start() -> None:
            self._timers.discard(timer)
            task = loop.create_task(self._check(key))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        timer = loop.call_later(delay, start)
        self._timers.add(timer)

    async def _check(self, key: tuple[int, str]) -> None:
        if key in self._taking:  # being handed on: look again once that is done
            self._check_in(key, self.quiet)
            return
        self._taking.add(key)
        try:
            parts = await self.store.parts(*key)
            if not parts:
                return
            wait = max(part.received_at for part in parts) + self.quiet - self.clock()
            if wait > 0:  # a part came since (or the restart was quick): look again then
                self._check_in(key, wait)
                return
            try:
                await self.complete(parts)
            except Exception:
                log.exception("album %s in chat %d not handled; kept for a restart", key[1], key[0])
                return
            await self.store.forget(parts)
        finally:
            self._taking.discard(key)

"""The `flows` table: one row per question the bot asked or photos it waits for.

A flow is addressed two ways: by the message that asked (a reply to the bot's question
answers it) and by the person in a chat (their next photo is the one /describe or /blend
waits for; such a flow is named by the command's message). A person
waits for photos in one flow at a time per chat; a flow older than `TTL` is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

TTL = 3600.0  # seconds a flow waits for its answer

ASK_IMAGINE = "imagine"  # a prompt asked for with ForceReply
DESCRIBE = "describe"  # the photo /describe waits for
BLEND = "blend"  # the photos /blend collects
REGION = "region"  # a Vary (Region) picker
EDIT = "edit"  # the prompt a Custom Zoom or a remixed button runs with, asked for
PHOTO_FLOWS = (DESCRIBE, BLEND)


@dataclass
class Flow:
    id: int
    kind: str
    chat_id: int
    user_id: int
    message_id: int  # the message that asked: the bot's question, or the person's command
    data: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0


class FlowStore:
    def __init__(
        self, connection: aiosqlite.Connection, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = connection
        self.clock = clock
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}  # lock, its holders

    @contextlib.asynccontextmanager
    async def lock(self, key: Hashable) -> AsyncIterator[None]:
        """Held while a flow changes (`key` its id), or while a question is being asked of a
        person (`key` (chat id, user id)): updates are handled concurrently, and two photos,
        a photo and a tap, or a question and its answer must not meet halfway."""
        lock, holders = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, holders + 1)
        try:
            async with lock:
                yield
        finally:
            lock, holders = self._locks[key]
            if holders == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, holders - 1)

    async def ask(self, kind: str, chat_id: int, user_id: int, message_id: int) -> None:
        """Remember a question asked by message `message_id`."""
        await self.start(kind, chat_id, user_id, message_id)

    async def answer(self, kind: str, chat_id: int, message_id: int, user_id: int) -> bool:
        """Whether `message_id` asked `user_id` a question of `kind`; it is then answered."""
        flow = await self.by_message(kind, chat_id, message_id, user_id)
        if flow is not None:
            await self.end(flow.id)
        return flow is not None

    async def by_message(
        self, kind: str, chat_id: int, message_id: int, user_id: int
    ) -> Flow | None:
        """The flow of `kind` that message `message_id` opened for `user_id`."""
        return await self._one(
            "chat_id = ? AND message_id = ? AND user_id = ? AND kind = ?",
            (chat_id, message_id, user_id, kind),
        )

    async def start(
        self,
        kind: str,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: dict[str, Any] | None = None,
    ) -> Flow:
        """A new flow; one waiting for photos ends the person's earlier one in this chat."""
        now = self.clock()
        if kind in PHOTO_FLOWS:
            marks = ", ".join("?" for _ in PHOTO_FLOWS)
            await self.db.execute(
                f"DELETE FROM flows WHERE chat_id = ? AND user_id = ? AND kind IN ({marks})",
                (chat_id, user_id, *PHOTO_FLOWS),
            )
        cursor = await self.db.execute(
            """INSERT OR REPLACE INTO flows (kind, chat_id, user_id, message_id, data, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (kind, chat_id, user_id, message_id, json.dumps(data or {}), now),
        )
        return Flow(cursor.lastrowid or 0, kind, chat_id, user_id, message_id, data or {}, now)

    async def waiting(self, chat_id: int, user_id: int) -> Flow | None:
        """The flow waiting for this person's photos in this chat, if any."""
        marks = ", ".join("?" for _ in PHOTO_FLOWS)
        return await self._one(
            f"chat_id = ? AND user_id = ? AND kind IN ({marks})", (chat_id, user_id, *PHOTO_FLOWS)
        )

    async def get(self, flow_id: int) -> Flow | None:
        return await self._one("id = ?", (flow_id,))

    async def save(self, flow: Flow) -> None:
        await self.db.execute(
            "UPDATE flows SET data = ? WHERE id = ?", (json.dumps(flow.data), flow.id)
        )

    async def move(self, flow_id: int, message_id: int) -> None:
        """The flow is now named by message `message_id` (posted after the flow was made)."""
        await self.db.execute("UPDATE flows SET message_id = ? WHERE id = ?", (message_id, flow_id))

    async def end(self, flow_id: int) -> None:
        await self.db.execute("DELETE FROM flows WHERE id = ?", (flow_id,))

    async def _one(self, where: str, args: Sequence[object]) -> Flow | None:
        cursor = await self.db.execute(
            "SELECT id, kind, chat_id, user_id, message_id, data, created_at FROM flows"
            f" WHERE {where} ORDER BY id DESC LIMIT 1",
            tuple(args),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        flow = Flow(row[0], row[1], row[2], row[3], row[4], json.loads(row[5] or "{}"), row[6])
        if self.clock() - flow.created_at > TTL:
            await self.end(flow.id)
            return None
        return flow

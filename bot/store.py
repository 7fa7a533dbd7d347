"""SQLite storage: one small class per table family (the schema is in migrations.py)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import aiosqlite

from bot.albums import AlbumStore
from bot.credits import Guard
from bot.domain import Action, Job, JobStatus, buttons_from_json, buttons_to_json
from bot.flows.store import FlowStore
from bot.history import HistoryStore
from bot.migrations import migrate
from bot.users import UserStore

# Job attribute → column, where they differ.
COLUMN = {"index": "idx"}
JSON_FIELDS = ("image_urls", "image_prompts", "prompts", "video_urls")


class Database:
    """One aiosqlite connection in WAL mode, migrated on open."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection
        self.users = UserStore(connection)
        self.chats = ChatStore(connection)
        self.jobs = JobStore(connection)
        self.flows = FlowStore(connection)
        self.albums = AlbumStore(connection)
        self.meta = MetaStore(connection)
        self.updates = UpdateStore(connection)
        self.history = HistoryStore(connection)

    @classmethod
    async def open(cls, path: Path) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: a write is one statement and one trip to the database's thread; the
        # few writes of several statements open their transaction themselves.
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        # Wait for a moment of contention instead of failing with "database is locked".
        await connection.execute("PRAGMA busy_timeout=5000")
        await migrate(connection)
        database = cls(connection)
        await database.users.load()
        return database

    async def close(self) -> None:
        await self.connection.close()


class ChatStore:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self._known: dict[int, tuple[str, str | None]] = {}

    async def remember(self, chat_id: int, chat_type: str, title: str | None) -> None:
        """Store the chat; a no-op when nothing changed since the last update seen."""
        if self._known.get(chat_id) == (chat_type, title):
            return
        await self.db.execute(
            """INSERT INTO chats (id, type, title, created_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET type = excluded.type, title = excluded.title""",
            (chat_id, chat_type, title, time.time()),
        )
        self._known[chat_id] = (chat_type, title)

    async def title(self, chat_id: int) -> str | None:
        cursor = await self.db.execute("SELECT title FROM chats WHERE id = ?", (chat_id,))
        row = await cursor.fetchone()
        return row[0] if row else None

    async def everyone_may_press(self, chat_id: int) -> bool:
        cursor = await self.db.execute(
            "SELECT everyone_may_press FROM chats WHERE id = ?", (chat_id,)
        )
        row = await cursor.fetchone()
        return bool(row and row[0])

    async def set_everyone_may_press(self, chat_id: int, everyone: bool) -> None:
        await self.db.execute(
            "UPDATE chats SET everyone_may_press = ? WHERE id = ?",
            (int(everyone), chat_id),
        )

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became the supergroup `new_id`: its settings, jobs and open questions
        move there, in one transaction (again a no-op once done)."""
        try:
            await self.db.execute("BEGIN")
            await self.db.execute(
                """INSERT INTO chats (id, type, title, everyone_may_press, created_at)
                   SELECT ?, 'supergroup', title, everyone_may_press, created_at
                   FROM chats WHERE id = ?
                   ON CONFLICT(id) DO UPDATE
                   SET everyone_may_press = excluded.everyone_may_press""",
                (new_id, old_id),
            )
            await self.db.execute("UPDATE jobs SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
            await self.db.execute(
                "UPDATE album_parts SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            await self.db.execute(
                "UPDATE flows SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
            )
            await self.db.commit()
        except BaseException:
            await self.db.rollback()
            raise
        self._known.pop(old_id, None)
        self._known.pop(new_id, None)


class JobStore:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection

    async def create(self, job: Job) -> Job:
        """Insert `job` and return it with its new id."""
        job.created_at = job.updated_at = time.time()
        values = _to_row(job)
        del values["id"]
        marks = ", ".join("?" for _ in values)
        cursor = await self.db.execute(
            f"INSERT INTO jobs ({', '.join(values)}) VALUES ({marks})", tuple(values.values())
        )
        job.id = cursor.lastrowid or 0
        return job

    async def create_within(self, job: Job, guard: Guard) -> bool:
        """Insert `job` only if the guard's condition (Ledger.guard) holds, reserving its
        credits in the same statement; whether it was created (its id and credits set)."""
        job.created_at = job.updated_at = time.time()
        values = _to_row(job)
        for name in ("id", "cost_free", "cost_paid"):
            del values[name]
        quota, condition, params = guard
        params = {**params, **{f"v_{name}": value for name, value in values.items()}}
        marks = ", ".join(f":v_{name}" for name in values)
        cursor = await self.db.execute(
            f"""INSERT INTO jobs ({", ".join(values)}, cost_free, cost_paid)
                SELECT {marks}, MIN(:cost, quota.free_left), :cost - MIN(:cost, quota.free_left)
                FROM {quota} WHERE {condition}
                RETURNING id, cost_free, cost_paid""",
            params,
        )
        rows = await cursor.fetchall()  # to the end: the statement, and its write, complete
        if not rows:
            return False
        job.id, job.cost_free, job.cost_paid = rows[0]
        return True

    async def get(self, job_id: int) -> Job | None:
        cursor = await self.db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,))
        row = await cursor.fetchone()
        return _from_row(row) if row else None

    async def update(self, job: Job, **changes: Any) -> Job:
        """Persist exactly these columns, then set them on `job`: if the write fails, the job
        in memory stays as the database has it."""
        changes["updated_at"] = time.time()
        assignments = ", ".join(f"{COLUMN.get(name, name)} = ?" for name in changes)
        await self.db.execute(
            f"UPDATE jobs SET {assignments} WHERE id = ?",
            (*(_stored(name, value) for name, value in changes.items()), job.id),
        )
        for name, value in changes.items():
            setattr(job, name, value)
        return job

    async def by_hook(self, token: str) -> int | None:
        """The id of the job whose callback URL carries `token`."""
        cursor = await self.db.execute("SELECT id FROM jobs WHERE hook_token = ?", (token,))
        row = await cursor.fetchone()
        return row[0] if row else None

    async def unfinished(self) -> list[Job]:
        cursor = await self.db.execute(
            "SELECT * FROM jobs WHERE status NOT IN (?, ?) ORDER BY id",
            (JobStatus.DELIVERED, JobStatus.FAILED),
        )
        return [_from_row(row) for row in await cursor.fetchall()]

    async def in_flight(self) -> tuple[int, float | None]:
        """How many jobs are unfinished, and when the oldest of them was created."""
        cursor = await self.db.execute(
            "SELECT COUNT(*), MIN(created_at) FROM jobs WHERE status NOT IN (?, ?)",
            (JobStatus.DELIVERED, JobStatus.FAILED),
        )
        count, oldest = await cursor.fetchone()  # type: ignore[misc]
        return count, oldest

    async def children(self, parent_id: int, button_index: int) -> list[Job]:
        cursor = await self.db.execute(
            "SELECT * FROM jobs WHERE parent_id = ? AND button_index = ? ORDER BY id",
            (parent_id, button_index),
        )
        return [_from_row(row) for row in await cursor.fetchall()]

    async def for_request(self, chat_id: int, message_id: int) -> bool:
        """Whether a job was made from what this message sent (a prompt, photos)."""
        cursor = await self.db.execute(
            "SELECT 1 FROM jobs WHERE chat_id = ? AND request_message_id = ? AND parent_id IS NULL",
            (chat_id, message_id),
        )
        return await cursor.fetchone() is not None

    async def pressed(self, parent_id: int) -> set[int]:
        """The parent's buttons that have started a job (whatever became of it)."""
        cursor = await self.db.execute(
            "SELECT DISTINCT button_index FROM jobs WHERE parent_id = ?", (parent_id,)
        )
        return {row[0] for row in await cursor.fetchall() if row[0] is not None}


class MetaStore:
    """Small facts the bot keeps about itself, such as its generated webhook secret."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection

    async def get(self, key: str) -> str | None:
        cursor = await self.db.execute("SELECT value FROM meta WHERE key = ?", (key,))
        row = await cursor.fetchone()
        return row[0] if row else None

    async def put(self, key: str, value: str) -> None:
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def setdefault(self, key: str, value: str) -> str:
        """The value stored under `key`, storing `value` first if there is none."""
        await self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))
        cursor = await self.db.execute("SELECT value FROM meta WHERE key = ?", (key,))
        (stored,) = await cursor.fetchone()  # type: ignore[misc]
        return stored


class UpdateStore:
    """Update ids already taken in, so that an update Telegram delivers twice is handled once.

    Telegram keeps an undelivered update for at most 24 hours; ids are kept twice as long.
    """

    KEEP = 48 * 3600.0
    PRUNE_EVERY = 3600.0

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self._pruned_at = 0.0

    async def first_time(self, update_id: int, now: float | None = None) -> bool:
        """Record `update_id`; False if it was recorded before."""
        now = time.time() if now is None else now
        if now - self._pruned_at > self.PRUNE_EVERY:
            await self.db.execute("DELETE FROM seen_updates WHERE seen_at < ?", (now - self.KEEP,))
            self._pruned_at = now
        cursor = await self.db.execute(
            "INSERT OR IGNORE INTO seen_updates (update_id, seen_at) VALUES (?, ?)",
            (update_id, now),
        )
        return cursor.rowcount == 1


def _to_row(job: Job) -> dict[str, Any]:
    return {COLUMN.get(name, name): _stored(name, value) for name, value in vars(job).items()}


def _stored(name: str, value: Any) -> Any:
    """A job's field as its column holds it."""
    if name == "buttons":
        return buttons_to_json(value)
    if name in JSON_FIELDS or (name == "region" and value is not None):
        return json.dumps(value)
    return value


def _from_row(row: aiosqlite.Row) -> Job:
    data = dict(row)
    data["index"] = data.pop("idx")
    data["action"] = Action(data["action"])
    data["status"] = JobStatus(data["status"])
    data["buttons"] = buttons_from_json(data["buttons"])
    for name in JSON_FIELDS:
        data[name] = json.loads(data[name] or "[]")
    data["region"] = json.loads(data["region"]) if data["region"] else None
    data["remix"] = bool(data["remix"])
    return Job(**data)

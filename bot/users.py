"""The people the bot has met: their profile, /settings, chosen language and ban."""

from __future__ import annotations

import time

import aiosqlite

from bot.preferences import Preferences


class UserStore:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self._known: dict[int, tuple[str | None, str, str | None]] = {}
        # Read with every prompt: kept once read, changed here only.
        self._locales: dict[int, str | None] = {}
        self._preferences: dict[int, Preferences] = {}
        self.banned: set[int] = set()

    async def remember(
        self, user_id: int, username: str | None, first_name: str, language_code: str | None
    ) -> None:
        """Store the user; a no-op when nothing changed since the last update seen. The same
        statement reads the person's language and settings."""
        profile = (username, first_name, language_code)
        if self._known.get(user_id) == profile:
            return
        now = time.time()
        cursor = await self.db.execute(
            """INSERT INTO users (id, username, first_name, language_code, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET username = excluded.username,
                   first_name = excluded.first_name, language_code = excluded.language_code,
                   updated_at = excluded.updated_at
               RETURNING locale, settings""",
            (user_id, username, first_name, language_code, now, now),
        )
        [(locale, settings)] = await cursor.fetchall()  # to the end: the write completes
        self._known[user_id] = profile
        self._locales[user_id] = locale
        self._preferences[user_id] = Preferences.from_json(settings)

    async def preferences(self, user_id: int) -> Preferences:
        if user_id not in self._preferences:
            cursor = await self.db.execute("SELECT settings FROM users WHERE id = ?", (user_id,))
            row = await cursor.fetchone()
            self._preferences[user_id] = Preferences.from_json(row[0] if row else None)
        return self._preferences[user_id]

    async def set_preferences(self, user_id: int, prefs: Preferences) -> None:
        await self.db.execute(
            "UPDATE users SET settings = ? WHERE id = ?", (prefs.to_json(), user_id)
        )
        self._preferences[user_id] = prefs

    async def load(self) -> None:
        """Read who is banned (kept in memory: every update asks)."""
        cursor = await self.db.execute("SELECT id FROM users WHERE banned = 1")
        self.banned = {row[0] for row in await cursor.fetchall()}

    async def ensure(self, user_id: int) -> None:
        """A row for a user known only by id (an admin's /ban or /grant)."""
        now = time.time()
        await self.db.execute(
            """INSERT OR IGNORE INTO users (id, first_name, created_at, updated_at)
               VALUES (?, '', ?, ?)""",
            (user_id, now, now),
        )

    async def set_banned(self, user_id: int, banned: bool) -> None:
        await self.ensure(user_id)
        await self.db.execute("UPDATE users SET banned = ? WHERE id = ?", (int(banned), user_id))
        (self.banned.add if banned else self.banned.discard)(user_id)

    async def find(self, username: str) -> int | None:
        """The id of the user with this @username, if they have been seen."""
        cursor = await self.db.execute(
            "SELECT id FROM users WHERE username = ? COLLATE NOCASE ORDER BY updated_at DESC",
            (username.removeprefix("@"),),
        )
        row = await cursor.fetchone()
        return row[0] if row else None

    async def chosen_locale(self, user_id: int) -> str | None:
        """The language the person chose with /language, if any."""
        if user_id not in self._locales:
            cursor = await self.db.execute("SELECT locale FROM users WHERE id = ?", (user_id,))
            row = await cursor.fetchone()
            self._locales[user_id] = row[0] if row else None
        return self._locales[user_id]

    async def set_locale(self, user_id: int, locale: str) -> None:
        await self.db.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))
        self._locales[user_id] = locale

    async def first_name(self, user_id: int) -> str | None:
        cursor = await self.db.execute("SELECT first_name FROM users WHERE id = ?", (user_id,))
        row = await cursor.fetchone()
        return row[0] if row else None

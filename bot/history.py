"""A person's past results, for /history and inline mode, and copies of them posted again.

A result in the history is a delivered job with something to show again: an image or video
kept by its Telegram `file_id`, or a describe's prompts. A result posted again from /history
is a new row, a copy (`copy_of` names the original), with its own keyboard: a tap on it is a
tap on the copy, whose children are the copy's own, through the same `JobService.press` as
any result. Copies are posted results but not history items of their own, so a repost does
not appear twice; they cost nothing (`cost_free = cost_paid = 0`).

Searches go through the `jobs_user (user_id, created_at)` index: one person's jobs, newest
first. Words match case-insensitively, beyond ASCII too (SQLite's own LIKE folds only
A–Z), as literal text: `%` and `_` in what the person typed match only themselves.
"""

from __future__ import annotations

from dataclasses import replace

import aiosqlite

from bot.domain import Action, Job, JobStatus

# What a history item is (see the module docstring); copies are left out.
SHOWN = """user_id = ? AND status = 'delivered' AND copy_of IS NULL AND (file_id IS NOT NULL
    OR (action = 'describe' AND prompts IS NOT NULL AND prompts != '[]'))"""
# Results Telegram holds as photos: not a video or an animation, not a describe's text.
NOT_PHOTOS = (*(a.value for a in Action if a.is_video), Action.DESCRIBE.value)
NEWEST_FIRST = "ORDER BY created_at DESC, id DESC"
FOLD = "mj_casefold"  # the SQL function that folds case as Python does
ESCAPE = "\\"


def like_pattern(word: str) -> str:
    """`%word%`, with the word's own `%`, `_` and escape character taken literally."""
    for special in (ESCAPE, "%", "_"):
        word = word.replace(special, ESCAPE + special)
    return f"%{word}%"


def _fold(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


class HistoryStore:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self._folding = False

    async def page(
        self, user_id: int, offset: int, limit: int, chat_id: int | None = None
    ) -> tuple[list[Job], bool]:
        """The person's results from `offset` on, newest first, at most `limit` of them
        (only those posted in `chat_id`, if given); and whether there are more after them."""
        in_chat = "" if chat_id is None else f"AND chat_id = {int(chat_id)}"
        cursor = await self.db.execute(
            f"SELECT * FROM jobs WHERE {SHOWN} {in_chat} {NEWEST_FIRST} LIMIT ? OFFSET ?",
            (user_id, limit + 1, max(0, offset)),
        )
        jobs = _jobs(await cursor.fetchall())
        return jobs[:limit], len(jobs) > limit

    async def photos(
        self, user_id: int, text: str, offset: int, limit: int
    ) -> tuple[list[Job], bool]:
        """The person's photo results whose prompt has every word of `text` in it (any
        case), newest first, from `offset` on, at most `limit`; and whether there are more.
        No words: the most recent ones."""
        await self._register_fold()
        words = [like_pattern(word.casefold()) for word in text.split()]
        matches = "".join(f" AND {FOLD}(prompt) LIKE ? ESCAPE '{ESCAPE}'" for _ in words)
        kinds = ", ".join("?" for _ in NOT_PHOTOS)
        cursor = await self.db.execute(
            f"""SELECT * FROM jobs WHERE {SHOWN} AND file_id IS NOT NULL
                AND action NOT IN ({kinds}){matches} {NEWEST_FIRST} LIMIT ? OFFSET ?""",
            (user_id, *NOT_PHOTOS, *words, limit + 1, max(0, offset)),
        )
        jobs = _jobs(await cursor.fetchall())
        return jobs[:limit], len(jobs) > limit

    async def repost(
        self, job: Job, chat_id: int, locale: str, message_id: int | None = None
    ) -> Job:
        """Store a copy of the result `job`, to be posted in `chat_id` as message
        `message_id` (None while it is being posted, which `JobService.press` accepts):
        the same task, buttons, file and prompt, in the language of the person asking now;
        delivered, fresh (no parent, no status message, nothing pressed), costing nothing."""
        from bot.store import JobStore  # store.py builds this class: imported when used

        copy = replace(
            job,
            id=0,
            chat_id=chat_id,
            locale=locale,
            status=JobStatus.DELIVERED,
            copy_of=job.copy_of or job.id,
            result_message_id=message_id,
            request_message_id=None,
            status_message_id=None,
            parent_id=None,
            button_index=None,
            hook_token=None,
            cost_free=0,
            cost_paid=0,
            attempts=0,
            misses=0,
            error_kind=None,
            error=None,
        )
        return await JobStore(self.db).create(copy)

    async def discard(self, copy: Job) -> bool:
        """Delete a copy that could not be posted, unless a tap has started a job from it
        meanwhile (then it stays, as that job's parent). Whether it was deleted."""
        cursor = await self.db.execute(
            """DELETE FROM jobs WHERE id = ? AND copy_of IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM jobs AS child WHERE child.parent_id = ?)""",
            (copy.id, copy.id),
        )
        return cursor.rowcount == 1

    async def _register_fold(self) -> None:
        if not self._folding:
            await self.db.create_function(FOLD, 1, _fold, deterministic=True)
            self._folding = True


def _jobs(rows: list[aiosqlite.Row]) -> list[Job]:
    from bot.store import _from_row  # store.py builds this class: imported when used

    return [_from_row(row) for row in rows]

"""What /stats counts, over the jobs and the ledger since a moment (copies made by /history
are not jobs anyone asked for, and are left out)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.domain import JobStatus

ASKED = "jobs.copy_of IS NULL AND jobs.created_at >= :since"
SPENT = "cost_free + cost_paid"


@dataclass(frozen=True)
class Stats:
    by_status: dict[str, int]
    by_action: dict[str, int]
    failures: dict[str, int]
    credits_spent: int  # by delivered jobs
    stars: int  # received, less refunded
    people: int  # who asked for a job
    top: list[tuple[int, str, int]]  # (user id, name, credits spent), the five who spent most


async def counts(db: aiosqlite.Connection, column: str, since: float, where: str = "1") -> dict:
    cursor = await db.execute(
        f"""SELECT {column}, COUNT(*) FROM jobs WHERE {ASKED} AND {where}
            GROUP BY {column} ORDER BY COUNT(*) DESC""",
        {"since": since},
    )
    return {str(row[0]): row[1] for row in await cursor.fetchall()}


async def stats_since(db: aiosqlite.Connection, since: float) -> Stats:
    delivered = f"status = '{JobStatus.DELIVERED}'"
    cursor = await db.execute(
        f"""SELECT
            COALESCE((SELECT SUM({SPENT}) FROM jobs WHERE {ASKED} AND {delivered}), 0),
            COALESCE((SELECT SUM(stars) FROM ledger
                WHERE kind IN ('purchase', 'refund') AND created_at >= :since), 0),
            (SELECT COUNT(DISTINCT user_id) FROM jobs WHERE {ASKED})""",
        {"since": since},
    )
    spent, stars, people = await cursor.fetchone()  # type: ignore[misc]
    cursor = await db.execute(
        f"""SELECT jobs.user_id, users.username, users.first_name, SUM({SPENT}) AS s
            FROM jobs LEFT JOIN users ON users.id = jobs.user_id
            WHERE {ASKED} AND {delivered} GROUP BY jobs.user_id HAVING s > 0
            ORDER BY s DESC LIMIT 5""",
        {"since": since},
    )
    top = [
        (row[0], f"@{row[1]}" if row[1] else row[2] or str(row[0]), row[3])
        for row in await cursor.fetchall()
    ]
    return Stats(
        by_status=await counts(db, "status", since),
        by_action=await counts(db, "action", since),
        failures=await counts(db, "error_kind", since, f"status = '{JobStatus.FAILED}'"),
        credits_spent=spent,
        stars=stars,
        people=people,
        top=top,
    )

"""Credits: what a job costs, a person's balance, and the ledger.

A job's credits are reserved by the statement that creates its row, split into the day's free
credits and bought ones (`jobs.cost_free`, `jobs.cost_paid`), and never written again. A job
that fails stops counting: that is its refund, made by the very write that marks it FAILED,
whatever path fails it (a provider error, a timeout, a restart that cannot confirm a submit).
A delivered job's credits are spent: settled by the write that marks it DELIVERED. So no crash
can leave credits half moved, and none is counted twice.

A person's bought balance is the sum of their ledger rows (payments, grants, refunded
payments) less the bought part of their jobs that did not fail. Free credits are a day's
allowance (the UTC day): what today's jobs that did not fail took from it is used.
DAILY_FREE_CREDITS unset means no limit: every job is then free, and costs are still recorded
(as free credits), so that /stats can count what was spent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from bot.domain import Action, JobStatus

DAY = 86400.0
UNLIMITED = 10**12  # the free credits left when there is no daily limit

# CREDIT_COSTS names → the actions each covers, with its default cost.
COST_NAMES: dict[str, tuple[int, tuple[Action, ...]]] = {
    "imagine": (1, (Action.IMAGINE,)),
    "upscale": (0, (Action.UPSCALE,)),
    "variation": (1, (Action.VARIATION,)),
    "reroll": (1, (Action.REROLL,)),
    "vary": (1, (Action.VARY_STRONG, Action.VARY_SUBTLE)),
    "region": (1, (Action.VARY_REGION,)),
    "zoom": (1, (Action.ZOOM_OUT_2X, Action.ZOOM_OUT_1_5X, Action.ZOOM_CUSTOM, Action.MAKE_SQUARE)),
    "pan": (1, (Action.PAN_LEFT, Action.PAN_RIGHT, Action.PAN_UP, Action.PAN_DOWN)),
    "upscale_subtle": (2, (Action.UPSCALE_SUBTLE, Action.REDO_UPSCALE_SUBTLE)),
    "upscale_creative": (2, (Action.UPSCALE_CREATIVE, Action.REDO_UPSCALE_CREATIVE)),
    "upscale_2x": (2, (Action.UPSCALE_2X, Action.REDO_UPSCALE_2X)),
    "upscale_4x": (2, (Action.UPSCALE_4X, Action.REDO_UPSCALE_4X)),
    "describe": (0, (Action.DESCRIBE,)),
    "blend": (1, (Action.BLEND,)),
    "video": (8, (Action.ANIMATE_LOW, Action.ANIMATE_HIGH, Action.EXTEND_LOW, Action.EXTEND_HIGH)),
}

# Ledger.guard's answer: the quota subquery, the condition over it, their parameters.
Guard = tuple[str, str, dict[str, object]]
OPEN = f"status NOT IN ('{JobStatus.DELIVERED}', '{JobStatus.FAILED}')"
COUNTED = f"status != '{JobStatus.FAILED}'"


def parse_costs(text: str) -> dict[str, int]:
    """`imagine=1,upscale=0,video=8` → {name: cost}; ValueError naming what is wrong."""
    costs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().lower()
        if name not in COST_NAMES:
            raise ValueError(f"unknown action {name!r}; known: {', '.join(COST_NAMES)}")
        if not value.strip().isdigit() or int(value) > 10_000:
            raise ValueError(f"{name} needs a whole number of credits from 0 to 10000")
        costs[name] = int(value)
    return costs


def day_start(now: float) -> float:
    return now - now % DAY


class Refusal(StrEnum):
    NO_CREDITS = "no_credits"
    TOO_MANY = "too_many"  # MAX_JOBS_PER_USER jobs already running


@dataclass(frozen=True)
class Pricing:
    overrides: dict[str, int]
    daily_free: int | None  # None: no limit
    max_jobs: int

    def cost(self, action: Action) -> int:
        for name, (default, actions) in COST_NAMES.items():
            if action in actions:
                return self.overrides.get(name, default)
        return 1


@dataclass(frozen=True)
class Balance:
    free_left: int | None  # None: no daily limit
    bought: int
    running: int
    free_back_at: float  # when the day's free credits come back (start of the next UTC day)


@dataclass(frozen=True)
class Charge:
    """A job's credits as /me lists them."""

    job_id: int
    action: Action
    index: int
    credits: int
    status: JobStatus
    created_at: float


class Ledger:
    """The credit queries and the ledger's rows; balances are always computed, never stored."""

    def __init__(self, connection: aiosqlite.Connection, pricing: Pricing) -> None:
        self.db = connection
        self.pricing = pricing

    def guard(self, user_id: int, cost: int, now: float) -> Guard:
        """For the insert of a job costing `cost`: the expressions of its free and bought
        parts, and the condition under which it may be created (few enough jobs running, and
        enough credits), over the subquery `quota` (see JobStore.create)."""
        daily = UNLIMITED if self.pricing.daily_free is None else self.pricing.daily_free
        quota = f"""(SELECT
            MAX(0, :daily - COALESCE((SELECT SUM(cost_free) FROM jobs
                WHERE user_id = :user AND created_at >= :day AND {COUNTED}), 0)) AS free_left,
            {self._bought_sql()} AS bought,
            (SELECT COUNT(*) FROM jobs WHERE user_id = :user AND {OPEN}) AS running) AS quota"""
        condition = "quota.running < :max_jobs AND quota.free_left + quota.bought >= :cost"
        params = {
            "daily": daily,
            "user": user_id,
            "day": day_start(now),
            "max_jobs": self.pricing.max_jobs,
            "cost": cost,
        }
        return quota, condition, params

    @staticmethod
    def _bought_sql() -> str:
        return f"""(COALESCE((SELECT SUM(credits) FROM ledger WHERE user_id = :user), 0)
            - COALESCE((SELECT SUM(cost_paid) FROM jobs WHERE user_id = :user AND {COUNTED}), 0))"""

    async def balance(self, user_id: int, now: float | None = None) -> Balance:
        now = time.time() if now is None else now
        cursor = await self.db.execute(
            f"""SELECT
                COALESCE((SELECT SUM(cost_free) FROM jobs
                    WHERE user_id = :user AND created_at >= :day AND {COUNTED}), 0),
                {self._bought_sql()},
                (SELECT COUNT(*) FROM jobs WHERE user_id = :user AND {OPEN})""",
            {"user": user_id, "day": day_start(now)},
        )
        used, bought, running = await cursor.fetchone()  # type: ignore[misc]
        daily = self.pricing.daily_free
        free_left = None if daily is None else max(0, daily - used)
        return Balance(free_left, bought, running, day_start(now) + DAY)

    async def refusal(self, user_id: int) -> Refusal:
        """Why a job of this person was not created (asked after the insert found out)."""
        balance = await self.balance(user_id)
        return Refusal.TOO_MANY if balance.running >= self.pricing.max_jobs else Refusal.NO_CREDITS

    async def charges(self, user_id: int, limit: int = 5) -> list[Charge]:
        """The person's last jobs that cost credits, newest first."""
        cursor = await self.db.execute(
            """SELECT id, action, idx, cost_free + cost_paid, status, created_at FROM jobs
               WHERE user_id = ? AND cost_free + cost_paid > 0 AND copy_of IS NULL
               ORDER BY id DESC LIMIT ?""",
            (user_id, limit),
        )
        return [
            Charge(row[0], Action(row[1]), row[2], row[3], JobStatus(row[4]), row[5])
            for row in await cursor.fetchall()
        ]

    async def add(
        self,
        user_id: int,
        kind: str,
        credits: int,
        *,
        stars: int = 0,
        charge_id: str | None = None,
        admin_id: int | None = None,
    ) -> bool:
        """Write a ledger row; False when one of this kind for `charge_id` exists already
        (a payment or refund is counted once, whatever is delivered twice)."""
        cursor = await self.db.execute(
            """INSERT OR IGNORE INTO ledger
               (user_id, kind, credits, stars, charge_id, admin_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (user_id, kind, credits, stars, charge_id, admin_id, time.time()),
        )
        return cursor.rowcount == 1

    async def take_back(
        self, user_id: int, credits: int, stars: int, charge_id: str, admin_id: int
    ) -> int | None:
        """The refund of a payment: up to `credits` taken back, never more than the person's
        bought balance at that moment (one statement: no job can reserve in between); how
        many, or None when this payment's refund was written before."""
        cursor = await self.db.execute(
            f"""INSERT OR IGNORE INTO ledger
                (user_id, kind, credits, stars, charge_id, admin_id, created_at)
                SELECT :user, 'refund', -MIN(:credits, MAX(0, {self._bought_sql()})),
                    :stars, :charge, :admin, :now
                RETURNING credits""",
            {
                "user": user_id,
                "credits": credits,
                "stars": -stars,
                "charge": charge_id,
                "admin": admin_id,
                "now": time.time(),
            },
        )
        rows = await cursor.fetchall()  # to the end: the statement, and its write, complete
        return -rows[0][0] if rows else None

    async def entry(self, kind: str, charge_id: str) -> tuple[int, int, int] | None:
        """The (user id, credits, stars) of a payment ("purchase") or of its "refund"."""
        cursor = await self.db.execute(
            "SELECT user_id, credits, stars FROM ledger WHERE kind = ? AND charge_id = ?",
            (kind, charge_id),
        )
        row = await cursor.fetchone()
        return (row[0], row[1], row[2]) if row else None

    async def remove(self, kind: str, charge_id: str) -> None:
        await self.db.execute(
            "DELETE FROM ledger WHERE kind = ? AND charge_id = ?", (kind, charge_id)
        )

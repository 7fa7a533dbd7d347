"""The ledger on its own: costs by action, reserving in the job's own insert (free credits
first), refunds by failure, the UTC day, and concurrent reserves that never overspend."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.credits import COST_NAMES, DAY, Ledger, Pricing, Refusal, day_start, parse_costs
from bot.domain import Action, Job, JobStatus
from bot.store import Database

USER = 11


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.db")
    await database.users.remember(USER, None, "Ann", "en")
    await database.chats.remember(USER, "private", None)
    yield database
    await database.close()


def job(action: Action = Action.IMAGINE) -> Job:
    return Job(id=0, user_id=USER, chat_id=USER, action=action, prompt="a cat", provider="mock")


async def reserve(db: Database, ledger: Ledger, action: Action = Action.IMAGINE) -> Job | None:
    new = job(action)
    guard = ledger.guard(USER, ledger.pricing.cost(action), time.time())
    return new if await db.jobs.create_within(new, guard) else None


def test_every_action_but_other_has_a_cost_name() -> None:
    named = {action for _, actions in COST_NAMES.values() for action in actions}
    assert named == set(Action) - {Action.OTHER}
    pricing = Pricing(parse_costs("upscale=3,video=0"), None, 3)
    assert pricing.cost(Action.UPSCALE) == 3 and pricing.cost(Action.ANIMATE_HIGH) == 0
    assert pricing.cost(Action.REDO_UPSCALE_SUBTLE) == 2 and pricing.cost(Action.DESCRIBE) == 0


async def test_free_first_then_bought_then_refused(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, 1, 10))
    await ledger.add(USER, "grant", 2)
    first = await reserve(db, ledger)
    second = await reserve(db, ledger, Action.UPSCALE_CREATIVE)  # costs 2, from bought
    assert first and (first.cost_free, first.cost_paid) == (1, 0)
    assert second and (second.cost_free, second.cost_paid) == (0, 2)
    assert await reserve(db, ledger) is None
    assert await ledger.refusal(USER) is Refusal.NO_CREDITS
    balance = await ledger.balance(USER)
    assert (balance.free_left, balance.bought, balance.running) == (0, 0, 2)

    await db.jobs.update(second, status=JobStatus.FAILED)  # refunded by that very write
    assert (await ledger.balance(USER)).bought == 2
    await db.jobs.update(first, status=JobStatus.DELIVERED)  # spent
    assert (await ledger.balance(USER)).free_left == 0


async def test_a_job_split_between_free_and_bought(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({"video": 8}, 3, 10))
    await ledger.add(USER, "purchase", 10, stars=25, charge_id="c1")
    video = await reserve(db, ledger, Action.ANIMATE_LOW)
    assert video and (video.cost_free, video.cost_paid) == (3, 5)
    assert (await ledger.balance(USER)).bought == 5


async def test_yesterdays_jobs_leave_todays_free_credits(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, 1, 10))
    old = await reserve(db, ledger)
    assert old is not None and await reserve(db, ledger) is None
    yesterday = day_start(time.time()) - 1
    await db.connection.execute("UPDATE jobs SET created_at = ? WHERE id = ?", (yesterday, old.id))
    await db.jobs.update(old, status=JobStatus.DELIVERED)
    assert await reserve(db, ledger) is not None
    balance = await ledger.balance(USER)
    assert balance.free_left == 0 and balance.free_back_at == day_start(time.time()) + DAY


async def test_running_jobs_are_limited(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, None, 2))
    assert await reserve(db, ledger) and await reserve(db, ledger)
    assert await reserve(db, ledger, Action.UPSCALE) is None  # free, but one too many
    assert await ledger.refusal(USER) is Refusal.TOO_MANY
    assert (await ledger.balance(USER)).free_left is None


async def test_concurrent_reserves_never_overspend(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, 0, 100))
    await ledger.add(USER, "grant", 7)
    made = await asyncio.gather(*(reserve(db, ledger) for _ in range(20)))
    assert sum(job is not None for job in made) == 7
    assert (await ledger.balance(USER)).bought == 0


async def test_a_charge_is_counted_once(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, 0, 3))
    assert await ledger.add(USER, "purchase", 20, stars=50, charge_id="stx1")
    assert not await ledger.add(USER, "purchase", 20, stars=50, charge_id="stx1")
    assert await ledger.entry("purchase", "stx1") == (USER, 20, 50)
    assert (await ledger.balance(USER)).bought == 20


async def test_a_refund_takes_back_at_most_what_is_left(db: Database) -> None:
    ledger = Ledger(db.connection, Pricing({}, 0, 3))
    await ledger.add(USER, "purchase", 3, stars=10, charge_id="stx1")
    assert await reserve(db, ledger) is not None  # one bought credit spent
    assert await ledger.take_back(USER, 3, 10, "stx1", admin_id=1) == 2
    assert await ledger.take_back(USER, 3, 10, "stx1", admin_id=1) is None  # written before
    assert (await ledger.balance(USER)).bought == 0
    assert await ledger.entry("refund", "stx1") == (USER, -2, -10)

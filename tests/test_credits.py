"""Credits end to end: reserved with the job, refunded when it fails, spent when delivered;
daily free credits first; MAX_JOBS_PER_USER; grants; and what a refused person is told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.domain import JobStatus
from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_chats import until
from tests.test_e2e import USER, callback, imagine_grid, photos, text_containing

ADMIN = 7001


@asynccontextmanager
async def running(bot_env: dict[str, str], **env: str) -> AsyncIterator[Bot]:
    bot = Bot({**bot_env, "ADMIN_USER_IDS": str(ADMIN), **env})
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


async def jobs_of(bot: Bot, user_id: int) -> list[dict[str, Any]]:
    cursor = await bot.services.db.connection.execute(
        "SELECT action, status, cost_free, cost_paid FROM jobs WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [dict(row) for row in await cursor.fetchall()]


async def settled(bot: Bot, telegram: FakeTelegram, user_id: int) -> list[dict[str, Any]]:
    """The person's jobs, once none is still open (a result is marked posted just after the
    photo is sent)."""

    async def done() -> bool:
        return all(JobStatus(j["status"]).is_final for j in await jobs_of(bot, user_id))

    await until(done, telegram)
    return await jobs_of(bot, user_id)


async def balanced(bot: Bot, user_id: int) -> int:
    """The bought balance, checked against the ledger and the jobs summed by hand."""
    db = bot.services.db.connection
    (added,) = await (
        await db.execute(
            "SELECT COALESCE(SUM(credits), 0) FROM ledger WHERE user_id = ?", (user_id,)
        )
    ).fetchone()
    (spent,) = await (
        await db.execute(
            "SELECT COALESCE(SUM(cost_paid), 0) FROM jobs WHERE user_id = ? AND status != 'failed'",
            (user_id,),
        )
    ).fetchone()
    balance = await bot.services.ledger.balance(user_id)
    assert balance.bought == added - spent >= 0
    return balance.bought


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_free_credits_run_out_and_nothing_more_is_submitted(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, DAILY_FREE_CREDITS="2", STARS_PACKS="20:50") as bot:
        await imagine_grid(telegram, chat, user, "a lighthouse")
        await imagine_grid(telegram, chat, user, "a harbour")
        telegram.send_text(chat, user, "/imagine a third one")
        line = await text_containing(telegram, USER, "Not enough credits")
        assert "this costs 1, and you have 0" in line
        assert "Your 2 free credits come back in" in line and "/buy" in line
        assert [job["cost_free"] for job in await jobs_of(bot, USER)] == [1, 1]

        telegram.send_text(chat, user, "/me")
        me = await text_containing(telegram, USER, "Your credits")
        assert "Free today: 0 of 2" in me and "Bought: 0" in me and "In progress: 0 of 3" in me
        assert me.count("Drawing: 1 — spent") == 2


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_a_failed_job_gives_its_credit_back(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, DAILY_FREE_CREDITS="1") as bot:
        telegram.send_text(chat, user, "/imagine this will fail")
        await text_containing(telegram, USER, "could not finish this image")
        await imagine_grid(telegram, chat, user, "a second try")  # the credit came back
        jobs = await settled(bot, telegram, USER)
        assert [(j["status"], j["cost_free"]) for j in jobs] == [("failed", 1), ("delivered", 1)]
        telegram.send_text(chat, user, "/me")
        me = await text_containing(telegram, USER, "Your credits")
        assert "— refunded" in me and "— spent" in me


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_bought_credits_follow_the_free_ones_and_costs_are_by_action(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    admin_chat, admin = telegram.private_chat(ADMIN), telegram.user(ADMIN)
    env = {"DAILY_FREE_CREDITS": "1", "CREDIT_COSTS": "upscale=2"}
    async with running(bot_env, **env) as bot:
        telegram.send_text(chat, user, "/start")  # the bot knows the person from now on
        await telegram.wait_for(lambda: telegram.texts(USER))
        telegram.send_text(admin_chat, admin, f"/grant {USER} 3")
        granted = await text_containing(telegram, ADMIN, "credits given")
        assert "they now have 3 bought credits" in granted

        grid = await imagine_grid(telegram, chat, user, "a kite")  # the free credit
        telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))  # 2 bought
        await photos(telegram, USER, 2)
        query = telegram.tap(chat, user, grid["message_id"], callback(grid, "U2"))
        answer = await telegram.wait_for(lambda: telegram.answers.get(query))
        assert answer["show_alert"] and "this costs 2, and you have 1" in answer["text"]
        assert "/buy" not in answer["text"]  # nothing is sold here
        jobs = await jobs_of(bot, USER)
        assert [(j["cost_free"], j["cost_paid"]) for j in jobs] == [(1, 0), (0, 2)]
        assert [j["status"] for j in await settled(bot, telegram, USER)] == ["delivered"] * 2
        assert await balanced(bot, USER) == 1


@pytest.mark.parametrize("provider", ["agicto"], indirect=True)
async def test_more_jobs_than_allowed_at_once_are_refused(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: FakeProvider
) -> None:
    provider.hold = True
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, MAX_JOBS_PER_USER="1") as bot:
        telegram.send_text(chat, user, "/imagine the first")
        await telegram.wait_for(lambda: provider.tasks)
        telegram.send_text(chat, user, "/imagine the second")
        line = await text_containing(telegram, USER, "in progress")
        assert "You already have an image in progress" in line
        provider.release()
        grid = (await photos(telegram, USER, 1))[0]
        assert len(provider.tasks) == 1
        assert [j["status"] for j in await settled(bot, telegram, USER)] == ["delivered"]

        # A tap counts as well.
        provider.hold = True
        telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
        await telegram.wait_for(lambda: len(provider.tasks) == 2)
        query = telegram.tap(chat, user, grid["message_id"], callback(grid, "U2"))
        answer = await telegram.wait_for(lambda: telegram.answers.get(query))
        assert answer["show_alert"] and "already have an image" in answer["text"]
        assert len(provider.tasks) == 2
        provider.release()
        await photos(telegram, USER, 2)


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_unlimited_without_daily_free_credits(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env) as bot:
        for n in range(4):
            await imagine_grid(telegram, chat, user, f"picture {n}")
        telegram.send_text(chat, user, "/me")
        me = await text_containing(telegram, USER, "Your credits")
        assert "Free: no limit" in me
        assert await balanced(bot, USER) == 0

"""Credits across kill -9: a job whose credits were reserved is either run once and charged
once, or failed and refunded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import imagine_grid, photos, text_containing
from tests.test_restart import BotProcess, bot_process  # noqa: F401 (a fixture)

USER = 2101


def database(bot_env: dict[str, str]) -> Path:
    return Path(bot_env["DATABASE_URL"].removeprefix("sqlite:///"))


def rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(query).fetchall()


def bought(path: Path, user_id: int) -> int:
    """The ledger's sum, less the bought credits of the person's jobs that did not fail."""
    ((added,),) = rows(
        path, f"SELECT COALESCE(SUM(credits), 0) FROM ledger WHERE user_id = {user_id}"
    )
    ((spent,),) = rows(
        path,
        f"SELECT COALESCE(SUM(cost_paid), 0) FROM jobs "
        f"WHERE user_id = {user_id} AND status != 'failed'",
    )
    return added - spent


@pytest.mark.parametrize("provider", ["apimart"], indirect=True)
async def test_killed_between_reserve_and_submit(
    bot_process: BotProcess,  # noqa: F811
    bot_env: dict[str, str],
    telegram: FakeTelegram,
    provider: FakeProvider,
) -> None:
    """The credit is reserved and the provider is not answering when the process dies: after
    the restart the job is submitted once, and charged once."""
    bot_process.env |= {"DAILY_FREE_CREDITS": "2"}
    provider.submit_faults = ["500"] * 1000
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    await bot_process.start()
    telegram.send_text(chat, user, "/imagine a windmill")
    await text_containing(telegram, USER, "Queued")
    path = database(bot_env)
    assert rows(path, "SELECT status, cost_free FROM jobs") == [("new", 1)]
    await bot_process.kill()
    provider.submit_faults = []

    await bot_process.start()
    await photos(telegram, USER, 1)
    await imagine_grid(telegram, chat, user, "a second one")  # 1 of 2 was left
    telegram.send_text(chat, user, "/imagine a third one")
    await text_containing(telegram, USER, "Not enough credits")
    stderr = await bot_process.stop()
    assert len(provider.tasks) == 2
    assert rows(path, "SELECT status, cost_free FROM jobs") == [("delivered", 1)] * 2
    assert b"Traceback" not in stderr


@pytest.mark.parametrize("provider", ["apimart"], indirect=True)
async def test_killed_while_submitting_refunds(
    bot_process: BotProcess,  # noqa: F811
    bot_env: dict[str, str],
    telegram: FakeTelegram,
    provider: FakeProvider,
) -> None:
    """The submit went out and the process died before its answer: the provider cannot be
    asked, so the job fails with an apology, and its credit (bought, here) comes back."""
    admin = 2199
    bot_process.env |= {"DAILY_FREE_CREDITS": "0", "ADMIN_USER_IDS": str(admin)}
    provider.submit_delay = 30.0
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    await bot_process.start()
    telegram.send_text(telegram.private_chat(admin), telegram.user(admin), f"/grant {USER} 1")
    await text_containing(telegram, admin, "credits given")
    telegram.send_text(chat, user, "/imagine a paper boat")
    await provider.got_submit.wait()
    await bot_process.kill()
    provider.submit_delay = 0.0

    await bot_process.start()
    await text_containing(telegram, USER, "restarted while sending")
    await imagine_grid(telegram, chat, user, "a paper boat again")  # the credit came back
    telegram.send_text(chat, user, "/me")
    me = await text_containing(telegram, USER, "Your credits")
    stderr = await bot_process.stop()
    path = database(bot_env)
    statuses = rows(path, "SELECT status, cost_paid FROM jobs ORDER BY id")
    assert statuses == [("failed", 1), ("delivered", 1)]
    assert "Bought: 0" in me and "— refunded" in me
    assert bought(path, USER) == 0
    assert b"Traceback" not in stderr

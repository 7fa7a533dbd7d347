"""Chats that misbehave, end to end: closed to the bot, slow to answer, upgraded to a
supergroup, prompts sent as the group, and replies that are not prompts."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.domain import JobStatus
from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, callback, labels, photos, submitted, text_containing

USER = 3001
ADMIN = 3002
MEMBER = 3003
GROUP = -100300
OLD_GROUP = -300
mock_only = pytest.mark.parametrize("provider", ["mock"], indirect=True)


async def until(check: Callable[[], Awaitable[bool]], telegram: FakeTelegram) -> None:
    """Wait until `check()` holds: it is asked again on every call the bot makes."""
    checks: list[bool] = []

    async def ask() -> None:
        checks.append(await check())

    await ask()
    while not checks[-1]:
        seen = len(telegram.calls)
        await telegram.wait_for(lambda seen=seen: len(telegram.calls) > seen, timeout=10)
        await ask()


async def job_status(bot: Bot, job_id: int) -> JobStatus | None:
    job = await bot.services.db.jobs.get(job_id)
    return job.status if job else None


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (403, "Forbidden: bot was kicked from the group chat"),
        (400, "Bad Request: not enough rights to send text messages to the chat"),
    ],
)
async def test_nothing_is_submitted_for_a_chat_the_bot_cannot_post_in(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, code: int, description: str
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    telegram.close_chat(GROUP, description, code)
    telegram.send_text(group, telegram.user(USER), "/imagine@mj_test_bot a quiet lake")

    async def failed() -> bool:
        return await job_status(bot, 1) is JobStatus.FAILED

    await until(failed, telegram)
    assert submitted(provider) == []
    assert bot.services.tracker.jobs == {}


@mock_only
async def test_a_slow_photo_upload_is_posted_once(bot: Bot, telegram: FakeTelegram) -> None:
    telegram.slow("sendPhoto", 6.0)  # longer than python-telegram-bot's 5 s read timeout
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a kite")

    async def delivered() -> bool:
        return await job_status(bot, 1) is JobStatus.DELIVERED

    await until(delivered, telegram)
    assert len(telegram.photos(USER)) == 1
    assert [name for name, _ in telegram.calls].count("sendPhoto") == 1


@pytest.mark.parametrize("service_messages", [True, False])
async def test_a_group_upgraded_to_a_supergroup_keeps_its_jobs(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, service_messages: bool
) -> None:
    if provider is None:
        pytest.skip("the mock provider cannot hold a task while the group is upgraded")
    provider.hold = True
    owner = telegram.user(USER)
    group = telegram.group_chat(OLD_GROUP, "Small group")
    telegram.send_text(group, owner, "/imagine@mj_test_bot a tower of books")
    await text_containing(telegram, OLD_GROUP, "Drawing")
    telegram.migrate(OLD_GROUP, GROUP, owner, service_messages=service_messages)
    provider.release()

    grid = (await photos(telegram, GROUP, 1))[0]
    assert labels(grid)[:2] == GRID_ROWS
    query = telegram.tap(GROUP, owner, grid["message_id"], callback(grid, "U3"))
    await photos(telegram, GROUP, 2)
    assert "started" in telegram.answers[query]["text"]
    assert submitted(provider) == [("imagine", 0), ("upscale", 3)]
    assert await bot.services.db.chats.title(GROUP) == "Small group"


@mock_only
async def test_administrators_may_press_the_buttons_of_a_prompt_sent_as_the_group(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    admin, member = telegram.user(ADMIN, "Ada"), telegram.user(MEMBER, "Max")
    telegram.admins[GROUP] = {ADMIN}
    telegram.send_text(group, admin, "/imagine@mj_test_bot a ship in a bottle", as_chat=True)
    grid = (await photos(telegram, GROUP, 1))[0]
    assert grid["caption"].endswith("— Artists")

    refused = telegram.tap(group, member, grid["message_id"], callback(grid, "U2"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(refused))
    assert answer["show_alert"] is True
    started = telegram.tap(group, admin, grid["message_id"], callback(grid, "U2"))
    await photos(telegram, GROUP, 2)
    assert "started" in telegram.answers[started]["text"]


@mock_only
async def test_in_a_group_only_asked_for_replies_are_prompts(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, other = telegram.user(USER), telegram.user(MEMBER, "Max")
    telegram.send_text(group, owner, "/help")
    help_text = await telegram.wait_for(lambda: telegram.bot_messages(GROUP))
    telegram.send_text(group, owner, "thanks!", reply_to=help_text[0]["message_id"])
    telegram.send_text(group, owner, "/imagine@mj_test_bot a snail")
    grid = (await photos(telegram, GROUP, 1))[0]
    telegram.send_text(group, owner, "make it blue", reply_to=grid["message_id"])

    # /imagine alone asks for the prompt; the asker's reply to it is one, nobody else's.
    telegram.send_text(group, owner, "/imagine@mj_test_bot")
    ask = await telegram.wait_for(lambda: ask_message(telegram))
    telegram.send_text(group, other, "a green frog", reply_to=ask["message_id"])
    telegram.send_text(group, owner, "a blue whale", reply_to=ask["message_id"])
    grids = await photos(telegram, GROUP, 2)
    assert "a blue whale" in grids[-1]["caption"]
    (asking,) = [p for m, p in telegram.calls if "What should I draw" in p.get("text", "")]
    assert asking["reply_markup"]["force_reply"] is True
    assert asking["reply_markup"]["selective"] is True

    # Everything the bot got is handled: the two chatter replies started nothing.
    telegram.send_text(group, owner, "/imagine@mj_test_bot a last one")
    grids = await photos(telegram, GROUP, 3)
    captions = [grid["caption"].split(" — ")[0] for grid in grids]
    assert captions == ["a snail", "a blue whale", "a last one"]


def ask_message(telegram: FakeTelegram) -> dict[str, Any] | None:
    return next(
        (m for m in telegram.bot_messages(GROUP) if "What should I draw" in m.get("text", "")),
        None,
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("provider", ["agicto"], indirect=True)
async def test_a_provider_that_refuses_connections_is_reported_in_time(
    bot_env: dict[str, str], telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    env = {**bot_env, "MJ_API_URL": f"http://127.0.0.1:{closed_port()}", "MJ_SUBMIT_TIMEOUT": "5"}
    running = Bot(env)
    await running.start()
    try:
        telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a comet")
        await text_containing(telegram, USER, "not answering right now. I keep trying")
        await text_containing(telegram, USER, "not answering properly")
    finally:
        await running.stop()
    assert telegram.photos(USER) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("provider agicto is failing" in message for message in warnings)

"""Provider callbacks in webhook mode, for each provider that has them (AGICTO `notifyHook`,
AceData `callback_url`, TTApi `hookUrl`): the real Application serving its webhook, the fake
Bot API pushing updates to it, the fake provider's tasks running by the clock and calling
back as its documentation says."""

from __future__ import annotations

import asyncio
import secrets

import aiohttp
import pytest

from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import callback, photos
from tests.test_webhook import free_port

CALLING_BACK = pytest.mark.parametrize("provider", ["agicto", "acedata", "ttapi"], indirect=True)
pytestmark = CALLING_BACK
USER = 6001


@pytest.fixture
def public_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def poll_interval() -> str:
    """1 s: a hooked job's first safety poll is then 40 s away, beyond any test here."""
    return "1"


@pytest.fixture
def bot_env(bot_env: dict[str, str], public_url: str, poll_interval: str) -> dict[str, str]:
    """The usual environment in webhook mode, served at `public_url`."""
    port = public_url.rsplit(":", 1)[1]
    return {**bot_env, "PUBLIC_URL": public_url, "PORT": port, "MJ_POLL_INTERVAL": poll_interval}


def hooks(provider: FakeProvider) -> list[str]:
    """The callback URL each accepted submit carried."""
    assert provider.hook_field is not None
    return [body[provider.hook_field] for _, body in provider.submits]


async def post(url: str, body: object) -> int:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as answer:
        return answer.status


async def test_a_success_callback_posts_the_result_without_a_poll(
    telegram: FakeTelegram, provider: FakeProvider, bot: Bot, public_url: str
) -> None:
    provider.task_seconds = 0.2
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    telegram.send_text(chat, user, "/imagine a lighthouse at dusk")
    (grid,) = await photos(telegram, USER, 1)
    assert callback(grid, "U1") and callback(grid, "V4")
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    await photos(telegram, USER, 2)

    assert provider.fetch_count == 0
    first, second = hooks(provider)
    for hook in (first, second):
        token = hook.removeprefix(f"{public_url}/provider/")
        assert hook != token and len(token) >= 32
    assert first != second
    assert all(200 <= status < 300 for _, _, status in provider.callbacks)


async def test_unknown_tokens_and_unreadable_callbacks_change_nothing(
    telegram: FakeTelegram, provider: FakeProvider, bot: Bot, public_url: str
) -> None:
    provider.task_seconds = 60.0
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a slow one")
    await asyncio.wait_for(provider.got_submit.wait(), 10)
    (hook,) = hooks(provider)
    task = next(iter(provider.tasks.values()))
    task.state = "success"
    finished = provider.callback_body(task)
    assert finished is not None

    assert await post(f"{public_url}/provider/{secrets.token_urlsafe(24)}", finished) == 404
    assert await post(f"{public_url}/provider/..%2Fbot.db", finished) == 404
    assert await post(hook, {"nothing": "useful"}) == 400
    async with aiohttp.ClientSession() as session, session.get(hook) as answer:
        assert answer.status == 405
    assert telegram.photos(USER) == []
    job = next(iter(bot.services.tracker.jobs.values()))
    assert job.status.is_polled


async def test_a_callback_about_another_task_is_refused(
    telegram: FakeTelegram, provider: FakeProvider, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.web.KNOWN_HOOKS", 1)  # each job's token looked up again in turn
    provider.task_seconds = lambda task: 0.2 if "quick" in task.prompt else 60.0
    quick, slow = USER, USER + 1
    telegram.send_text(telegram.private_chat(slow), telegram.user(slow), "/imagine slow one")
    await asyncio.wait_for(provider.got_submit.wait(), 10)
    telegram.send_text(telegram.private_chat(quick), telegram.user(quick), "/imagine quick one")
    await photos(telegram, quick, 1)
    slow_hook = hooks(provider)[0]
    finished = next(body for _, body, _ in reversed(provider.callbacks))

    assert await post(slow_hook, finished) == 409
    tracker = bot.services.tracker
    (job,) = tracker.jobs.values()
    assert job.user_id == slow and job.status.is_polled
    assert telegram.photos(slow) == []
    quick_hook = hooks(provider)[1]
    assert await post(quick_hook, finished) == 200  # its job is done: nothing more happens
    assert len(telegram.photos(quick)) == 1


@pytest.mark.parametrize("poll_interval", ["0.05"])
async def test_a_lost_callback_is_caught_by_the_safety_poll(
    telegram: FakeTelegram, provider: FakeProvider, bot: Bot
) -> None:
    provider.task_seconds = 0.2
    provider.drop_callbacks = 1000
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a lost one")
    (grid,) = await photos(telegram, USER, 1)
    assert callback(grid, "U1")
    assert provider.fetch_count >= 1
    assert provider.callbacks and all(status == 0 for _, _, status in provider.callbacks)


async def test_a_callback_after_a_restart_finds_its_job(
    telegram: FakeTelegram, provider: FakeProvider, bot_env: dict[str, str]
) -> None:
    provider.task_seconds = 60.0
    first = Bot(bot_env)
    await first.start()
    try:
        telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a wait")
        await asyncio.wait_for(provider.got_submit.wait(), 10)
    finally:
        await first.stop()
    (hook,) = hooks(provider)
    (task,) = provider.tasks.values()

    second = Bot(bot_env)
    await second.start()
    try:
        # A resumed job is polled once at start: callbacks sent while the bot was down are lost.
        await asyncio.wait_for(provider.got_poll.wait(), 10)
        task.state = "success"
        assert await post(hook, provider.callback_body(task)) == 200
        (grid,) = await photos(telegram, USER, 1)
        assert callback(grid, "U1")
    finally:
        await second.stop()
    assert provider.fetch_count == 1

"""Webhook mode end to end: `python -m bot` with PUBLIC_URL, the fake Bot API pushing updates
to its server; and the HTTP server in polling mode when PORT is set."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.config import load_settings
from tests.fakes.telegram import SECRET_HEADER, TOKEN, FakeTelegram
from tests.test_config import run_bot
from tests.test_e2e import callback, photos
from tests.test_restart import BotProcess

USER = 5001
MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def webhook_env(bot_env: dict[str, str], port: int) -> dict[str, str]:
    return {**bot_env, "PUBLIC_URL": f"http://127.0.0.1:{port}", "PORT": str(port)}


@pytest.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    """Bot processes started by a test; any still running at the end is killed."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()


READY = ("setWebhook", "getUpdates")


async def start(
    processes: list[BotProcess], env: dict[str, str], cwd: Path, telegram: FakeTelegram
) -> BotProcess:
    """Start the bot and wait until it is ready (its webhook set, in webhook mode)."""
    calls = len(telegram.calls)
    bot = BotProcess(env, cwd)
    processes.append(bot)
    await bot.start()
    # The webhook is set once the server listens; a polling bot asks for updates.
    await telegram.wait_for(
        lambda: any(name in READY for name, _ in telegram.calls[calls:]), timeout=30
    )
    return bot


async def terminate(bot: BotProcess) -> str:
    """Stop the bot as a container runtime does (SIGTERM); its stderr."""
    assert bot.process is not None
    bot.process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(bot.process.communicate(), 30)
    assert bot.process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    return stderr.decode()


def confirmed(telegram: FakeTelegram) -> list[int]:
    """Update ids the webhook answered with 2xx, in order (a redelivered one twice)."""
    return [uid for uid, outcome in telegram.pushes if isinstance(outcome, int) and outcome < 300]


def sent(telegram: FakeTelegram) -> list[str]:
    """Texts of every message the bot sent the user, deleted ones included."""
    return [m["text"] for m in telegram.bot_messages(USER) if "text" in m]


def jobs(tmp_path: Path) -> list[tuple[str, str]]:
    """(prompt, status) of every job in the bot's database, once it has stopped."""
    with sqlite3.connect(tmp_path / "bot.db") as db:
        return db.execute("SELECT prompt, status FROM jobs ORDER BY id").fetchall()


@MOCK
async def test_webhook_end_to_end(
    webhook_env: dict[str, str],
    port: int,
    telegram: FakeTelegram,
    processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot = await start(processes, webhook_env, tmp_path, telegram)
    url = f"http://127.0.0.1:{port}"
    assert telegram.webhook is not None
    assert telegram.webhook["url"] == f"{url}/telegram"
    secret = telegram.webhook["secret_token"]
    assert secret and len(secret) >= 32  # generated, as WEBHOOK_SECRET is not set
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{telegram.url}/bot{TOKEN}/getWebhookInfo") as answer,
    ):
        info = (await answer.json())["result"]
    assert info["url"] == f"{url}/telegram"
    assert info["allowed_updates"] == [
        "callback_query",
        "inline_query",
        "message",
        "pre_checkout_query",
    ]

    chat, user = telegram.private_chat(USER), telegram.user(USER)
    telegram.send_text(chat, user, "/imagine a fox in snow")
    (grid,) = await photos(telegram, USER, 1)
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    await photos(telegram, USER, 2)

    forged = {
        "update_id": 900_000,
        "message": {
            "message_id": 99,
            "date": 0,
            "chat": chat,
            "from": user,
            "text": "/imagine a forged prompt",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        },
    }
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {SECRET_HEADER: "not-the-secret"}, {SECRET_HEADER: secret[:-1]}):
            async with session.post(f"{url}/telegram", json=forged, headers=headers) as answer:
                assert answer.status == 403
        async with session.get(f"{url}/healthz") as answer:
            assert answer.status == 200
            assert (await answer.json())["database"] is True

    # Telegram sends again what it thinks was not delivered: both updates, the tap too.
    first, tap = confirmed(telegram)[:2]
    for update_id in (first, tap):
        telegram.redeliver(update_id)
    await telegram.wait_for(lambda: [confirmed(telegram).count(i) for i in (first, tap)] == [2, 2])
    await terminate(bot)  # whatever the duplicates might have started has ended by now

    assert len(telegram.photos(USER)) == 2
    assert [prompt for prompt, _ in jobs(tmp_path)] == ["a fox in snow", "a fox in snow"]
    assert not any(name == "getUpdates" for name, _ in telegram.calls)


@MOCK
async def test_updates_wait_for_a_restart_and_are_still_handled_once(
    webhook_env: dict[str, str],
    bot_env: dict[str, str],
    telegram: FakeTelegram,
    processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    """Telegram holds updates while the bot is down; the ids seen before a restart stay seen;
    the generated secret stays the same; going back to polling deletes the webhook."""
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    bot = await start(processes, webhook_env, tmp_path, telegram)
    assert telegram.webhook is not None
    secret = telegram.webhook["secret_token"]
    telegram.send_text(chat, user, "/help")
    (help_text,) = await telegram.wait_for(lambda: telegram.texts(USER))
    (seen,) = confirmed(telegram)
    await bot.kill()  # kill -9: nothing is deleted on the way out

    telegram.send_text(chat, user, "/imagine a paper boat")
    await telegram.wait_for(
        lambda: any(outcome == "Connection refused" for _, outcome in telegram.pushes)
    )
    bot = await start(processes, webhook_env, tmp_path, telegram)
    assert telegram.webhook is not None and telegram.webhook["secret_token"] == secret
    await photos(telegram, USER, 1)
    telegram.redeliver(seen)
    await telegram.wait_for(lambda: confirmed(telegram).count(seen) == 2)
    await terminate(bot)
    assert sent(telegram).count(help_text) == 1
    assert len(telegram.photos(USER)) == 1

    bot = await start(processes, bot_env, tmp_path, telegram)  # polling again
    await telegram.wait_for(lambda: telegram.webhook is None)
    telegram.send_text(chat, user, "/help")
    await telegram.wait_for(lambda: sent(telegram).count(help_text) == 2)
    await terminate(bot)


@MOCK
@pytest.mark.parametrize("mode", ["webhook", "polling"])
async def test_sigterm_finishes_what_is_being_posted(
    mode: str,
    webhook_env: dict[str, str],
    telegram: FakeTelegram,
    processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    env = dict(webhook_env)
    if mode == "polling":
        del env["PUBLIC_URL"]
    bot = BotProcess(env, tmp_path)
    processes.append(bot)
    await bot.start()
    telegram.slow("sendPhoto", 3)
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a lighthouse")
    await telegram.wait_for(
        lambda: any(name == "sendPhoto" for name, _ in telegram.calls), timeout=30
    )
    await terminate(bot)
    assert jobs(tmp_path) == [("a lighthouse", "delivered")]
    polled = any(name == "getUpdates" for name, _ in telegram.calls)
    assert polled == (mode == "polling")


@MOCK
async def test_polling_with_port_serves_health_only(
    bot_env: dict[str, str],
    port: int,
    telegram: FakeTelegram,
    processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot = BotProcess({**bot_env, "PORT": str(port)}, tmp_path)
    processes.append(bot)
    await bot.start()
    await telegram.wait_for(
        lambda: any(name == "getUpdates" for name, _ in telegram.calls), timeout=30
    )
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/healthz") as answer:
            assert answer.status == 200
            body = await answer.json()
        async with session.post(f"{url}/telegram", json={"update_id": 1}) as answer:
            assert answer.status == 404
    assert body == {"status": "ok", "database": True, "jobs_in_flight": 0, "oldest_job_age": None}
    assert telegram.webhook is None
    await terminate(bot)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@MOCK
async def test_a_taken_port_is_one_line(
    webhook_env: dict[str, str], busy_port: int, tmp_path: Path
) -> None:
    env = {**webhook_env, "PORT": str(busy_port)}
    result = await asyncio.to_thread(run_bot, env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"mjbot: PORT {busy_port} cannot be used (Address already in use); choose a free port"
    ]


@MOCK
async def test_a_refused_webhook_is_one_line(
    webhook_env: dict[str, str], telegram: FakeTelegram, tmp_path: Path
) -> None:
    env = {**webhook_env, "PUBLIC_URL": "https://bot.example.com:8080", "WEBHOOK_SECRET": "s3cr3t"}
    result = await asyncio.to_thread(run_bot, env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "mjbot: cannot set the webhook to https://bot.example.com:8080/telegram: "
        "Bad webhook: webhook can be set up only on ports 80, 88, 443 or 8443; check PUBLIC_URL"
    ]
    assert telegram.webhook is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PUBLIC_URL", "http://bot.example.com"),
        ("PUBLIC_URL", "bot.example.com"),
        ("PORT", "0"),
        ("PORT", "65536"),
        ("WEBHOOK_SECRET", "has spaces in it"),
        ("WEBHOOK_SECRET", "ü" * 10),
        ("WEBHOOK_SECRET", "x" * 257),
    ],
)
def test_a_bad_webhook_setting_is_one_line(variable: str, value: str, tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "MJ_PROVIDER": "mock", variable: value}
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"mjbot: {variable} is invalid: ")
    assert value not in line


def test_which_server_runs() -> None:
    base = {"telegram_bot_token": TOKEN, "mj_provider": "mock"}
    assert load_settings(**base).server_port is None
    assert load_settings(**base, port="9000").server_port == 9000
    webhook = load_settings(**base, public_url="https://bot.example.com/mj/")
    assert (webhook.public_url, webhook.server_port) == ("https://bot.example.com/mj", 8080)
    assert load_settings(**base, public_url="http://localhost:8443").server_port == 8080
    secret = load_settings(**base, webhook_secret="Ab_-09" * 4)
    assert "Ab_-09" * 4 in secret.secrets()  # scrubbed from the logs like the token


async def test_the_fake_bot_api_keeps_telegrams_webhook_rules(telegram: FakeTelegram) -> None:
    api = f"{telegram.url}/bot{TOKEN}"

    async def call(session: aiohttp.ClientSession, method: str, **params: object) -> dict:
        async with session.post(f"{api}/{method}", json=params) as answer:
            return await answer.json()

    async with aiohttp.ClientSession() as session:
        refused = await call(session, "setWebhook", url="http://bot.example.com/telegram")
        assert (
            refused["description"]
            == "Bad Request: bad webhook: HTTPS url must be provided for webhook"
        )
        refused = await call(session, "setWebhook", url="https://bot.example.com:8080/")
        assert refused["error_code"] == 400
        for secret in ("with space", "x" * 257, "ключ"):
            refused = await call(
                session, "setWebhook", url="https://bot.example.com", secret_token=secret
            )
            assert refused["error_code"] == 400, secret
        assert (await call(session, "setWebhook", url="https://bot.example.com:8443/t"))["ok"]
        conflict = await call(session, "getUpdates")
        assert conflict == {
            "ok": False,
            "error_code": 409,
            "description": "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        }
        telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "hello")
        # The fake pushes to this machine only: elsewhere the delivery fails, as errors do.
        await telegram.wait_for(lambda: telegram.pushes)
        info = (await call(session, "getWebhookInfo"))["result"]
        assert info["url"] == "https://bot.example.com:8443/t"
        assert info["pending_update_count"] == 1
        assert "127.0.0.1" in info["last_error_message"]
        assert (await call(session, "deleteWebhook"))["ok"]
        polled = await call(session, "getUpdates")
        assert [update["message"]["text"] for update in polled["result"]] == ["hello"]
        assert (await call(session, "getWebhookInfo"))["result"]["url"] == ""

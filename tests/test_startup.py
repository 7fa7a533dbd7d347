"""`python -m bot` at start-up: every failure is one line naming what to fix, status 2, and no
secret in any output; a second process on the same database refuses to start."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.fakes.telegram import TOKEN, FakeTelegram, bad
from tests.test_config import run_bot
from tests.test_restart import BotProcess

USER = 3001
KEY = "mj-key-that-must-stay-secret-42"
MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)


@pytest.fixture
def closed_url() -> Iterator[str]:
    """A 127.0.0.1 URL where nothing listens (the port stays bound, so nothing else takes it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def run_to_end(env: dict[str, str], cwd: Path) -> tuple[int | None, list[str]]:
    """Run the bot until it exits by itself; its status and stderr lines."""
    bot = BotProcess(env, cwd)
    await bot.start()
    assert bot.process is not None
    try:
        _, stderr = await asyncio.wait_for(bot.process.communicate(), 20)
    finally:
        if bot.process.returncode is None:
            await bot.kill()
    return bot.process.returncode, stderr.decode().splitlines()


async def polling(telegram: FakeTelegram, after: int = 0) -> None:
    """Wait until the bot has asked for updates more than `after` times."""
    await telegram.wait_for(
        lambda: sum(name == "getUpdates" for name, _ in telegram.calls) > after, timeout=30
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "sqlite:///:memory:"),
        ("DATABASE_URL", "sqlite:///?mode=ro"),
        ("DATABASE_URL", "sqlite:////"),
        ("MJ_POLL_INTERVAL", "inf"),
        ("DEFAULT_LOCALE", "de"),
        ("TELEGRAM_BOT_TOKEN", "123456:your-token"),
        ("TELEGRAM_BOT_TOKEN", ""),
    ],
)
def test_a_bad_setting_is_one_line(
    variable: str, value: str, closed_url: str, tmp_path: Path
) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": closed_url,
        "MJ_PROVIDER": "mock",
        variable: value,
    }
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"mjbot: {variable} is invalid: ")
    assert "your-token" not in line


def test_no_way_to_the_bot_api_is_one_line(closed_url: str, tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": closed_url, "MJ_PROVIDER": "mock"}
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"mjbot: cannot use the Bot API at {closed_url}: ")
    assert "TELEGRAM_API_URL" in line
    assert TOKEN not in line


@MOCK
async def test_a_refused_token_is_one_line_without_the_token(
    bot_env: dict[str, str], telegram: FakeTelegram, tmp_path: Path
) -> None:
    token = "123456:" + "x" * 35
    status, lines = await run_to_end({**bot_env, "TELEGRAM_BOT_TOKEN": token}, tmp_path)
    assert status == 2
    assert lines == [
        f"mjbot: TELEGRAM_BOT_TOKEN was refused by the Bot API at {telegram.url}: Unauthorized; "
        "copy the token from @BotFather again"
    ]


@MOCK
@pytest.mark.parametrize("blocker", ["regular file", "read-only directory"])
async def test_an_unwritable_database_is_one_line(
    blocker: str, bot_env: dict[str, str], tmp_path: Path
) -> None:
    parent = tmp_path / "blocker"
    if blocker == "regular file":
        parent.write_text("")
        reason = "Not a directory"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only directories")
        parent.mkdir(mode=0o555)
        reason = "Permission denied"
    db = parent / "data" / "bot.db"
    status, lines = await run_to_end({**bot_env, "DATABASE_URL": f"sqlite:///{db}"}, tmp_path)
    assert status == 2
    assert lines == [
        f"mjbot: DATABASE_URL names {db}, where the bot cannot write ({reason}); "
        "choose a writable path"
    ]


class LeakyTelegram(FakeTelegram):
    """Refuses every sendMessage with an error text that quotes the token and the provider key."""

    async def _m_sendMessage(self, params: dict) -> dict:
        raise bad(f"leaked {TOKEN} {KEY}")


@pytest.fixture
async def leaky() -> AsyncIterator[LeakyTelegram]:
    fake = LeakyTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@MOCK
async def test_logs_show_neither_the_token_nor_the_key(
    bot_env: dict[str, str], leaky: LeakyTelegram, tmp_path: Path
) -> None:
    env = {**bot_env, "TELEGRAM_API_URL": leaky.url, "MJ_API_KEY": KEY}
    bot = BotProcess(env, tmp_path)
    await bot.start()
    assert bot.process is not None and bot.process.stderr is not None
    leaky.send_text(leaky.private_chat(USER), leaky.user(USER), "/help")
    seen = b""
    try:
        async with asyncio.timeout(30):
            while b"leaked" not in seen.lower():
                line = await bot.process.stderr.readline()
                assert line, f"the bot ended without logging the error:\n{seen.decode()}"
                seen += line
        output = (seen + await bot.stop()).decode()
    finally:
        if bot.process.returncode is None:
            await bot.kill()
    # PTB lowercases the Bot API's error texts: "Leaked 123456:aahfake…".
    assert "Leaked *** ***" in output
    assert TOKEN.lower() not in output.lower()
    assert KEY not in output


@MOCK
async def test_one_process_per_database(
    bot_env: dict[str, str], telegram: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "bot.db"
    first, later = BotProcess(bot_env, tmp_path), BotProcess(bot_env, tmp_path)
    try:
        await first.start()
        await polling(telegram)

        status, lines = await run_to_end(bot_env, tmp_path)
        assert status == 2
        assert lines == [
            f"mjbot: another mjbot process is using {db} (lock file {db}.lock); stop it first"
        ]
        # The first one is undisturbed and still answers.
        telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/help")
        await telegram.wait_for(lambda: telegram.texts(USER), timeout=20)
        assert first.process is not None and first.process.returncode is None

        # kill -9 leaves no stale lock behind.
        await first.kill()
        polls = sum(name == "getUpdates" for name, _ in telegram.calls)
        await later.start()
        await polling(telegram, after=polls)
        stderr = await later.stop()
        assert later.process is not None and later.process.returncode == 0
        assert b"Traceback" not in stderr
    finally:
        for bot in (first, later):
            if bot.process is not None and bot.process.returncode is None:
                await bot.kill()

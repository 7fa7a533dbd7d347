"""The bot process is killed with jobs in flight and started again: nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, labels, photos, submitted

USER = 2001
PROMPTS = ["a windmill in fog", "a paper boat", "an owl at night"]


class BotProcess:
    """`python -m bot` as an operator runs it, in its own process."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = {**os.environ, **env}
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            env=self.env,
            cwd=self.cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )

    async def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        await asyncio.wait_for(self.process.wait(), 10)

    async def stop(self) -> bytes:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(self.process.communicate(), 15)
        return stderr


@pytest.fixture
async def bot_process(bot_env: dict[str, str], tmp_path: Path) -> AsyncIterator[BotProcess]:
    env = {**bot_env, "MJ_MOCK_SECONDS": "3"}
    process = BotProcess(env, tmp_path)
    yield process
    if process.process is not None and process.process.returncode is None:
        await process.kill()


async def test_killed_with_jobs_in_flight(
    bot_process: BotProcess, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    if provider is not None:
        provider.hold = True
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    await bot_process.start()
    for prompt in PROMPTS[:2]:
        telegram.send_text(chat, user, f"/imagine {prompt}")

    # Both jobs are submitted and being drawn when the process dies.
    await telegram.wait_for(
        lambda: sum("Drawing" in text for text in telegram.texts(USER)) >= 2, timeout=20
    )
    await bot_process.kill()
    if provider is not None:
        provider.release()

    await bot_process.start()
    grids = await photos(telegram, USER, 2)
    # A third job after the restart marks when the first two had every chance to repeat.
    telegram.send_text(chat, user, f"/imagine {PROMPTS[2]}")
    grids = await photos(telegram, USER, 3)
    stderr = await bot_process.stop()

    assert [labels(grid)[:2] for grid in grids] == [GRID_ROWS] * 3
    captions = sorted(grid["caption"].split(" — ")[0] for grid in grids)
    assert captions == sorted(PROMPTS)
    if provider is not None:
        assert submitted(provider) == [("imagine", 0)] * 3
    assert b"Traceback" not in stderr


@pytest.mark.parametrize("provider", ["agicto"], indirect=True)
async def test_killed_while_submitting_is_reconciled(
    bot_process: BotProcess, telegram: FakeTelegram, provider: FakeProvider
) -> None:
    """The provider has the task, the bot died before its answer came: after the restart
    the bot finds the task by the name its submit carried, and posts the result once."""
    provider.submit_delay = 30.0
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    await bot_process.start()
    telegram.send_text(chat, user, f"/imagine {PROMPTS[0]}")
    await asyncio.wait_for(provider.got_submit.wait(), 20)  # the request reached the provider
    await bot_process.kill()
    provider.submit_delay = 0.0

    await bot_process.start()
    (grid,) = await photos(telegram, USER, 1)
    stderr = await bot_process.stop()
    assert labels(grid)[:2] == GRID_ROWS
    assert submitted(provider) == [("imagine", 0)]
    assert not any("restarted while sending" in text for text in telegram.texts(USER))
    assert b"Traceback" not in stderr

"""The end-to-end harness: the real Application between the fake Bot API and a fake provider."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import ALLOWED_UPDATES, build_application, start_services, stop_services
from bot.config import load_settings
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import TOKEN, FakeTelegram

PROVIDERS = ["agicto", "apimart", "acedata", "ttapi", "gptunnel", "mock"]
FAKES = {
    "agicto": "FakeAgicto",
    "apimart": "FakeApimart",
    "acedata": "FakeAcedata",
    "ttapi": "FakeTtapi",
    "gptunnel": "FakeGptunnel",
}


def make_fake(name: str) -> FakeProvider:
    return getattr(importlib.import_module(f"tests.fakes.{name}"), FAKES[name])()


class Bot:
    """The bot under test, in this process, with test-speed settings; with PUBLIC_URL set it
    takes updates on its webhook, as `mjbot` does, else by long polling."""

    def __init__(self, env: dict[str, str]) -> None:
        overrides = {key.lower(): value for key, value in env.items()}
        self.settings = load_settings(**overrides)
        self.app = build_application(self.settings)

    async def start(self) -> None:
        await self.app.initialize()
        await start_services(self.app)
        await self.app.start()
        if self.settings.public_url:
            return
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
        )

    async def stop(self) -> None:
        assert self.app.updater is not None
        if self.app.updater.running:
            await self.app.updater.stop()
        await self.app.stop()
        await stop_services(self.app)
        await self.app.shutdown()

    @property
    def services(self) -> Any:
        return self.app.bot_data["services"]


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture(params=PROVIDERS)
async def provider(request: pytest.FixtureRequest) -> AsyncIterator[FakeProvider | None]:
    """The fake server of the provider under test; None for `mock`, which needs none."""
    if request.param == "mock":
        yield None
        return
    fake = make_fake(request.param)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def provider_name(request: pytest.FixtureRequest) -> str:
    return request.node.callspec.params["provider"]


@pytest.fixture
def bot_env(
    telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str, tmp_path: Path
) -> dict[str, str]:
    """Environment variables for the bot, as an operator would set them."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "MJ_PROVIDER": provider_name,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "MJ_POLL_INTERVAL": "0.05",
        "MJ_HTTP_TIMEOUT": "1",
        "MJ_MOCK_SECONDS": "0.3",
        "MJ_JOB_TIMEOUT": "60",
        "STATUS_EDIT_INTERVAL": "0",
    }
    if provider is not None:
        env["MJ_API_URL"] = provider.base_url
        env["MJ_API_KEY"] = provider.api_key
    return env


@pytest.fixture
async def bot(bot_env: dict[str, str]) -> AsyncIterator[Bot]:
    running = Bot(bot_env)
    await running.start()
    yield running
    await running.stop()

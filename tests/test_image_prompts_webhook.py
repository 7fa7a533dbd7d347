"""Image prompts for providers that take them only as URLs (AceData, TTApi, GPTunnel): in
webhook mode the photo is published on the bot's media route and its URL starts the prompt."""

from __future__ import annotations

import aiohttp
import pytest

from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_callbacks import bot_env, public_url  # noqa: F401  (webhook-mode fixtures)
from tests.test_e2e import photos, reply_to
from tests.test_image_prompts import assert_no_telegram_url, jpeg

pytestmark = pytest.mark.parametrize("provider", ["acedata", "ttapi", "gptunnel"], indirect=True)
USER = 7101


@pytest.fixture
def poll_interval() -> str:
    return "0.05"


async def test_the_photo_goes_by_the_bots_own_url(
    bot: Bot,
    telegram: FakeTelegram,
    provider: FakeProvider,
    public_url: str,  # noqa: F811
) -> None:
    provider.task_seconds = 0.2
    photo = jpeg("purple")
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    sent = telegram.send_photo(chat, user, photo, caption="a castle made of this")
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == sent["message_id"]
    (task,) = provider.tasks.values()
    url, _, text = task.prompt.partition(" ")
    assert text == "a castle made of this"
    assert url.startswith(f"{public_url}/media/") and url.endswith(".jpg")
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        assert answer.status == 200
        assert await answer.read() == photo
    assert_no_telegram_url(provider)

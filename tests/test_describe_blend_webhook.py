"""/describe and /blend in webhook mode, where photos can go by the bot's own URL: AceData
takes them only so; TTApi describes inline, and the imagine a number starts takes the photo
by URL."""

from __future__ import annotations

import pytest

from tests.conftest import Bot
from tests.fakes.provider_base import DESCRIBE_PROMPTS, FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_callbacks import bot_env, public_url  # noqa: F401  (webhook-mode fixtures)
from tests.test_describe_blend import first_text
from tests.test_e2e import GRID_ROWS, callback, labels, photos, reply_to
from tests.test_image_prompts import assert_no_telegram_url, jpeg

USER = 7401


@pytest.fixture
def poll_interval() -> str:
    return "0.05"


@pytest.mark.parametrize("provider", ["acedata", "ttapi"], indirect=True)
async def test_describe_then_draw_with_the_photo_by_url(
    bot: Bot,
    telegram: FakeTelegram,
    provider: FakeProvider,
    public_url: str,  # noqa: F811
) -> None:
    provider.task_seconds = 0.2
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    photo = jpeg("salmon")
    telegram.send_photo(chat, user, photo, caption="/describe")
    answer = await first_text(telegram, USER, "🔎 Prompts")
    assert provider.images_received == [[photo]]
    telegram.tap(chat, user, answer["message_id"], callback(answer, "3️⃣"))
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == answer["message_id"]
    (imagine,) = [task for task in provider.tasks.values() if task.kind == "imagine"]
    url, _, text = imagine.prompt.partition(" ")
    assert text == DESCRIBE_PROMPTS[2]
    assert url.startswith(f"{public_url}/media/")
    assert_no_telegram_url(provider)


@pytest.mark.parametrize("provider", ["acedata"], indirect=True)
async def test_blend_by_url(
    bot: Bot,
    telegram: FakeTelegram,
    provider: FakeProvider,
    public_url: str,  # noqa: F811
) -> None:
    provider.task_seconds = 0.2
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    album = [jpeg("khaki"), jpeg("plum")]
    for n, data in enumerate(album):
        telegram.send_photo(chat, user, data, caption=None if n else "/blend", media_group_id="w")
    (grid,) = await photos(telegram, USER, 1)
    assert labels(grid)[:2] == GRID_ROWS
    assert provider.images_received == [album]
    assert_no_telegram_url(provider)

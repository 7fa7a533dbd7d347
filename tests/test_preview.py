"""Progress previews: where a provider shows the image while it is being drawn
(midjourney-proxy's `imageUrl` in progress, GPTunnel's running `result`), the status message
shows it above its text, as a link preview Telegram draws itself."""

from __future__ import annotations

import pytest

from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import photos

pytestmark = pytest.mark.parametrize("provider", ["agicto", "gptunnel"], indirect=True)
USER = 7801


def previews(telegram: FakeTelegram) -> list[dict]:
    return [
        params["link_preview_options"]
        for method, params in telegram.calls
        if method in ("editMessageText", "sendMessage") and "link_preview_options" in params
    ]


async def test_a_running_job_shows_what_it_looks_like_so_far(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider
) -> None:
    provider.hold = True
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    telegram.send_text(chat, user, "/imagine a bridge in the rain")
    (shown,) = await telegram.wait_for(lambda: previews(telegram)[:1])
    (task,) = provider.tasks.values()
    url = shown.pop("url")
    assert url.startswith(provider.image_url(task))  # GPTunnel's carry a cache-buster
    assert shown == {"prefer_large_media": True, "show_above_text": True}
    provider.release()
    await photos(telegram, USER, 1)

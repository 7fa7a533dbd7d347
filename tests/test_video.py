"""Animate, end to end: an upscaled result offers `🎬 Animate (Low motion)` and `🎬 Animate
(High motion)` where the provider makes videos, and the video comes back replying to the
image (sendVideo, or sendAnimation for a GIF)."""

from __future__ import annotations

import pytest

from bot.providers import provider_class
from bot.providers.tasks import Capability
from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import callback, labels, reply_to
from tests.test_region import upscaled

USER = 7701
ANIMATE = ["🎬 Animate (Low motion)", "🎬 Animate (High motion)"]


async def test_an_upscale_animates_into_a_video_replying_to_it(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    result = await upscaled(telegram, chat, user)
    offered = [label for row in labels(result) for label in row]
    if Capability.VIDEO not in provider_class(provider_name).capabilities:
        assert not set(ANIMATE) & set(offered)
        pytest.skip("this provider makes no videos")
    assert ANIMATE in labels(result)
    telegram.tap(chat, user, result["message_id"], callback(result, ANIMATE[1]))
    (clip,) = await telegram.wait_for(lambda: telegram.clips(USER))
    assert reply_to(clip) == result["message_id"]
    data = clip.get("video_bytes") or clip.get("animation_bytes")
    assert data and len(data) > 100
    assert "Animate (High motion)" in clip["caption"]
    # The used button is marked, and a second video can be asked for.
    await telegram.wait_for(lambda: "🎬 Animate (High motion) ✓" in str(labels(result)))
    if provider is not None:
        assert [task.kind for task in provider.tasks.values()][-1] == "animate_high"


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_a_video_is_extended_by_its_own_button(bot: Bot, telegram: FakeTelegram) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    result = await upscaled(telegram, chat, user)
    telegram.tap(chat, user, result["message_id"], callback(result, ANIMATE[0]))
    (clip,) = await telegram.wait_for(lambda: telegram.clips(USER))
    assert labels(clip) == [["🎬 Extend (Low motion)", "🎬 Extend (High motion)"]]
    telegram.tap(chat, user, clip["message_id"], callback(clip, "🎬 Extend (High motion)"))
    longer = await telegram.wait_for(lambda: telegram.clips(USER)[1:])
    assert reply_to(longer[0]) == clip["message_id"]
    assert "Extend (High motion)" in longer[0]["caption"]

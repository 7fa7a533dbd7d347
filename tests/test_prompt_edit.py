"""Buttons that run with a prompt the person writes, end to end: Custom Zoom (ForceReply,
`--zoom 2` added where none is given) on every provider that has it, and Remix (V, 🔄, Vary
and Pan ask first; ✅ Keep runs the prompt unchanged), across a restart too."""

from __future__ import annotations

from typing import Any

import pytest

from bot.providers import provider_class
from bot.providers.tasks import Capability
from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, callback, imagine_grid, labels, photos, reply_to
from tests.test_region import upscaled

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USER = 7601
OTHER = 7602
GROUP = -100960
ZOOM = "🔍 Custom Zoom"


async def question(telegram: FakeTelegram, chat_id: int, start: str) -> dict[str, Any]:
    return await telegram.wait_for(
        lambda: next(
            (m for m in telegram.bot_messages(chat_id) if m.get("text", "").startswith(start)),
            None,
        )
    )


async def remix_on(telegram: FakeTelegram, chat: dict[str, Any], user: dict[str, Any]) -> None:
    telegram.send_text(chat, user, "/settings")
    screen = await question(telegram, chat["id"], "⚙️")
    query = telegram.tap(chat, user, screen["message_id"], callback(screen, "🎛️ Remix"))
    await telegram.wait_for(lambda: telegram.answers.get(query))


async def test_custom_zoom_asks_for_the_prompt_and_zooms(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    if Capability.CUSTOM_ZOOM not in provider_class(provider_name).capabilities:
        pytest.skip("no Custom Zoom here (test_e2e.py: declined)")
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    result = await upscaled(telegram, chat, user)
    telegram.tap(chat, user, result["message_id"], callback(result, ZOOM))
    asked = await question(telegram, USER, "🔍 Reply")
    assert "a house by a lake --zoom 2" in asked["text"]
    (asking,) = [p for m, p in telegram.calls if p.get("text", "").startswith("🔍 Reply")]
    assert asking["reply_markup"]["force_reply"] is True

    telegram.send_text(chat, user, "a house by a lake --zoom 3", reply_to=asked["message_id"])
    await question(telegram, USER, "⚠️ The value of --zoom")  # 1 to 2 only
    telegram.send_text(chat, user, "a house, wide view", reply_to=asked["message_id"])
    zoomed = (await photos(telegram, USER, 3))[-1]
    assert reply_to(zoomed) == result["message_id"]
    assert labels(zoomed)[:2] == GRID_ROWS
    if provider is not None:
        (task,) = [task for task in provider.tasks.values() if task.kind == "zoom_custom"]
        assert task.prompt.startswith("a house, wide view --zoom 2")


@MOCK
async def test_remix_asks_before_a_variation_and_keep_runs_it_unchanged(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, owner, other = telegram.group_chat(GROUP), telegram.user(USER), telegram.user(OTHER)
    await remix_on(telegram, group, owner)
    grid = await imagine_grid(telegram, group, owner, "a paper boat")
    telegram.tap(group, owner, grid["message_id"], callback(grid, "V2"))
    asked = await question(telegram, GROUP, "🎛️ Remix")
    assert "a paper boat" in asked["text"]
    assert labels(asked) == [["✅ Keep", "✖️ Cancel"]]
    # Someone else's reply is chatter, and their Keep is refused.
    telegram.send_text(group, other, "a red boat", reply_to=asked["message_id"])
    foreign = telegram.tap(group, other, asked["message_id"], callback(asked, "✅ Keep"))
    assert (await telegram.wait_for(lambda: telegram.answers.get(foreign)))["show_alert"] is True
    telegram.send_text(group, owner, "a blue boat", reply_to=asked["message_id"])
    remixed = (await photos(telegram, GROUP, 2))[-1]
    assert "a blue boat" in remixed["caption"]

    telegram.tap(group, owner, grid["message_id"], callback(grid, "V3"))
    again = await telegram.wait_for(
        lambda: [m for m in telegram.bot_messages(GROUP) if m.get("text", "").startswith("🎛️")][1:]
    )
    telegram.tap(group, owner, again[0]["message_id"], callback(again[0], "✅ Keep"))
    kept = (await photos(telegram, GROUP, 3))[-1]
    assert "a paper boat" in kept["caption"]
    jobs = [await bot.services.db.jobs.get(n) for n in (2, 3)]
    assert [(job.prompt, job.remix) for job in jobs if job] == [
        ("a blue boat", True),
        ("a paper boat", True),
    ]


@MOCK
async def test_a_remix_question_survives_a_restart(
    bot_env: dict[str, str], telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    first = Bot(bot_env)
    await first.start()
    await remix_on(telegram, chat, user)
    grid = await imagine_grid(telegram, chat, user, "a kite")
    telegram.tap(chat, user, grid["message_id"], callback(grid, "🔄"))
    asked = await question(telegram, USER, "🎛️ Remix")
    await first.stop()
    second = Bot(bot_env)
    await second.start()
    try:
        telegram.send_text(chat, user, "a kite at night", reply_to=asked["message_id"])
        remixed = (await photos(telegram, USER, 2))[-1]
        assert "a kite at night" in remixed["caption"]
    finally:
        await second.stop()

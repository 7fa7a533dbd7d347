"""Vary (Region) end to end, for every provider: the picker made of buttons over a gridded
copy of the image, toggled cells, a new prompt by reply, and the mask the provider gets,
checked pixel by pixel against the chosen cells."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bot.domain import Action
from bot.flows.region import GRID, cell_box
from bot.providers import provider_class
from bot.providers.tasks import Capability
from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, callback, imagine_grid, labels, photos, reply_to

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USER = 7501
OTHER = 7502
GROUP = -100950
REGION = "🖌️ Vary (Region)"


async def upscaled(telegram: FakeTelegram, chat: dict[str, Any], user: dict[str, Any]) -> dict:
    grid = await imagine_grid(telegram, chat, user, "a house by a lake")
    before = len(telegram.photos(chat["id"]))
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    return (await photos(telegram, chat["id"], before + 1))[-1]


async def picker_of(telegram: FakeTelegram, chat_id: int) -> dict[str, Any]:
    return await telegram.wait_for(
        lambda: next(
            (m for m in telegram.photos(chat_id) if m.get("caption", "").startswith("🖌️ Tap")),
            None,
        )
    )


def current(telegram: FakeTelegram, chat_id: int, message_id: int) -> dict[str, Any]:
    return next(m for m in telegram.bot_messages(chat_id) if m["message_id"] == message_id)


def chosen(message: dict[str, Any]) -> list[str]:
    return [label for row in labels(message) for label in row if label.startswith("▣")]


async def toggle(telegram: FakeTelegram, chat: dict, user: dict, picker: dict, cell: int) -> None:
    """Tap a cell and wait until the picker shows it toggled."""
    before = chosen(current(telegram, chat["id"], picker["message_id"]))
    shown = current(telegram, chat["id"], picker["message_id"])
    data = callback(shown, f"▣ {cell}" if f"▣ {cell}" in before else str(cell))
    telegram.tap(chat, user, picker["message_id"], data)
    await telegram.wait_for(
        lambda: chosen(current(telegram, chat["id"], picker["message_id"])) != before
    )


def assert_mask(data: bytes | None, size: tuple[int, int], cells: set[int]) -> None:
    """White over exactly the chosen cells, black elsewhere, the image's size."""
    assert data is not None
    mask = Image.open(io.BytesIO(data)).convert("L")
    assert mask.size == size
    for cell in range(1, GRID * GRID + 1):
        left, top, right, bottom = cell_box(cell, size)
        box = mask.crop((left, top, right, bottom))
        assert box.getextrema() == ((255, 255) if cell in cells else (0, 0)), cell


async def test_the_picker_repaints_the_chosen_cells_with_the_new_prompt(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    result = await upscaled(telegram, chat, user)
    offered = [label for row in labels(result) for label in row]
    if REGION not in offered:
        pytest.skip("this provider offers no Vary (Region)")
    query = telegram.tap(chat, user, result["message_id"], callback(result, REGION))
    cls = provider_class(provider_name)
    if (
        Capability.VARY_REGION not in cls.capabilities
        or Action.VARY_REGION not in cls.inline_images
    ):
        answer = await telegram.wait_for(lambda: telegram.answers.get(query))
        assert answer["show_alert"] is True
        return
    picker = await picker_of(telegram, USER)
    assert reply_to(picker) == result["message_id"]
    rows = labels(picker)
    assert [len(row) for row in rows] == [GRID] * GRID + [1, 2]
    assert rows[-1] == ["✅ Submit", "✖️ Cancel"]

    # Nothing chosen: Submit is refused.
    empty = telegram.tap(chat, user, picker["message_id"], callback(picker, "✅ Submit"))
    assert (await telegram.wait_for(lambda: telegram.answers.get(empty)))["show_alert"] is True

    for cell in (1, 2, 6):
        await toggle(telegram, chat, user, picker, cell)
    await toggle(telegram, chat, user, picker, 2)  # and 2 again: off
    assert chosen(current(telegram, USER, picker["message_id"])) == ["▣ 1", "▣ 6"]

    telegram.send_text(chat, user, "a red door", reply_to=picker["message_id"])
    await telegram.wait_for(
        lambda: "a red door" in current(telegram, USER, picker["message_id"])["caption"]
    )
    shown = current(telegram, USER, picker["message_id"])
    telegram.tap(chat, user, picker["message_id"], callback(shown, "✅ Submit"))
    repainted = (await photos(telegram, USER, 4))[-1]  # grid, upscale, picker, repainted
    assert reply_to(repainted) == result["message_id"]
    assert labels(repainted)[:2] == GRID_ROWS
    closed = await telegram.wait_for(
        lambda: (
            "Repainting squares 1, 6" in current(telegram, USER, picker["message_id"])["caption"]
        )
    )
    assert closed and labels(current(telegram, USER, picker["message_id"])) == []
    if provider is not None:
        (region,) = [task for task in provider.tasks.values() if task.kind == "vary_region"]
        assert "a red door" in region.prompt
        assert len(provider.masks_received) == 1
        assert_mask(provider.masks_received[0], (256, 256), {1, 6})


@MOCK
async def test_only_the_owner_works_the_picker_and_cancel_takes_it_away(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, owner, other = telegram.group_chat(GROUP), telegram.user(USER), telegram.user(OTHER)
    result = await upscaled(telegram, group, owner)
    telegram.tap(group, owner, result["message_id"], callback(result, REGION))
    picker = await picker_of(telegram, GROUP)
    foreign = telegram.tap(group, other, picker["message_id"], callback(picker, "3"))
    assert (await telegram.wait_for(lambda: telegram.answers.get(foreign)))["show_alert"] is True
    telegram.send_text(group, other, "a cat", reply_to=picker["message_id"])  # chatter
    telegram.tap(group, owner, picker["message_id"], callback(picker, "✖️ Cancel"))
    await telegram.wait_for(lambda: current(telegram, GROUP, picker["message_id"])["deleted"])
    assert "a cat" not in current(telegram, GROUP, picker["message_id"]).get("caption", "")


@MOCK
async def test_a_picker_survives_a_restart(bot_env: dict[str, str], telegram: FakeTelegram) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    first = Bot(bot_env)
    await first.start()
    result = await upscaled(telegram, chat, user)
    telegram.tap(chat, user, result["message_id"], callback(result, REGION))
    picker = await picker_of(telegram, USER)
    await toggle(telegram, chat, user, picker, 3)
    await first.stop()
    second = Bot(bot_env)
    await second.start()
    try:
        await toggle(telegram, chat, user, picker, 4)
        assert chosen(current(telegram, USER, picker["message_id"])) == ["▣ 3", "▣ 4"]
        telegram.tap(chat, user, picker["message_id"], callback(picker, "✅ Submit"))
        await photos(telegram, USER, 4)
        jobs = [await second.services.db.jobs.get(n) for n in range(1, 4)]
        (region,) = [job for job in jobs if job and job.action is Action.VARY_REGION]
        assert region.region == {"cells": [3, 4], "grid": GRID, "size": [1024, 1024]}
    finally:
        await second.stop()

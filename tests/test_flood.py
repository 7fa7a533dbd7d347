"""Telegram's flood limits, enforced by the fake Bot API: the bot keeps within them by
itself, in private chats and in a group, and every result arrives with its keyboard."""

from __future__ import annotations

import pytest

from tests.conftest import Bot
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, labels, photos

mock_only = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USERS = range(5001, 5041)
GROUP = -100900


@mock_only
async def test_many_chats_at_once_get_no_429(bot: Bot, telegram: FakeTelegram) -> None:
    telegram.enforce_limits()
    for user_id in USERS:
        chat, user = telegram.private_chat(user_id), telegram.user(user_id)
        telegram.send_text(chat, user, f"/imagine a lantern number {user_id}")
    for user_id in USERS:
        (grid,) = await photos(telegram, user_id, 1)
        assert labels(grid)[:2] == GRID_ROWS
    assert telegram.flooded == []


@mock_only
async def test_a_busy_group_gets_no_429(bot: Bot, telegram: FakeTelegram) -> None:
    telegram.enforce_limits()
    group = telegram.group_chat(GROUP, "Busy")
    for n in range(5):
        user = telegram.user(6000 + n)
        telegram.send_text(group, user, f"/imagine@mj_test_bot a kite number {n}")
    # About one call a second in one chat: ten messages and their edits take a while.
    grids = await telegram.wait_for(
        lambda: len(telegram.photos(GROUP)) >= 5 and telegram.photos(GROUP), 30
    )
    assert all(labels(grid)[:2] == GRID_ROWS for grid in grids)
    assert telegram.flooded == []

"""The outbox's order and limits, driven through PTB's rate-limiter interface with a
recording stand-in for the Bot API call. Limits are scaled up so the tests run fast."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.outbox import Outbox, Priority, Send, Superseded

FAST = {"global_limit": (30, 0.05), "chat_limit": (1, 100.0), "group_limit": (20, 400.0)}


class Telegram:
    """Records the calls that got through, in order; can answer 429 to some of them."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.flood: dict[str, int] = {}  # label → seconds of retry_after, once

    def call(self, endpoint: str, chat: Any, label: str):
        async def callback() -> bool:
            if label in self.flood:
                raise RetryAfter(self.flood.pop(label))
            self.sent.append((label, chat))
            return True

        return callback


@pytest.fixture
async def outbox() -> AsyncIterator[Outbox]:
    box = Outbox(**FAST)  # type: ignore[arg-type]
    yield box
    await box.shutdown()


def request(
    outbox: Outbox, telegram: Telegram, endpoint: str, chat: Any, label: str, send: Send | None
) -> asyncio.Task[Any]:
    data = {"chat_id": chat} if chat is not None else {}
    step = outbox.process_request(
        telegram.call(endpoint, chat, label), (), {}, endpoint, data, send
    )
    return asyncio.ensure_future(step)


async def test_a_result_goes_before_the_edits_queued_ahead_of_it(outbox: Outbox) -> None:
    telegram = Telegram()
    edits = [
        request(outbox, telegram, "editMessageText", 7, f"edit {n}", Send(Priority.PROGRESS, n))
        for n in range(50)
    ]
    result = request(outbox, telegram, "sendPhoto", 7, "result", Send(Priority.RESULT))
    await asyncio.gather(result, *edits)
    labels = [label for label, _ in telegram.sent]
    assert len(labels) == 51
    assert labels.index("result") <= 1  # at most the one edit already on its way


async def test_a_superseded_edit_is_never_sent(outbox: Outbox) -> None:
    telegram = Telegram()
    status = ("status", 1)
    first = request(outbox, telegram, "sendMessage", 5, "status", Send(Priority.ANNOUNCE, status))
    old = request(
        outbox, telegram, "editMessageText", 5, "40%", Send(Priority.PROGRESS, status, True)
    )
    new = request(
        outbox, telegram, "editMessageText", 5, "80%", Send(Priority.PROGRESS, status, True)
    )
    failure = request(
        outbox, telegram, "editMessageText", 5, "failed", Send(Priority.RESULT, status)
    )
    await first
    with pytest.raises(Superseded):
        await old
    with pytest.raises(Superseded):
        await new
    await failure
    assert [label for label, _ in telegram.sent] == ["status", "failed"]


async def test_requests_about_one_message_keep_their_order(outbox: Outbox) -> None:
    telegram = Telegram()
    key = ("status", 2)
    steps = [
        request(outbox, telegram, "sendMessage", -100, "status", Send(Priority.ANNOUNCE, key)),
        request(outbox, telegram, "editMessageText", -100, "notice", Send(Priority.RESULT, key)),
        request(outbox, telegram, "deleteMessage", -100, "delete", Send(Priority.CLEANUP, key)),
    ]
    await asyncio.gather(*steps)
    assert [label for label, _ in telegram.sent] == ["status", "notice", "delete"]


async def test_a_429_for_one_chat_holds_back_no_other(outbox: Outbox) -> None:
    telegram = Telegram()
    telegram.flood["to 1"] = 1
    flooded = request(outbox, telegram, "sendPhoto", 1, "to 1", Send(Priority.RESULT))
    await asyncio.sleep(0)  # its first try is made and refused
    others = [
        request(outbox, telegram, "sendPhoto", chat, f"to {chat}", Send(Priority.RESULT))
        for chat in (2, 3)
    ]
    await asyncio.gather(*others)
    assert not flooded.done()  # chat 1 still waits out its second
    await flooded
    assert [label for label, _ in telegram.sent] == ["to 2", "to 3", "to 1"]


async def test_calls_that_are_not_messages_pass_straight_through(outbox: Outbox) -> None:
    telegram = Telegram()
    telegram.flood["held"] = 30  # a pause for every chat: messages wait 30 s
    held = request(outbox, telegram, "sendMessage", None, "held", None)
    await asyncio.sleep(0)
    answer = request(outbox, telegram, "answerCallbackQuery", None, "answer", None)
    await asyncio.wait_for(answer, 5)
    assert telegram.sent == [("answer", None)]
    held.cancel()


async def test_the_global_limit_is_kept() -> None:
    box = Outbox(global_limit=(3, 0.2), chat_limit=(100, 1000.0))
    times: list[float] = []
    loop = asyncio.get_running_loop()

    async def callback() -> bool:
        times.append(loop.time())
        return True

    try:
        steps = [
            box.process_request(callback, (), {}, "sendMessage", {"chat_id": n}, None)
            for n in range(9)
        ]
        await asyncio.gather(*steps)
    finally:
        await box.shutdown()
    # Any four consecutive sends span at least the window: never four within 0.2 s.
    assert all(times[n + 3] - times[n] >= 0.2 - 0.01 for n in range(len(times) - 3))

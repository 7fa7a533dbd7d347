"""Nothing goes unanswered in a private chat; in a group only what names the bot is answered."""

from __future__ import annotations

import pytest

from tests.conftest import Bot
from tests.fakes.telegram import FakeTelegram

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USER = 1001
GROUP = -100700


async def private_answer(telegram: FakeTelegram) -> str:
    return await telegram.wait_for(lambda: next(iter(telegram.texts(USER)), None))


async def answer_to(telegram: FakeTelegram, chat_id: int, message_id: int) -> str:
    return await telegram.wait_for(
        lambda: next(
            (
                m["text"]
                for m in telegram.bot_messages(chat_id)
                if (m.get("reply_to_message") or {}).get("message_id") == message_id
            ),
            None,
        )
    )


@MOCK
@pytest.mark.parametrize("command", ["/info", "/fast", "/imagine@another_bot a cat"])
async def test_an_unknown_command_in_private_is_answered(
    bot: Bot, telegram: FakeTelegram, command: str
) -> None:
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), command)
    answer = await private_answer(telegram)
    name = command.split()[0].partition("@")[0]
    assert answer.startswith(f"🤔 I don't know {name}.")
    assert "/help" in answer


@MOCK
@pytest.mark.parametrize("kind", ["sticker", "voice"])
async def test_what_the_bot_cannot_use_in_private_is_answered(
    bot: Bot, telegram: FakeTelegram, kind: str
) -> None:
    telegram.send_attachment(telegram.private_chat(USER), telegram.user(USER), kind)
    answer = await private_answer(telegram)
    assert answer.startswith("🤷 I can't use that.")


@MOCK
async def test_in_a_group_only_what_names_the_bot_is_answered(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, user = telegram.group_chat(GROUP, "Painters"), telegram.user(USER)
    ignored = [
        telegram.send_text(group, user, "/info"),  # may be another bot's
        telegram.send_text(group, user, "/stats@another_bot"),
        telegram.send_attachment(group, user, "sticker"),
        telegram.send_attachment(group, user, "voice"),
    ]
    addressed = telegram.send_text(group, user, "/info@mj_test_bot")
    answer = await answer_to(telegram, GROUP, addressed["message_id"])
    assert answer.startswith("🤔 I don't know /info.")
    replied = {
        (m.get("reply_to_message") or {}).get("message_id") for m in telegram.bot_messages(GROUP)
    }
    assert replied == {addressed["message_id"]}
    assert all(m["message_id"] not in replied for m in ignored)

"""Each person in their own language: from Telegram's language code, or their /language choice;
the command menus and descriptions in every language."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.i18n import Translator, locales_dir
from tests.conftest import Bot
from tests.fakes.provider_base import FAIL_WORD, FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GROUP, OTHER_USER, USER, callback, photos

T = Translator(locales_dir(), "en")
LANGUAGE_CODES = {"ru": "ru", "zh": "zh-hans", "ko": "ko", "fr": "fr-FR"}


def english_only_texts(locale: str) -> set[str]:
    """en.ftl's messages that take no variables and that `locale` says otherwise (some keep
    Midjourney's English button names): any of them in a chat is English leaking."""
    source = (locales_dir() / "en.ftl").read_text(encoding="utf-8")
    keys = re.findall(r"^([a-z][a-z0-9-]*) =", source, re.MULTILINE)
    texts = set()
    for key in keys:
        try:
            english = T("en", key)
        except Exception:  # needs variables
            continue
        if len(english) > 3 and T(locale, key) != english:
            texts.add(english)
    return texts


def everything_shown(telegram: FakeTelegram, chat_id: int) -> list[str]:
    shown = []
    for message in telegram.bot_messages(chat_id):
        shown += [message.get("text") or "", message.get("caption") or ""]
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            shown += [button["text"] for button in row]
    shown += [answer.get("text") or "" for answer in telegram.answers.values()]
    return [text for text in shown if text]


async def text_equal(telegram: FakeTelegram, chat_id: int, expected: str) -> None:
    await telegram.wait_for(lambda: expected in telegram.texts(chat_id))


@pytest.mark.parametrize("locale", ["ru", "zh", "ko", "fr"])
@pytest.mark.parametrize("provider", ["agicto"], indirect=True)
async def test_a_whole_session_in_the_persons_language(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider, locale: str
) -> None:
    chat = telegram.private_chat(USER)
    user = telegram.user(USER, language_code=LANGUAGE_CODES[locale])
    telegram.send_text(chat, user, "/start")
    await text_equal(telegram, USER, T(locale, "start"))
    telegram.send_text(chat, user, "/help")
    await text_equal(telegram, USER, T(locale, "help", bot="mj_test_bot"))

    provider.hold = True
    telegram.send_text(chat, user, "/imagine a lighthouse")
    queued = T(locale, "status-queued", prompt="a lighthouse")
    await text_equal(telegram, USER, queued)
    provider.release()
    (grid,) = await photos(telegram, USER, 1)
    query = telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert answer["text"] == T(locale, "tap-started", action="U1")
    await photos(telegram, USER, 2)

    telegram.send_text(chat, user, f"/imagine a {FAIL_WORD}")
    failure = T(locale, "error-failed")
    await telegram.wait_for(lambda: any(failure in text for text in telegram.texts(USER)))
    telegram.send_text(chat, user, "/nonsense")
    await text_equal(telegram, USER, T(locale, "unknown-command", command="/nonsense"))
    telegram.send_text(chat, user, "/settings")
    await telegram.wait_for(
        lambda: any(T(locale, "settings-language") in t for t in everything_shown(telegram, USER))
    )
    telegram.send_text(chat, user, "/me")
    await telegram.wait_for(
        lambda: any(t.startswith(T(locale, "me-title")) for t in telegram.texts(USER))
    )

    leaks = english_only_texts(locale) & set(everything_shown(telegram, USER))
    assert not leaks


async def test_menus_and_descriptions_in_every_language(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    default = json.dumps({"type": "default"}, sort_keys=True)
    groups = json.dumps({"type": "all_group_chats"}, sort_keys=True)
    for code in ["en", "ru", "zh", "ko", "fr"]:
        private = {c["command"]: c["description"] for c in telegram.commands[(default, code)]}
        assert private["imagine"] == T(code, "command-imagine")
        assert {"settings", "language", "me", "history", "help"} <= set(private)
        assert "stats" not in private and "buy" not in private  # no packs are sold here
        group = [c["command"] for c in telegram.commands[(groups, code)]]
        assert "me" not in group and "imagine" in group
        assert telegram.descriptions[("description", code)] == T(code, "bot-description")
        short = telegram.descriptions[("short_description", code)]
        assert short == T(code, "bot-short-description")
    assert telegram.commands[(default, "")] == telegram.commands[(default, "en")]


@pytest.mark.parametrize("provider", ["mock"], indirect=True)
async def test_a_chosen_language_wins_over_telegrams_and_sets_the_menu(
    bot: Bot, telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER, language_code="en")
    telegram.send_text(chat, user, "/language")
    panel = await telegram.wait_for(
        lambda: next((m for m in telegram.bot_messages(USER) if m.get("reply_markup")), None)
    )
    query = telegram.tap(chat, user, panel["message_id"], callback(panel, "한국어"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert answer["text"] == T("ko", "language-chosen")
    scope = json.dumps({"chat_id": USER, "type": "chat"}, sort_keys=True)
    menu: list[dict[str, Any]] = await telegram.wait_for(lambda: telegram.commands.get((scope, "")))
    assert menu[0]["description"] == T("ko", "command-imagine")
    telegram.send_text(chat, user, "/help")
    await text_equal(telegram, USER, T("ko", "help", bot="mj_test_bot"))


@pytest.mark.parametrize("provider", ["agicto"], indirect=True)
async def test_in_a_group_each_person_is_answered_in_their_own_language(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner = telegram.user(USER, language_code="ru")
    other = telegram.user(OTHER_USER, first_name="Eve", language_code="fr")
    telegram.send_text(group, owner, "/imagine@mj_test_bot a castle")
    (grid,) = await photos(telegram, GROUP, 1)
    query = telegram.tap(group, other, grid["message_id"], callback(grid, "U1"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert answer["text"] == T("fr", "tap-not-yours")
    query = telegram.tap(group, owner, grid["message_id"], callback(grid, "U1"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert answer["text"] == T("ru", "tap-started", action="U1")
    upscale = (await photos(telegram, GROUP, 2))[-1]
    assert T("ru", "button-full-size") in [
        b["text"] for row in upscale["reply_markup"]["inline_keyboard"] for b in row
    ]

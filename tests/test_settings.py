"""/settings: each person's defaults, chosen on one screen, joined to their prompts; in a
group only the person whose screen it is changes it, and administrators the group line."""

from __future__ import annotations

from typing import Any

from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GROUP, OTHER_USER, USER, callback, imagine_grid, labels

# Where each provider's submit carries the speed, and how it says "relax".
RELAX = {
    "agicto": ("model", "mj-relax"),
    "apimart": ("speed", "relax"),
    "acedata": ("mode", "relax"),
    "ttapi": ("mode", "relax"),
}


def flat(message: dict[str, Any]) -> list[str]:
    return [label for row in labels(message) for label in row]


async def open_settings(telegram: FakeTelegram, chat: dict[str, Any], user: dict[str, Any]) -> dict:
    telegram.send_text(chat, user, "/settings")
    return await telegram.wait_for(
        lambda: next(
            (m for m in telegram.bot_messages(chat["id"]) if "Your settings" in m.get("text", "")),
            None,
        )
    )


async def choose(telegram: FakeTelegram, chat: dict, user: dict, screen: dict, label: str) -> dict:
    query = telegram.tap(chat, user, screen["message_id"], callback(screen, label))
    await telegram.wait_for(lambda: query in telegram.answers)
    return await telegram.wait_for(
        lambda: (
            (m := telegram.messages[chat["id"]][screen["message_id"]])
            and f"✅ {label}" in flat(m)
            and m
        )
    )


async def test_chosen_settings_join_every_prompt_that_does_not_set_them(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    screen = await open_settings(telegram, chat, user)
    assert "Version: default" in screen["text"] and "Raw style: off" in screen["text"]
    speeds = "🐢 Relax" in flat(screen)
    assert speeds == (provider is None or provider.name in RELAX)
    for label in ["V7", "16:9", "🎨 250", "📷 Raw"] + (["🐢 Relax"] if speeds else []):
        screen = await choose(telegram, chat, user, screen, label)
    assert "Version: 7" in screen["text"] and "Aspect ratio: 16:9" in screen["text"]
    assert "Stylize: 250" in screen["text"] and "Raw style: on" in screen["text"]

    grid = await imagine_grid(telegram, chat, user, "a cat")
    assert "a cat --v 7 --ar 16:9 --stylize 250 --style raw" in grid["caption"]
    await imagine_grid(telegram, chat, user, "a dog --ar 1:1 --v 6.1")
    if provider is not None:
        prompts = [t.prompt for t in provider.tasks.values() if t.kind == "imagine"]
        assert prompts == [
            "a cat --v 7 --ar 16:9 --stylize 250 --style raw",
            "a dog --ar 1:1 --v 6.1 --stylize 250 --style raw",
        ]
        if provider.name in RELAX:
            name, relax = RELAX[provider.name]
            assert [body[name] for _, body in provider.submits] == [relax, relax]

    # Choosing a chosen value again, and the reset button, go back to the defaults.
    screen = await choose(telegram, chat, user, screen, "V6.1")
    query = telegram.tap(chat, user, screen["message_id"], callback(screen, "✅ V6.1"))
    await telegram.wait_for(lambda: query in telegram.answers)
    telegram.tap(chat, user, screen["message_id"], callback(screen, "↩️ Reset"))
    await telegram.wait_for(
        lambda: (
            "Version: default\nAspect ratio: default"
            in telegram.messages[USER][screen["message_id"]]["text"]
        )
    )


async def test_only_the_owner_changes_their_settings_in_a_group(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, other = telegram.user(USER), telegram.user(OTHER_USER, first_name="Eve")
    screen = await open_settings(telegram, group, owner)
    assert "only the person who asked" in screen["text"]
    foreign = telegram.tap(group, other, screen["message_id"], callback(screen, "V7"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert answer["show_alert"] is True and "someone else's" in answer["text"]
    grid = await imagine_grid(telegram, group, other, "a tree")
    assert "--v" not in grid["caption"]

"""The operator's side: bans, the allowlist, /stats, and admin commands that others cannot see."""

from __future__ import annotations

import pytest

from tests.fakes.provider_base import FAIL_WORD, FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_credits import ADMIN, running
from tests.test_e2e import GROUP, USER, callback, imagine_grid, photos, text_containing

pytestmark = pytest.mark.parametrize("provider", ["agicto"], indirect=True)


async def test_a_banned_person_reaches_no_provider(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: FakeProvider
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER, username="Mallory")
    admin_chat, admin = telegram.private_chat(ADMIN), telegram.user(ADMIN)
    async with running(bot_env):
        grid = await imagine_grid(telegram, chat, user, "a lamp")
        telegram.send_text(admin_chat, admin, "/ban @mallory")
        await text_containing(telegram, ADMIN, f"User {USER} is banned")

        telegram.send_text(chat, user, "/imagine another lamp")
        line = await text_containing(telegram, USER, "can no longer use this bot")
        query = telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
        answer = await telegram.wait_for(lambda: telegram.answers.get(query))
        assert answer["show_alert"] and answer["text"] == line.strip()
        group = telegram.group_chat(GROUP)
        telegram.send_text(group, user, "just chatting")  # not to the bot: no answer
        telegram.send_text(group, user, "/imagine@mj_test_bot a group lamp")
        await telegram.wait_for(lambda: telegram.texts(GROUP))
        assert telegram.texts(GROUP) == [line]
        assert len(provider.tasks) == 1  # the grid before the ban only

        telegram.send_text(admin_chat, admin, f"/unban {USER}")
        await text_containing(telegram, ADMIN, "may use the bot again")
        await imagine_grid(telegram, chat, user, "a lamp, at last")
        assert len(provider.tasks) == 2


async def test_allowlist_lets_in_only_the_listed_and_the_admins(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: FakeProvider
) -> None:
    stranger = 4242
    env = {"ACCESS": "allowlist", "ALLOWED_USER_IDS": str(USER)}
    async with running(bot_env, **env):
        await imagine_grid(telegram, telegram.private_chat(USER), telegram.user(USER), "a key")
        await imagine_grid(telegram, telegram.private_chat(ADMIN), telegram.user(ADMIN), "a door")
        telegram.send_text(telegram.private_chat(stranger), telegram.user(stranger), "a lock")
        await text_containing(telegram, stranger, "this bot is private")
        assert len(provider.tasks) == 2


async def test_admin_commands_are_unknown_to_others_and_missing_from_their_menu(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: FakeProvider
) -> None:
    async with running(bot_env):
        telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/stats")
        await text_containing(telegram, USER, "I don't know /stats")
        menus = {key: [c["command"] for c in value] for key, value in telegram.commands.items()}
        admin_scope = f'{{"chat_id": {ADMIN}, "type": "chat"}}'
        admin_menu = menus[(admin_scope, "")]
        assert {"stats", "ban", "unban", "grant", "refund"} <= set(admin_menu)
        for (scope, _), commands in menus.items():
            if scope != admin_scope:
                assert "stats" not in commands and "ban" not in commands, scope


async def test_stats_count_jobs_failures_credits_and_people(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: FakeProvider
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER, username="ann")
    async with running(bot_env, DAILY_FREE_CREDITS="10"):
        grid = await imagine_grid(telegram, chat, user, "a bridge")
        telegram.tap(chat, user, grid["message_id"], callback(grid, "V1"))
        await photos(telegram, USER, 2)
        telegram.send_text(chat, user, f"/imagine a {FAIL_WORD}")
        await text_containing(telegram, USER, "could not finish")
        telegram.send_text(telegram.private_chat(ADMIN), telegram.user(ADMIN), "/stats")
        report = await text_containing(telegram, ADMIN, "Today")
    today, week = report.split("The last 7 days")
    for part in (today, week):
        assert "delivered 2" in part and "failed 1" in part
        assert "imagine 2" in part and "variation 1" in part
        assert "Failures: failed 1" in part
        assert "Credits spent: 2" in part and "People: 1" in part
        assert "Top spenders: @ann 2" in part

"""/history end to end: a person's results, newest first, ten a page, paged in place; a
number posts the result again with its buttons, which work as when it was new; only the
person whose history it is may press its buttons; results posted before a restart too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.domain import Action, Job, JobStatus
from bot.history import like_pattern
from bot.store import Database
from tests.conftest import Bot
from tests.fakes.telegram import FakeTelegram
from tests.test_describe_blend import NUMBERS, first_text
from tests.test_e2e import GROUP, OTHER_USER, USER, callback, imagine_grid, labels, photos
from tests.test_image_prompts import jpeg
from tests.test_region import upscaled

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)

TITLE = "🗂️ Your images"


def flat(message: dict[str, Any]) -> list[str]:
    return [label for row in labels(message) for label in row]


def history_screens(telegram: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [m for m in telegram.bot_messages(chat_id) if m.get("text", "").startswith(TITLE)]


async def open_history(telegram: FakeTelegram, chat: dict, user: dict) -> dict[str, Any]:
    before = len(history_screens(telegram, chat["id"]))
    telegram.send_text(chat, user, "/history")
    screens = await telegram.wait_for(
        lambda: (
            len(history_screens(telegram, chat["id"])) > before
            and history_screens(telegram, chat["id"])
        )
    )
    return screens[-1]


async def turn(telegram: FakeTelegram, chat: dict, user: dict, screen: dict, label: str) -> dict:
    """Tap ◀️ or ▶️ and wait for the screen, edited in place, to show the other page."""
    text = screen["text"]
    query = telegram.tap(chat, user, screen["message_id"], callback(screen, label))
    await telegram.wait_for(lambda: query in telegram.answers)
    return await telegram.wait_for(
        lambda: (m := telegram.messages[chat["id"]][screen["message_id"]])["text"] != text and m
    )


def numbered(screen: dict[str, Any]) -> list[str]:
    """The screen's numbered lines."""
    return screen["text"].split("\n")[1:]


async def stored(bot: Bot, message: dict[str, Any]) -> Job:
    """The job whose result is `message` (found by its keyboard's first button)."""
    job_id = int(message["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1])
    job = await bot.services.db.jobs.get(job_id)
    assert job is not None
    return job


async def seed(bot: Bot, like: Job, prompts: list[str]) -> list[Job]:
    """Delivered results like `like` (its file, its buttons), one per prompt, oldest first:
    results posted long ago, without waiting for each to be drawn."""
    made = []
    for prompt in prompts:
        job = replace(like, id=0, prompt=prompt, result_message_id=None, status_message_id=None)
        made.append(await bot.services.db.jobs.create(job))
    return made


async def settled(telegram: FakeTelegram, chat_id: int) -> None:
    """Until every job's status message is gone: each job is marked delivered before its
    status message is deleted."""
    await telegram.wait_for(
        lambda: all(
            {"photo", "video", "animation"} & m.keys() or m["deleted"] or TITLE in m["text"]
            for m in telegram.bot_messages(chat_id)
        )
    )


def sent_photo_files(telegram: FakeTelegram, chat_id: int) -> list[Any]:
    return [
        params["photo"]
        for method, params in telegram.calls
        if method == "sendPhoto" and str(params.get("chat_id")) == str(chat_id)
    ]


@MOCK
async def test_history_pages_both_ways_and_a_repost_works_as_new(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a red fox in the snow")
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    await photos(telegram, USER, 2)
    original = await stored(bot, grid)
    await seed(bot, original, [f"seeded picture {n}" for n in range(1, 11)])

    screen = await open_history(telegram, chat, user)
    assert "(1–10)" in screen["text"]
    assert numbered(screen) == [f"{n}. seeded picture {11 - n}" for n in range(1, 11)]
    assert labels(screen) == [["1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"], ["▶️"]]
    assert all(
        len(button["callback_data"].encode()) <= 64
        for row in screen["reply_markup"]["inline_keyboard"]
        for button in row
    )

    second = await turn(telegram, chat, user, screen, "▶️")
    assert second["message_id"] == screen["message_id"]  # edited in place
    assert "(11–12)" in second["text"]
    assert numbered(second) == ["11. U1 · a red fox in the snow", "12. a red fox in the snow"]
    assert labels(second) == [["11", "12"], ["◀️"]]
    first = await turn(telegram, chat, user, second, "◀️")
    assert numbered(first) == numbered(screen)
    second = await turn(telegram, chat, user, first, "▶️")

    # 12: the grid, posted again by its file id, with its caption and its whole keyboard.
    query = telegram.tap(chat, user, second["message_id"], callback(second, "12"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert "Posting it again" in answer["text"]
    repost = (await photos(telegram, USER, 3))[-1]
    assert sent_photo_files(telegram, USER)[-1] == original.file_id
    assert repost["caption"] == grid["caption"]
    assert labels(repost) == labels(grid)
    copy = await stored(bot, repost)
    assert copy.id != original.id
    assert copy.copy_of == original.id
    assert (copy.chat_id, copy.status, copy.file_id) == (USER, JobStatus.DELIVERED, grid_file(grid))
    assert (copy.parent_id, copy.cost_free, copy.cost_paid) == (None, 0, 0)

    # The repost's U1 upscales again (its buttons are its own), the original's U1 is done.
    telegram.tap(chat, user, repost["message_id"], callback(repost, "U1"))
    upscaled = (await photos(telegram, USER, 4))[-1]
    assert upscaled["reply_to_message"]["message_id"] == repost["message_id"]
    assert "🪄 Vary (Subtle)" in flat(upscaled)
    done = telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    assert "already" in (await telegram.wait_for(lambda: telegram.answers.get(done)))["text"]
    telegram.tap(chat, user, grid["message_id"], callback(grid, "V2"))
    varied = (await photos(telegram, USER, 5))[-1]
    assert varied["reply_to_message"]["message_id"] == grid["message_id"]

    # The copy is no history item of its own; the jobs its buttons started are.
    await settled(telegram, USER)
    items, more = await bot.services.db.history.page(USER, 0, 100)
    assert not more
    assert copy.id not in [job.id for job in items]
    assert len(items) == 14
    copy = await bot.services.db.jobs.get(copy.id)
    assert copy is not None and copy.result_message_id == repost["message_id"]


def grid_file(grid: dict[str, Any]) -> str:
    return grid["photo"][-1]["file_id"]


@MOCK
async def test_in_a_group_only_the_owner_presses_the_history(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, other = telegram.user(USER), telegram.user(OTHER_USER, first_name="Eve")
    await imagine_grid(telegram, telegram.private_chat(USER), owner, "my secret garden")
    telegram.send_text(group, owner, "/imagine@mj_test_bot a castle on a hill")
    (grid,) = await photos(telegram, GROUP, 1)
    telegram.send_text(group, owner, "/history@mj_test_bot")
    (screen,) = await telegram.wait_for(lambda: history_screens(telegram, GROUP))
    assert numbered(screen) == ["1. a castle on a hill"]  # private results stay private

    foreign = telegram.tap(group, other, screen["message_id"], callback(screen, "1"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert answer["show_alert"] is True
    assert "someone else's history" in answer["text"]

    own = telegram.tap(group, owner, screen["message_id"], callback(screen, "1"))
    repost = (await photos(telegram, GROUP, 2))[-1]
    assert own in telegram.answers
    assert labels(repost) == labels(grid)
    # Photos posted by the foreign tap: none.
    assert len(sent_photo_files(telegram, GROUP)) == 2
    # The repost's buttons, too, are the owner's.
    refused = telegram.tap(group, other, repost["message_id"], callback(repost, "U3"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(refused))
    assert answer["show_alert"] is True and "Only the person" in answer["text"]
    telegram.tap(group, owner, repost["message_id"], callback(repost, "U3"))
    upscaled = (await photos(telegram, GROUP, 3))[-1]
    assert upscaled["reply_to_message"]["message_id"] == repost["message_id"]


@MOCK
async def test_someone_elses_results_and_forged_data_are_not_posted(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    other_chat, other = telegram.private_chat(OTHER_USER), telegram.user(OTHER_USER)
    theirs = await stored(bot, await imagine_grid(telegram, other_chat, other, "a kettle"))
    await imagine_grid(telegram, chat, user, "a tea cup")
    screen = await open_history(telegram, chat, user)
    assert numbered(screen) == ["1. a tea cup"]  # only the person's own
    forged = [
        f"h:{USER}:r:{theirs.id}",  # another person's result
        f"h:{USER}:r:999999",  # no such job
        f"h:{OTHER_USER}:r:{theirs.id}",  # another person's history
        "h:bad",
    ]
    queries = [telegram.tap(chat, user, screen["message_id"], data, forged=True) for data in forged]
    await telegram.wait_for(lambda: all(q in telegram.answers for q in queries))
    assert all(telegram.answers[q]["show_alert"] is True for q in queries)
    assert len(telegram.photos(USER)) == 1


@MOCK
async def test_an_empty_history_says_how_to_begin(bot: Bot, telegram: FakeTelegram) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    telegram.send_text(chat, user, "/history")
    empty = await first_text(telegram, USER, "🗂️ Nothing here yet")
    assert "/imagine" in empty["text"]
    assert "reply_markup" not in empty


@MOCK
async def test_results_posted_before_a_restart(
    bot_env: dict[str, str], telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    first = Bot(bot_env)
    await first.start()
    try:
        grid = await imagine_grid(telegram, chat, user, "a windmill in fog")
        telegram.send_photo(chat, user, jpeg("teal"), caption="/describe")
        described = await first_text(telegram, USER, "🔎 Prompts")
    finally:
        await first.stop()

    second = Bot(bot_env)
    await second.start()
    try:
        screen = await open_history(telegram, chat, user)
        assert numbered(screen) == ["1. 🔎 Describe", "2. a windmill in fog"]
        telegram.tap(chat, user, screen["message_id"], callback(screen, "2"))
        repost = (await photos(telegram, USER, 2))[-1]
        assert sent_photo_files(telegram, USER)[-1] == grid_file(grid)
        assert labels(repost) == labels(grid)
        telegram.tap(chat, user, repost["message_id"], callback(repost, "U4"))
        upscaled = (await photos(telegram, USER, 3))[-1]
        assert upscaled["reply_to_message"]["message_id"] == repost["message_id"]

        # A describe's answer comes again as text, with its numbers, which draw.
        telegram.tap(chat, user, screen["message_id"], callback(screen, "1"))
        answers = await telegram.wait_for(
            lambda: [
                m
                for m in telegram.bot_messages(USER)
                if m.get("text", "").startswith("🔎 Prompts") and not m["deleted"]
            ][1:]
        )
        assert answers[0]["text"] == described["text"]
        assert labels(answers[0]) == [NUMBERS]
        telegram.tap(chat, user, answers[0]["message_id"], callback(answers[0], "3️⃣"))
        drawn = (await photos(telegram, USER, 4))[-1]
        assert drawn["reply_to_message"]["message_id"] == answers[0]["message_id"]
    finally:
        await second.stop()


@MOCK
async def test_a_video_is_posted_again_as_what_it_is(bot: Bot, telegram: FakeTelegram) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    result = await upscaled(telegram, chat, user)
    telegram.tap(chat, user, result["message_id"], callback(result, "🎬 Animate (Low motion)"))
    (clip,) = await telegram.wait_for(lambda: telegram.clips(USER))
    await settled(telegram, USER)
    animation = await stored(bot, clip)
    # The same file, its URL not saying it is a GIF: Telegram's answer tells.
    await seed(bot, replace(animation, video_urls=["https://cdn.example/v/1.mp4"]), ["a mp4?"])

    screen = await open_history(telegram, chat, user)
    assert numbered(screen)[:2] == [
        "1. 🎬 Animate (Low motion) · a mp4?",
        "2. 🎬 Animate (Low motion) · a house by a lake",
    ]
    for number in ("2", "1"):
        before = len(telegram.clips(USER))
        telegram.tap(chat, user, screen["message_id"], callback(screen, number))
        again = (await telegram.wait_for(lambda: telegram.clips(USER)[before:]))[0]  # noqa: B023
        assert again["animation"]["file_id"] == clip["animation"]["file_id"]
        assert labels(again) == labels(clip)
    refused = [p for m, p in telegram.calls if m == "sendVideo"]
    assert len(refused) == 1  # tried once, for the .mp4 URL, then as an animation
    telegram.tap(chat, user, again["message_id"], callback(again, "🎬 Extend (High motion)"))
    longer = await telegram.wait_for(lambda: telegram.clips(USER)[3:])
    assert longer[0]["reply_to_message"]["message_id"] == again["message_id"]


# The store, directly.


def job(user_id: int, prompt: str, **fields: Any) -> Job:
    values: dict[str, Any] = {
        "status": JobStatus.DELIVERED,
        "file_id": f"file-{prompt}",
        **fields,
    }
    return Job(
        id=0,
        user_id=user_id,
        chat_id=user_id,
        action=values.pop("action", Action.IMAGINE),
        prompt=prompt,
        provider="mock",
        **values,
    )


async def test_the_store_lists_shown_results_and_searches_literally(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    try:
        for user_id in (1, 2):
            await db.users.remember(user_id, None, "Ann", "en")
            await db.chats.remember(user_id, "private", None)
        jobs = db.jobs
        old = await jobs.create(job(1, "A Red FOX, 100% wild"))
        await jobs.create(job(1, "still drawing", status=JobStatus.RUNNING, file_id=None))
        await jobs.create(job(1, "failed fox", status=JobStatus.FAILED, file_id=None))
        await jobs.create(job(2, "someone else's red fox"))
        video = await jobs.create(job(1, "a red fox running", action=Action.ANIMATE_LOW))
        described = await jobs.create(
            job(1, "", action=Action.DESCRIBE, file_id=None, prompts=["a fox"])
        )
        await jobs.create(job(1, "", action=Action.DESCRIBE, file_id=None))  # described nothing
        cyrillic = await jobs.create(job(1, "Рыжая Лиса в снегу"))
        plain = await jobs.create(job(1, "a red_fox at 100 percent"))
        copy = await db.history.repost(old, 1, "en")

        items, more = await db.history.page(1, 0, 10)
        assert [j.id for j in items] == [plain.id, cyrillic.id, described.id, video.id, old.id]
        assert not more
        items, more = await db.history.page(1, 1, 2)
        assert ([j.id for j in items], more) == ([cyrillic.id, described.id], True)

        async def search(text: str) -> list[int]:
            found, _ = await db.history.photos(1, text, 0, 20)
            return [j.id for j in found]

        assert await search("") == [plain.id, cyrillic.id, old.id]  # photos only, no copy
        assert await search("fox RED") == [plain.id, old.id]
        assert await search("red fox wild") == [old.id]
        assert await search("лиса СНЕГУ") == [cyrillic.id]
        assert await search("100%") == [old.id]  # % is a percent sign, not "anything"
        assert await search("%") == [old.id]
        assert await search("red_fox") == [plain.id]  # _ is an underscore, not "any one"
        assert await search("d_f") == [plain.id]
        assert await search("\\") == []
        assert like_pattern("5%_\\") == "%5\\%\\_\\\\%"

        again = await db.history.repost(copy, 2, "ru")
        assert again.copy_of == old.id  # a copy of a copy names the original
        assert (again.chat_id, again.locale, again.result_message_id) == (2, "ru", None)
        assert await db.history.discard(again)
        assert await jobs.get(again.id) is None
        assert not await db.history.discard(old)  # only copies are ever discarded
    finally:
        await db.close()

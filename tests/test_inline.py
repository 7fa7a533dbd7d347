"""Inline mode end to end: `@bot words` lists the person's own past photos whose prompt has
every word (any case, taken literally), by their Telegram file ids, personal and cached
briefly; results posted before a restart too."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.domain import Action
from bot.handlers.inline import CAPTION_LIMIT, caption
from tests.conftest import Bot
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import OTHER_USER, USER, imagine_grid
from tests.test_history import seed, settled, stored

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)


async def ask(
    telegram: FakeTelegram, user: dict[str, Any], query: str, offset: str = ""
) -> dict[str, Any]:
    """The bot's answer to an inline query."""
    query_id = telegram.inline_query(user, query, offset=offset)
    return await telegram.wait_for(lambda: telegram.inline_answers.get(query_id))


def captions(answer: dict[str, Any]) -> list[str | None]:
    return [result.get("caption") for result in answer["results"]]


@MOCK
async def test_words_find_the_persons_own_photos(bot: Bot, telegram: FakeTelegram) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    other_chat, other = telegram.private_chat(OTHER_USER), telegram.user(OTHER_USER)
    await imagine_grid(telegram, other_chat, other, "a red fox, someone else's")
    grid = await imagine_grid(telegram, chat, user, "A Red FOX in the snow")
    await settled(telegram, USER)
    like = await stored(bot, grid)
    prompts = ["a red car", "fox and hound", "50% off_sale", "5 percent offXsale", "Рыжая лиса"]
    made = {job.prompt: job for job in await seed(bot, like, prompts)}
    # Not photos: a video and a describe's answer are left out.
    await seed(bot, replace(like, action=Action.ANIMATE_LOW), ["a red fox video"])

    answer = await ask(telegram, user, "red FOX")
    assert captions(answer) == ["A Red FOX in the snow"]
    (result,) = answer["results"]
    assert result["type"] == "photo"
    assert result["id"] == str(like.id)
    assert result["photo_file_id"] == grid["photo"][-1]["file_id"]
    assert "reply_markup" not in result  # a shared image is a plain photo
    assert answer["is_personal"] is True
    assert int(answer["cache_time"]) == 10

    assert captions(await ask(telegram, user, "fox")) == ["fox and hound", "A Red FOX in the snow"]
    assert captions(await ask(telegram, user, "red snow")) == ["A Red FOX in the snow"]
    assert captions(await ask(telegram, user, "red hound")) == []
    assert captions(await ask(telegram, user, "ЛИСА")) == ["Рыжая лиса"]
    # % and _ are themselves, not wildcards.
    assert captions(await ask(telegram, user, "%")) == ["50% off_sale"]
    assert captions(await ask(telegram, user, "off_sale")) == ["50% off_sale"]
    assert captions(await ask(telegram, user, "_")) == ["50% off_sale"]
    # Nothing typed: the latest photos, newest first.
    latest = await ask(telegram, user, "")
    assert captions(latest) == [*reversed(prompts), "A Red FOX in the snow"]
    assert latest["results"][0]["id"] == str(made["Рыжая лиса"].id)
    # Someone else sees only their own.
    assert captions(await ask(telegram, other, "")) == ["a red fox, someone else's"]


@MOCK
async def test_nothing_found_offers_to_draw_and_many_come_in_pages(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    empty = await ask(telegram, user, "")
    assert empty["results"] == []
    assert "No images found" in empty["button"]["text"]
    assert empty["button"]["start_parameter"]

    grid = await imagine_grid(telegram, chat, user, "picture 0")
    await settled(telegram, USER)
    await seed(bot, await stored(bot, grid), [f"picture {n}" for n in range(1, 25)])
    first = await ask(telegram, user, "picture")
    assert captions(first) == [f"picture {n}" for n in range(24, 4, -1)]
    assert first["next_offset"] == "20"
    rest = await ask(telegram, user, "picture", offset="20")
    assert captions(rest) == [f"picture {n}" for n in range(4, -1, -1)]
    assert not rest.get("next_offset")
    assert "button" not in rest


@MOCK
async def test_photos_posted_before_a_restart_are_shared(
    bot_env: dict[str, str], telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    first = Bot(bot_env)
    await first.start()
    try:
        grid = await imagine_grid(telegram, chat, user, "a windmill in fog")
        await settled(telegram, USER)
    finally:
        await first.stop()

    second = Bot(bot_env)
    await second.start()
    try:
        answer = await ask(telegram, user, "Windmill")
        (result,) = answer["results"]
        assert result["photo_file_id"] == grid["photo"][-1]["file_id"]
        assert result["caption"] == "a windmill in fog"
    finally:
        await second.stop()


def test_a_long_prompt_is_shortened_to_fit_a_caption() -> None:
    def units(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    assert caption("") is None
    assert caption("a fox") == "a fox"
    exact = "a" * CAPTION_LIMIT
    assert caption(exact) == exact
    for prompt in ("a" * 3000, "🦊" * 1000, "a🦊" * 600):
        shortened = caption(prompt)
        assert shortened is not None and shortened.endswith("…")
        assert units(shortened) <= CAPTION_LIMIT
        assert prompt.startswith(shortened[:-1])

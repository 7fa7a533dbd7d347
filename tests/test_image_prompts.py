"""Photos as image prompts, end to end: the person's photo reaches the provider as its
protocol takes it (inline for AGICTO and APIMart; by the bot's own URL for the others, in
webhook mode: see test_image_prompts_webhook.py), and never as a Telegram file URL."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.conftest import Bot
from tests.fakes.provider_base import FakeProvider, data_image
from tests.fakes.telegram import TOKEN, FakeTelegram
from tests.test_e2e import GRID_ROWS, labels, photos, reply_to

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USER = 7001
GROUP = -100900
# Where an inline provider's submit carries the images.
INLINE = {"agicto": "base64Array", "apimart": "image_urls"}


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 64), colour).save(out, "JPEG")
    return out.getvalue()


def sent_images(provider: FakeProvider) -> list[list[bytes | None]]:
    field = INLINE[provider.name]
    return [[data_image(entry) for entry in body.get(field, [])] for _, body in provider.submits]


def assert_no_telegram_url(provider: FakeProvider | None) -> None:
    if provider is not None:
        everything = json.dumps(provider.submits)
        assert TOKEN not in everything and "/file/bot" not in everything


async def test_a_photo_with_a_caption_is_an_image_prompt(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    photo = jpeg("teal")
    sent = telegram.send_photo(chat, user, photo, caption="a cat in this light --iw 1.5")
    if provider is not None and provider.name not in INLINE:
        answer = await telegram.wait_for(lambda: next(iter(telegram.texts(USER)), None))
        assert "PUBLIC_URL" in answer
        assert provider.submits == []
        return
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == sent["message_id"]
    assert labels(grid)[:2] == GRID_ROWS
    if provider is not None:
        assert [task.prompt for task in provider.tasks.values()] == ["a cat in this light --iw 1.5"]
        assert sent_images(provider) == [[photo]]  # the person's photo, byte for byte
    assert_no_telegram_url(provider)


async def test_imagine_as_a_reply_to_a_photo_uses_the_photo(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    if provider is not None and provider.name not in INLINE:
        pytest.skip("by URL only in webhook mode (test_image_prompts_webhook.py)")
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    photo = jpeg("orange")
    shown = telegram.send_photo(chat, user, photo, caption="/imagine a fox")
    await photos(telegram, USER, 1)
    telegram.send_text(chat, user, "/imagine the same fox, at night", reply_to=shown["message_id"])
    await photos(telegram, USER, 2)
    if provider is not None:
        assert [t.prompt for t in provider.tasks.values()] == ["a fox", "the same fox, at night"]
        assert sent_images(provider) == [[photo], [photo]]
    assert_no_telegram_url(provider)


@MOCK
async def test_a_photo_alone_in_private_asks_for_a_caption(
    bot: Bot, telegram: FakeTelegram
) -> None:
    telegram.send_photo(telegram.private_chat(USER), telegram.user(USER), jpeg("red"))
    answer = await telegram.wait_for(lambda: next(iter(telegram.texts(USER)), None))
    assert answer.startswith("🖼️ To draw with this photo")
    assert telegram.photos(USER) == []


@MOCK
async def test_in_a_group_only_a_caption_meant_for_the_bot_counts(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, user = telegram.group_chat(GROUP, "Photographers"), telegram.user(USER)
    chatter = [
        telegram.send_photo(group, user, jpeg("blue")),
        telegram.send_photo(group, user, jpeg("blue"), caption="look at this"),
        telegram.send_photo(group, user, jpeg("blue"), caption="/imagine@another_bot a dog"),
    ]
    meant = telegram.send_photo(group, user, jpeg("green"), caption="@mj_test_bot a tree")
    command = telegram.send_photo(group, user, jpeg("green"), caption="/imagine a bush")
    grids = await photos(telegram, GROUP, 2)
    assert {reply_to(grid) for grid in grids} == {meant["message_id"], command["message_id"]}
    replied = {reply_to(m) for m in telegram.bot_messages(GROUP)}
    assert not replied & {m["message_id"] for m in chatter}


async def test_an_album_with_a_caption_is_one_prompt_with_all_its_photos(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    album = [jpeg(colour) for colour in ("red", "green", "blue")]
    parts = [
        telegram.send_photo(
            chat, user, data, caption="three colours" if n == 1 else None, media_group_id="a1"
        )
        for n, data in enumerate(album)
    ]
    if provider is not None and provider.name not in INLINE:
        answer = await telegram.wait_for(lambda: next(iter(telegram.texts(USER)), None))
        assert "PUBLIC_URL" in answer
        assert provider.submits == []
        return
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == parts[1]["message_id"]
    if provider is not None:
        assert [task.prompt for task in provider.tasks.values()] == ["three colours"]
        assert sent_images(provider) == [album]  # every photo, in the album's order
    assert_no_telegram_url(provider)


@MOCK
async def test_an_album_of_more_than_five_or_without_a_caption_is_answered(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    for n in range(6):
        telegram.send_photo(chat, user, jpeg("gray"), "six" if n == 0 else None, None, "big")
    for _ in range(2):
        telegram.send_photo(chat, user, jpeg("white"), media_group_id="bare")
    texts = await telegram.wait_for(lambda: len(telegram.texts(USER)) >= 2 and telegram.texts(USER))
    assert sorted(text.split(".")[0] for text in texts) == [
        "🖼️ A prompt can take up to 5 photos",
        "🖼️ To draw with this photo, send it again with a caption saying what to draw",
    ]
    assert telegram.photos(USER) == []

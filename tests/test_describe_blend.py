"""/describe and /blend end to end, for every provider: the person's photos reach the
provider as its protocol takes them (inline here; by the bot's own URL in webhook mode, see
test_describe_blend_webhook.py), the answers come back with their buttons, and a provider
without the flow says so in one line."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import Action
from bot.providers import provider_class
from bot.providers.tasks import Capability
from tests.conftest import Bot
from tests.fakes.provider_base import DESCRIBE_PROMPTS, FakeProvider
from tests.fakes.telegram import FakeTelegram
from tests.test_e2e import GRID_ROWS, callback, labels, photos, reply_to
from tests.test_image_prompts import assert_no_telegram_url, jpeg

MOCK = pytest.mark.parametrize("provider", ["mock"], indirect=True)
USER = 7301
OTHER = 7302
GROUP = -100930
NUMBERS = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "🔄"]


def can(provider_name: str, capability: Capability, action: Action) -> str:
    """What the bot does with this flow in polling mode: "runs", "needs-url" or "lacks"."""
    cls = provider_class(provider_name)
    if capability not in cls.capabilities:
        return "lacks"
    return "runs" if action in cls.inline_images else "needs-url"


async def first_text(telegram: FakeTelegram, chat_id: int, start: str) -> dict[str, Any]:
    """The bot's first live text message in the chat that starts with `start`."""
    return await telegram.wait_for(
        lambda: next(
            (
                m
                for m in telegram.bot_messages(chat_id)
                if not m["deleted"] and m.get("text", "").startswith(start)
            ),
            None,
        )
    )


async def test_a_photo_captioned_describe_gets_four_prompts_that_draw(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    photo = jpeg("teal")
    sent = telegram.send_photo(chat, user, photo, caption="/describe")
    way = can(provider_name, Capability.DESCRIBE, Action.DESCRIBE)
    if way != "runs":
        start = "🙅" if way == "lacks" else "🖼️"
        answer = await first_text(telegram, USER, start)
        assert reply_to(answer) == sent["message_id"]
        assert provider is None or provider.submits == []
        return
    answer = await first_text(telegram, USER, "🔎 Prompts")
    assert reply_to(answer) == sent["message_id"]
    assert labels(answer) == [NUMBERS]
    numbered = [line.split(" ", 1) for line in answer["text"].split("\n\n")[1:]]
    assert [number for number, _ in numbered] == NUMBERS[:4]
    prompts = [prompt for _, prompt in numbered]
    if provider is not None:
        assert prompts == list(DESCRIBE_PROMPTS)
        assert provider.images_received == [[photo]]  # the person's photo, byte for byte

    # A number draws its prompt, with the photo where the provider takes it inline.
    telegram.tap(chat, user, answer["message_id"], callback(answer, "2️⃣"))
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == answer["message_id"]
    assert labels(grid)[:2] == GRID_ROWS
    if provider is not None:
        imagine = [task for task in provider.tasks.values() if task.kind == "imagine"]
        assert [task.prompt for task in imagine] == [DESCRIBE_PROMPTS[1]]
    assert_no_telegram_url(provider)


async def test_an_album_captioned_blend_is_one_grid_of_its_photos(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    album = [jpeg(colour) for colour in ("red", "green", "blue")]
    parts = [
        telegram.send_photo(
            chat, user, data, caption="/blend --ar 2:3" if n == 1 else None, media_group_id="b1"
        )
        for n, data in enumerate(album)
    ]
    way = can(provider_name, Capability.BLEND, Action.BLEND)
    if way != "runs":
        answer = await first_text(telegram, USER, "🙅" if way == "lacks" else "🖼️")
        assert reply_to(answer) == parts[1]["message_id"]
        assert provider is None or provider.submits == []
        return
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == parts[1]["message_id"]
    assert labels(grid)[:2] == GRID_ROWS
    assert grid["caption"].startswith("🧩 Blend")
    if provider is not None:
        assert provider.images_received == [album]  # every photo, in the album's order
    # The grid's buttons work as any grid's.
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U2"))
    await photos(telegram, USER, 2)
    assert_no_telegram_url(provider)


@MOCK
async def test_describe_in_reply_to_a_photo_and_describe_again(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    shown = telegram.send_photo(chat, user, jpeg("olive"), caption="a bridge")
    await photos(telegram, USER, 1)
    asked = telegram.send_text(chat, user, "/describe", reply_to=shown["message_id"])
    answer = await first_text(telegram, USER, "🔎 Prompts")
    assert reply_to(answer) == asked["message_id"]
    telegram.tap(chat, user, answer["message_id"], callback(answer, "🔄"))
    again = await telegram.wait_for(
        lambda: [m for m in telegram.bot_messages(USER) if m.get("text", "").startswith("🔎 P")][1:]
    )
    assert reply_to(again[0]) == answer["message_id"]
    assert labels(again[0]) == [NUMBERS]


@MOCK
async def test_describe_alone_asks_for_the_photo_and_takes_the_next_one(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, owner, other = telegram.group_chat(GROUP), telegram.user(USER), telegram.user(OTHER)
    telegram.send_text(group, owner, "/describe@mj_test_bot")
    asked = await first_text(telegram, GROUP, "🔎 Send me the photo")
    (asking,) = [p for m, p in telegram.calls if p.get("text") == asked["text"]]
    assert asking["reply_markup"]["force_reply"] is True
    telegram.send_photo(group, other, jpeg("gray"))  # someone else's photo is chatter
    mine = telegram.send_photo(group, owner, jpeg("navy"), reply_to=asked["message_id"])
    answer = await first_text(telegram, GROUP, "🔎 Prompts")
    assert reply_to(answer) == mine["message_id"]
    # Only the owner's taps count under the answer.
    foreign = telegram.tap(group, other, answer["message_id"], callback(answer, "1️⃣"))
    refusal = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert refusal["show_alert"] is True
    # The flow is over: the owner's next photo is chatter again.
    telegram.send_photo(group, owner, jpeg("navy"))
    telegram.send_text(group, owner, "/imagine@mj_test_bot a marker")
    await photos(telegram, GROUP, 1)
    prompts = [m for m in telegram.bot_messages(GROUP) if m.get("text", "").startswith("🔎 P")]
    assert len(prompts) == 1


def message(telegram: FakeTelegram, chat_id: int, message_id: int) -> dict[str, Any]:
    return next(m for m in telegram.bot_messages(chat_id) if m["message_id"] == message_id)


def panel(telegram: FakeTelegram, chat_id: int, count: int) -> dict[str, Any] | None:
    """The blend's panel, once it counts `count` photos."""
    words = "One photo" if count == 1 else f"{count} photos"
    return next(
        (m for m in telegram.bot_messages(chat_id) if m.get("text", "").startswith(f"🧩 {words}")),
        None,
    )


async def add_photo(
    telegram: FakeTelegram, chat: dict[str, Any], user: dict[str, Any], count: int
) -> dict[str, Any]:
    """Send one more photo; the panel once it counts `count` photos."""
    telegram.send_photo(chat, user, jpeg(("red", "lime", "blue", "gold", "pink")[count - 1]))
    return await telegram.wait_for(lambda: panel(telegram, chat["id"], count))


@MOCK
async def test_blend_alone_collects_photos_until_the_blend_button(
    bot: Bot, telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    command = telegram.send_text(chat, user, "/blend --ar 3:2")
    await first_text(telegram, USER, "🧩 Send me the photos")
    shown = await add_photo(telegram, chat, user, 1)
    assert labels(shown) == [["✖️ Cancel"]]
    shown = await add_photo(telegram, chat, user, 2)
    assert labels(shown) == [["✅ Blend", "✖️ Cancel"]]
    telegram.tap(chat, user, shown["message_id"], callback(shown, "✅ Blend"))
    (grid,) = await photos(telegram, USER, 1)
    assert reply_to(grid) == command["message_id"]
    assert labels(grid)[:2] == GRID_ROWS
    assert "--ar 3:2" in grid["caption"]


@MOCK
async def test_a_blend_takes_at_most_five_and_only_its_owner_taps(
    bot: Bot, telegram: FakeTelegram
) -> None:
    group, owner, other = telegram.group_chat(GROUP), telegram.user(USER), telegram.user(OTHER)
    telegram.send_text(group, owner, "/blend@mj_test_bot")
    await first_text(telegram, GROUP, "🧩 Send me the photos")
    for _ in range(6):
        telegram.send_photo(group, owner, jpeg("black"), media_group_id="six")
    full = await first_text(telegram, GROUP, "🧩 5 photos: that's the most")
    await first_text(telegram, GROUP, "🧩 A blend takes at most 5 photos")
    foreign = telegram.tap(group, other, full["message_id"], callback(full, "✅ Blend"))
    refusal = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert refusal["show_alert"] is True
    assert telegram.photos(GROUP) == []
    telegram.tap(group, owner, full["message_id"], callback(full, "✅ Blend"))
    await photos(telegram, GROUP, 1)
    ended = await telegram.wait_for(
        lambda: "Blending 5" in message(telegram, GROUP, full["message_id"])["text"]
    )
    assert ended and labels(message(telegram, GROUP, full["message_id"])) == []


@MOCK
async def test_a_blend_being_collected_survives_a_restart(
    bot_env: dict[str, str], telegram: FakeTelegram
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    first = Bot(bot_env)
    await first.start()
    command = telegram.send_text(chat, user, "/blend")
    await first_text(telegram, USER, "🧩 Send me the photos")
    await add_photo(telegram, chat, user, 1)
    await add_photo(telegram, chat, user, 2)
    await first.stop()
    second = Bot(bot_env)
    await second.start()
    try:
        shown = await add_photo(telegram, chat, user, 3)
        telegram.tap(chat, user, shown["message_id"], callback(shown, "✅ Blend"))
        (grid,) = await photos(telegram, USER, 1)
        assert reply_to(grid) == command["message_id"]
        job = await second.services.db.jobs.get(1)  # the only job
        assert job is not None and job.action is Action.BLEND and len(job.image_prompts) == 3
    finally:
        await second.stop()

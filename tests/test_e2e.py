"""End to end, for every provider: prompts in, photos with working buttons out."""

from __future__ import annotations

from typing import Any

import pytest

from bot.providers import provider_class
from bot.providers.tasks import Capability
from tests.conftest import Bot
from tests.fakes.provider_base import FAIL_WORD, REFUSED_WORD, FakeProvider
from tests.fakes.telegram import FakeTelegram

USER = 1001
OTHER_USER = 1002
GROUP = -100500
GRID_ROWS = [["U1", "U2", "U3", "U4", "🔄"], ["V1", "V2", "V3", "V4"]]


def labels(message: dict[str, Any]) -> list[list[str]]:
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return [[button["text"] for button in row] for row in markup["inline_keyboard"]]


def callback(message: dict[str, Any], label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == label:
                return button["callback_data"]
    raise AssertionError(f"no {label} button in {labels(message)}")


def submitted(provider: FakeProvider | None) -> list[tuple[str, int]]:
    """What the provider accepted, in common terms (None for the mock provider)."""
    if provider is None:
        return []
    return [(task.kind, task.index) for task in provider.tasks.values()]


def reply_to(message: dict[str, Any]) -> int | None:
    replied = message.get("reply_to_message")
    return replied["message_id"] if replied else None


async def photos(telegram: FakeTelegram, chat_id: int, count: int) -> list[dict[str, Any]]:
    return await telegram.wait_for(
        lambda: len(telegram.photos(chat_id)) >= count and telegram.photos(chat_id)
    )


async def text_containing(telegram: FakeTelegram, chat_id: int, fragment: str) -> str:
    return await telegram.wait_for(
        lambda: next((t for t in telegram.texts(chat_id) if fragment in t), None)
    )


async def imagine_grid(
    telegram: FakeTelegram, chat: dict[str, Any], user: dict[str, Any], prompt: str
) -> dict[str, Any]:
    before = len(telegram.photos(chat["id"]))
    sent = telegram.send_text(chat, user, f"/imagine {prompt}")
    grid = (await photos(telegram, chat["id"], before + 1))[-1]
    assert reply_to(grid) == sent["message_id"]
    assert labels(grid)[:2] == GRID_ROWS
    return grid


async def test_imagine_then_upscale(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a red fox in the snow")
    assert "a red fox in the snow" in grid["caption"]

    query = telegram.tap(chat, user, grid["message_id"], callback(grid, "U2"))
    upscaled = (await photos(telegram, USER, 2))[-1]
    assert telegram.answers[query]  # the tap was answered
    assert reply_to(upscaled) == grid["message_id"]
    follow_ups = [label for row in labels(upscaled) for label in row]
    assert follow_ups and "U1" not in follow_ups  # the provider's buttons for a single image
    assert "🪄 Vary (Strong)" in follow_ups or "🪄 Vary (Subtle)" in follow_ups
    if provider is not None:
        assert submitted(provider) == [("imagine", 0), ("upscale", 2)]
    statuses = [p["text"] for m, p in telegram.calls if m in ("sendMessage", "editMessageText")]
    assert any(text.startswith("⏳ Upscaling image 2") for text in statuses), statuses
    # The used button is marked on the grid, the others are not.
    marked = await telegram.wait_for(
        lambda: "U2 ✓" in labels(telegram.photos(USER)[0])[0] and telegram.photos(USER)[0]
    )
    assert labels(marked)[:2] == [["U1", "U2 ✓", "U3", "U4", "🔄"], GRID_ROWS[1]]
    # Every status message made way for its result.
    await telegram.wait_for(
        lambda: all(m.get("photo") or m["deleted"] for m in telegram.bot_messages(USER))
    )


@pytest.mark.parametrize(("label", "kind", "index"), [("V3", "variation", 3), ("🔄", "reroll", 0)])
async def test_variation_and_reroll_make_new_grids(
    bot: Bot,
    telegram: FakeTelegram,
    provider: FakeProvider | None,
    label: str,
    kind: str,
    index: int,
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a lighthouse at dusk")
    telegram.tap(chat, user, grid["message_id"], callback(grid, label))
    second = (await photos(telegram, USER, 2))[-1]
    assert labels(second)[:2] == GRID_ROWS
    assert reply_to(second) == grid["message_id"]
    if provider is not None:
        assert submitted(provider) == [("imagine", 0), (kind, index)]


async def test_plain_text_is_a_prompt_in_private(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    sent = telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "a quiet harbour")
    grid = (await photos(telegram, USER, 1))[0]
    assert reply_to(grid) == sent["message_id"]
    assert labels(grid)[:2] == GRID_ROWS


async def test_group_commands_mentions_chatter_and_taps(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, other = telegram.user(USER), telegram.user(OTHER_USER, first_name="Eve")
    chatter = telegram.send_text(group, other, "what a nice day everyone")
    telegram.send_text(group, owner, "/imagine@mj_test_bot a castle on a hill")
    grid = (await photos(telegram, GROUP, 1))[0]
    assert labels(grid)[:2] == GRID_ROWS

    # Someone else's tap is refused with an alert and submits nothing.
    foreign = telegram.tap(group, other, grid["message_id"], callback(grid, "U1"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert answer.get("show_alert") is True
    assert "Only the person" in answer["text"]

    # The owner taps U1 twice in a row: one upscale is submitted.
    first = telegram.tap(group, owner, grid["message_id"], callback(grid, "U1"))
    second = telegram.tap(group, owner, grid["message_id"], callback(grid, "U1"))
    await photos(telegram, GROUP, 2)
    await telegram.wait_for(lambda: first in telegram.answers and second in telegram.answers)
    answers = {telegram.answers[first]["text"], telegram.answers[second]["text"]}
    assert any("started" in text for text in answers)
    assert any("already" in text for text in answers)

    # A mention is a prompt; the chatter before was not.
    telegram.send_text(group, owner, "@mj_test_bot a dragon made of glass")
    await photos(telegram, GROUP, 3)
    replied_to = {reply_to(m) for m in telegram.bot_messages(GROUP)}
    assert chatter["message_id"] not in replied_to
    if provider is not None:
        assert submitted(provider) == [("imagine", 0), ("upscale", 1), ("imagine", 0)]


async def test_stale_and_forged_buttons_get_a_notice(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a tea cup")
    job_id = callback(grid, "U1").split(":")[1]
    other = telegram.private_chat(OTHER_USER)
    foreign = await imagine_grid(telegram, other, telegram.user(OTHER_USER), "a kettle")
    forged = [
        f"j:{job_id}:99",  # no such button
        "j:999999:0",  # no such job
        callback(foreign, "U1"),  # a job of another chat
        "MJ::JOB::upsample::1::3785da15-4f70-4034-9128-f3ff1ac634fa",  # not ours at all
    ]
    queries = [telegram.tap(chat, user, grid["message_id"], data, forged=True) for data in forged]
    await telegram.wait_for(lambda: all(q in telegram.answers for q in queries))
    for query in queries:
        assert telegram.answers[query]["show_alert"] is True
        assert "no longer works" in telegram.answers[query]["text"]
    assert len(submitted(provider)) == (0 if provider is None else 2)


async def test_oversized_result_is_reencoded(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    if provider is None:
        pytest.skip("the mock provider draws small images")
    provider.big_images = True
    grid = await imagine_grid(telegram, telegram.private_chat(USER), telegram.user(USER), "noise")
    assert grid["photo_bytes"][:3] == b"\xff\xd8\xff"  # re-encoded to JPEG
    assert len(grid["photo_bytes"]) <= 10 * 1024 * 1024


async def test_empty_prompt_gets_an_explanation(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine")
    await text_containing(telegram, USER, "What should I draw")
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine cat --ar 0:1")
    await text_containing(telegram, USER, "--ar")
    assert submitted(provider) == []


async def test_refused_prompt(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    if provider is None:
        pytest.skip("the mock provider refuses nothing")
    telegram.send_text(
        telegram.private_chat(USER), telegram.user(USER), f"/imagine a {REFUSED_WORD}"
    )
    await text_containing(telegram, USER, "refused this prompt")
    assert telegram.photos(USER) == []


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("auth", "rejected the bot's credentials"),
        ("balance", "run out of credit"),
        ("invalid", "could not accept this request"),
    ],
)
async def test_provider_refusals_are_explained_and_not_retried(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, kind: str, message: str
) -> None:
    if provider is None:
        pytest.skip("the mock provider refuses nothing")
    provider.submit_errors = [kind, kind]
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), "/imagine a garden")
    await text_containing(telegram, USER, message)
    assert provider.submit_errors == [kind]  # asked once, not again
    assert submitted(provider) == []


async def test_failed_task(bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None) -> None:
    word = "fail" if provider is None else FAIL_WORD
    telegram.send_text(telegram.private_chat(USER), telegram.user(USER), f"/imagine {word} now")
    await text_containing(telegram, USER, "could not finish this image")
    assert telegram.photos(USER) == []


async def test_flaky_provider_is_retried(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    if provider is None:
        pytest.skip("the mock provider has no network to fail")
    provider.fetch_faults = ["500", "html", "timeout", "drop", "429"]
    provider.submit_faults = ["429"]
    await imagine_grid(telegram, telegram.private_chat(USER), telegram.user(USER), "a stormy sea")
    assert provider.fetch_faults == []
    assert submitted(provider) == [("imagine", 0)]


async def test_telegram_flood_control_is_honoured(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    telegram.flood("sendPhoto", retry_after=1, times=1)
    await imagine_grid(telegram, telegram.private_chat(USER), telegram.user(USER), "a red kite")
    assert len(telegram.photos(USER)) == 1


async def test_group_admin_lets_everyone_press(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, admin = telegram.user(USER), telegram.user(OTHER_USER, first_name="Ada")
    telegram.admins[GROUP] = {OTHER_USER}
    telegram.send_text(group, owner, "/settings")
    panel = await telegram.wait_for(
        lambda: next((m for m in telegram.bot_messages(GROUP) if m.get("reply_markup")), None)
    )
    assert "only the person who asked" in panel["text"]

    # A member who is not an administrator cannot change it.
    toggle = callback(panel, "Let everyone press the buttons")
    refused = telegram.tap(group, owner, panel["message_id"], toggle)
    answer = await telegram.wait_for(lambda: telegram.answers.get(refused))
    assert answer["show_alert"] is True and "administrators" in answer["text"]

    changed = telegram.tap(group, admin, panel["message_id"], toggle)
    await telegram.wait_for(
        lambda: "everyone can press" in telegram.messages[GROUP][panel["message_id"]]["text"]
    )
    assert telegram.answers[changed]["text"] == "✅ Saved"

    # Now someone else may upscale the owner's image.
    telegram.send_text(group, owner, "/imagine a bridge in the rain")
    grid = (await photos(telegram, GROUP, 1))[0]
    query = telegram.tap(group, admin, grid["message_id"], callback(grid, "U4"))
    await photos(telegram, GROUP, 2)
    assert "started" in telegram.answers[query]["text"]
    if provider is not None:
        assert submitted(provider) == [("imagine", 0), ("upscale", 4)]


async def test_buttons_the_bot_cannot_run_are_declined_politely(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None, provider_name: str
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a lantern")
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
    upscaled = (await photos(telegram, USER, 2))[-1]
    offered = [label for row in labels(upscaled) for label in row]
    claimed = Capability.CUSTOM_ZOOM in provider_class(provider_name).capabilities
    if "🔍 Custom Zoom" not in offered or claimed:
        pytest.skip("no Custom Zoom offered, or one the bot runs (test_prompt_edit.py)")
    query = telegram.tap(chat, user, upscaled["message_id"], callback(upscaled, "🔍 Custom Zoom"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(query))
    assert answer["show_alert"] is True
    assert "image service this bot uses can't do" in answer["text"]
    if provider is not None:
        assert submitted(provider) == [("imagine", 0), ("upscale", 1)]


async def test_full_size_sends_the_original_once_then_its_file_id(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    grid = await imagine_grid(telegram, chat, user, "a paper boat")
    assert "⬇️ Full size" not in [label for row in labels(grid) for label in row]
    telegram.tap(chat, user, grid["message_id"], callback(grid, "U3"))
    upscaled = (await photos(telegram, USER, 2))[-1]
    assert labels(upscaled)[-1] == ["⬇️ Full size"]

    def documents() -> list[dict[str, Any]]:
        return [m for m in telegram.bot_messages(USER) if "document" in m]

    first = telegram.tap(chat, user, upscaled["message_id"], callback(upscaled, "⬇️ Full size"))
    (sent,) = await telegram.wait_for(documents)
    assert telegram.answers[first]["text"] == "⬇️ Sending the full-size file…"
    assert reply_to(sent) == upscaled["message_id"]
    original = telegram.files[upscaled["photo"][-1]["file_id"]]["data"]
    assert sent["document_bytes"] == original  # the file as the provider made it
    assert sent["document"]["file_name"] == sent["document"]["file_name"].lower()
    assert sent["document"]["file_name"].endswith(".png")

    telegram.tap(chat, user, upscaled["message_id"], callback(upscaled, "⬇️ Full size"))
    again = (await telegram.wait_for(lambda: len(documents()) == 2 and documents()))[-1]
    assert again["document"]["file_id"] == sent["document"]["file_id"]
    uploads = [p["document"] for m, p in telegram.calls if m == "sendDocument"]
    assert isinstance(uploads[1], str)  # sent again by file_id, not downloaded again


async def test_only_the_owner_gets_the_full_size_file_in_a_group(
    bot: Bot, telegram: FakeTelegram, provider: FakeProvider | None
) -> None:
    group = telegram.group_chat(GROUP, "Artists")
    owner, other = telegram.user(USER), telegram.user(OTHER_USER, first_name="Eve")
    grid = await imagine_grid(telegram, group, owner, "a kite over dunes")
    telegram.tap(group, owner, grid["message_id"], callback(grid, "U1"))
    upscaled = (await photos(telegram, GROUP, 2))[-1]
    foreign = telegram.tap(group, other, upscaled["message_id"], callback(upscaled, "⬇️ Full size"))
    answer = await telegram.wait_for(lambda: telegram.answers.get(foreign))
    assert answer.get("show_alert") is True
    assert not any("document" in m for m in telegram.bot_messages(GROUP))

"""The fake Telegram server, driven by the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import sys
from contextlib import asynccontextmanager

import aiohttp
import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
)

from bot.outbox import Outbox
from tests.fakes.telegram import BOT_ID, TOKEN, FakeTelegram

USER_ID = 42


@pytest.fixture
async def fake():
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake):
    async with make_bot(fake.url) as client:
        yield client


@pytest.fixture
def chat(fake):
    fake.user(USER_ID, first_name="Ann")
    return fake.private_chat(USER_ID)


def make_bot(root: str, token: str = TOKEN, **kwargs) -> Bot:
    """A real PTB Bot pointed at the fake."""
    return Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot", **kwargs)


def rejected(description: str):
    """Expect a BadRequest; PTB strips "Bad Request: " and capitalize()s the description."""
    return pytest.raises(BadRequest, match=f"(?i){re.escape(description)}")


def png(width: int, height: int) -> bytes:
    """A small solid PNG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 90)).save(out, "PNG")
    return out.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """An incompressible PNG, stored without compression so it is quick to make."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


def keyboard(*data: str) -> InlineKeyboardMarkup:
    """One row of callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(d[:10], callback_data=d) for d in data]])


@asynccontextmanager
async def running_app(root: str, *handlers, **builder_kwargs):
    """A real Application polling the fake, shut down properly afterwards."""
    builder = ApplicationBuilder().token(TOKEN).base_url(f"{root}/bot")
    app = builder.base_file_url(f"{root}/file/bot").build()
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_get_me_wrong_token_and_unknown_method(fake, bot):
    assert bot.username == "mj_test_bot"
    assert bot.id == BOT_ID
    with pytest.raises(InvalidToken):
        async with make_bot(fake.url, token="123456:WRONG"):
            pass
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_message_ids_are_per_chat_and_shared(fake, bot, chat):
    group = fake.group_chat(-100777, "Friends")
    first = fake.send_text(chat, fake.users[USER_ID], "hello")
    sent = await bot.send_message(USER_ID, "hi there")
    in_group = await bot.send_message(group["id"], "hi group")
    reply = fake.send_text(chat, fake.users[USER_ID], "thanks", reply_to=sent.message_id)
    assert (first["message_id"], sent.message_id, reply["message_id"]) == (1, 2, 3)
    assert in_group.message_id == 1
    assert reply["reply_to_message"]["text"] == "hi there"
    assert fake.texts(USER_ID) == ["hi there"]


async def test_user_text_gets_command_and_mention_entities(fake, chat):
    message = fake.send_text(chat, fake.users[USER_ID], "/imagine@mj_test_bot ask @someone")
    assert message["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 20},
        {"type": "mention", "offset": 25, "length": 8},
    ]


async def test_send_photo_upload_and_read_back(fake, bot, chat):
    data = png(640, 480)
    sent = await bot.send_photo(USER_ID, photo=data, caption="a grid")
    largest = sent.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (640, 480, len(data))
    assert sent.photo[0].width == 320
    file = await bot.get_file(largest.file_id)
    assert bytes(await file.download_as_bytearray()) == data
    again = await bot.send_photo(USER_ID, photo=largest.file_id)
    assert again.photo[-1].file_id == largest.file_id
    stored = fake.photos(USER_ID)
    assert [m["photo_bytes"] for m in stored] == [data, data]
    assert stored[0]["caption"] == "a grid"
    uploaded = next(params["photo"] for method, params in fake.calls if method == "sendPhoto")
    assert uploaded.data == data


async def test_send_document_and_get_file(fake, bot, chat):
    sent = await bot.send_document(USER_ID, document=b"%PDF-1.4 tiny", filename="grid.pdf")
    assert sent.document.file_name == "grid.pdf"
    assert sent.document.mime_type == "application/pdf"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 tiny"
    with rejected("type of file mismatch"):
        await bot.send_photo(USER_ID, photo=sent.document.file_id)


async def test_photo_limits(fake, bot, chat):
    big = noisy_png(2100, 1700)
    assert len(big) > 10 * 1024 * 1024
    with rejected("is too big for a photo"):
        await bot.send_photo(USER_ID, photo=big)
    with rejected("PHOTO_INVALID_DIMENSIONS"):
        await bot.send_photo(USER_ID, photo=png(9000, 1001))
    with rejected("PHOTO_INVALID_DIMENSIONS"):
        await bot.send_photo(USER_ID, photo=png(2100, 100))
    with rejected("IMAGE_PROCESS_FAILED"):
        await bot.send_photo(USER_ID, photo=b"this is not an image at all")
    with rejected("caption is too long"):
        await bot.send_photo(USER_ID, photo=png(10, 10), caption="x" * 1025)
    assert fake.photos(USER_ID) == []


async def test_callback_data_over_64_bytes_is_rejected(fake, bot, chat):
    with rejected("BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "pick", reply_markup=keyboard("a" * 65))
    with rejected("BUTTON_DATA_INVALID"):
        await bot.send_message(USER_ID, "pick", reply_markup=keyboard("é" * 33))
    sent = await bot.send_message(USER_ID, "pick", reply_markup=keyboard("b" * 64))
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "b" * 64
    assert sent.message_id == 1


async def test_text_limits_and_html(fake, bot, chat):
    with rejected("message text is empty"):
        await bot.send_message(USER_ID, " ")
    with rejected("message is too long"):
        await bot.send_message(USER_ID, "x" * 4097)
    with rejected("can't parse entities"):
        await bot.send_message(USER_ID, "<b>open", parse_mode="HTML")
    sent = await bot.send_message(USER_ID, "<b>Done</b> &amp; ready", parse_mode="HTML")
    assert sent.text == "Done & ready"
    assert sent.entities[0].type == "bold"
    assert (sent.entities[0].offset, sent.entities[0].length) == (0, 4)
    mention = f'<a href="tg://user?id={USER_ID}">Ann</a>'
    sent = await bot.send_message(USER_ID, mention, parse_mode="HTML")
    assert sent.entities[0].user.first_name == "Ann"


async def test_reply_to_missing_message(fake, bot, chat):
    with rejected("message to be replied not found"):
        await bot.send_message(USER_ID, "re", reply_to_message_id=99)
    sent = await bot.send_message(
        USER_ID, "re", reply_to_message_id=99, allow_sending_without_reply=True
    )
    assert sent.reply_to_message is None
    quoted = await bot.send_message(USER_ID, "again", reply_to_message_id=sent.message_id)
    assert quoted.reply_to_message.text == "re"


async def test_edits_and_deletes(fake, bot, chat):
    sent = await bot.send_message(USER_ID, "working", reply_markup=keyboard("x"))
    with rejected("message is not modified"):
        await bot.edit_message_text("working", USER_ID, sent.message_id, reply_markup=keyboard("x"))
    with rejected("message is not modified"):
        await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=keyboard("x"))
    edited = await bot.edit_message_text("working", USER_ID, sent.message_id)
    assert edited.reply_markup is None
    await bot.edit_message_text("done", USER_ID, sent.message_id)
    assert fake.texts(USER_ID) == ["done"]
    with rejected("there is no caption in the message to edit"):
        await bot.edit_message_caption(USER_ID, sent.message_id, caption="c")
    with rejected("message to edit not found"):
        await bot.edit_message_text("nope", USER_ID, 50)
    assert await bot.delete_message(USER_ID, sent.message_id)
    with rejected("message to delete not found"):
        await bot.delete_message(USER_ID, sent.message_id)
    assert fake.messages[USER_ID][sent.message_id]["deleted"]
    assert [m["deleted"] for m in fake.bot_messages(USER_ID)] == [True]
    assert fake.texts(USER_ID) == []


async def test_edit_caption(fake, bot, chat):
    sent = await bot.send_photo(USER_ID, photo=png(50, 40), caption="one")
    with rejected("there is no text in the message to edit"):
        await bot.edit_message_text("t", USER_ID, sent.message_id)
    with rejected("message is not modified"):
        await bot.edit_message_caption(USER_ID, sent.message_id, caption="one")
    edited = await bot.edit_message_caption(USER_ID, sent.message_id, caption="two")
    assert edited.caption == "two"


# PTB itself reads RetryAfter.retry_after, which warns about its coming type change.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_and_rate_limiter(fake, bot, chat):
    fake.flood("sendMessage", retry_after=1)
    with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
        await bot.send_message(USER_ID, "too fast")
    assert fake.flooded == [("sendMessage", 1)]
    fake.flood("sendMessage", retry_after=1)
    limited = ExtBot(
        TOKEN,
        base_url=f"{fake.url}/bot",
        base_file_url=f"{fake.url}/file/bot",
        rate_limiter=Outbox(),
    )
    async with limited:
        sent = await limited.send_message(USER_ID, "patient")
    assert sent.text == "patient"
    assert fake.flooded == [("sendMessage", 1), ("sendMessage", 1)]
    assert fake.texts(USER_ID) == ["patient"]


async def test_get_updates_offset_semantics(fake, bot, chat):
    user = fake.users[USER_ID]
    for word in ("one", "two", "three"):
        fake.send_text(chat, user, word)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["one", "two", "three"]
    assert await bot.get_updates(limit=1) == updates[:1]
    confirmed = await bot.get_updates(offset=updates[1].update_id)
    assert [u.message.text for u in confirmed] == ["two", "three"]
    assert [u.message.text for u in await bot.get_updates()] == ["two", "three"]
    assert [u.message.text for u in await bot.get_updates(offset=-1)] == ["three"]
    assert await bot.get_updates(offset=updates[2].update_id + 1) == ()


async def test_long_poll_wakes_on_update_and_on_stop(fake, bot, chat):
    def polls() -> int:
        return sum(1 for method, _ in fake.calls if method == "getUpdates")

    waiting = asyncio.create_task(bot.get_updates(timeout=30))
    await fake.wait_for(lambda: polls() == 1)
    fake.send_text(chat, fake.users[USER_ID], "wake up")
    async with asyncio.timeout(5):
        updates = await waiting
    assert updates[0].message.text == "wake up"

    first = asyncio.create_task(bot.get_updates(offset=updates[0].update_id + 1, timeout=30))
    await fake.wait_for(lambda: polls() == 2)
    async with make_bot(fake.url) as other:
        second = asyncio.create_task(other.get_updates(timeout=30))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            async with asyncio.timeout(5):
                await first
        await fake.wait_for(lambda: polls() == 3)
        await fake.stop()
        async with asyncio.timeout(5):
            assert await second == ()


async def test_answer_callback_query(fake, bot, chat):
    sent = await bot.send_message(USER_ID, "pick", reply_markup=keyboard("up:1", "up:2"))
    user = fake.users[USER_ID]
    with pytest.raises(ValueError):
        fake.tap(chat, user, sent.message_id, "up:3")
    query_id = fake.tap(chat, user, sent.message_id, "up:1")
    (update,) = await bot.get_updates()
    assert update.callback_query.id == query_id
    assert update.callback_query.message.text == "pick"
    with rejected("MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert await bot.answer_callback_query(query_id, text="ok")
    with rejected("query is too old"):
        await bot.answer_callback_query(query_id)
    with rejected("query is too old"):
        await bot.answer_callback_query("12345")
    assert fake.answers[query_id]["text"] == "ok"


async def test_application_round_trip(fake, chat):
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(
            f"hello {update.effective_user.first_name}", reply_markup=keyboard("go")
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("going")
        await update.callback_query.edit_message_text("gone")

    group = fake.group_chat(-100555, "Team")
    user = fake.users[USER_ID]
    handlers = (CommandHandler("start", start), CallbackQueryHandler(pressed))
    async with running_app(fake.url, *handlers):
        fake.send_text(chat, user, "/start")
        await fake.wait_for(lambda: fake.texts(USER_ID) == ["hello Ann"])
        fake.send_text(group, user, "/start@mj_test_bot")
        (reply,) = await fake.wait_for(lambda: fake.bot_messages(group["id"]))
        assert reply["reply_to_message"]["text"] == "/start@mj_test_bot"
        query_id = fake.tap(chat, user, 2, "go")
        await fake.wait_for(lambda: fake.texts(USER_ID) == ["gone"])
        await fake.wait_for(lambda: query_id in fake.answers)
    methods = [method for method, _ in fake.calls]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert fake.answers[query_id]["text"] == "going"


async def test_wait_for_timeout_reports_calls(fake, bot, chat):
    await bot.send_message(USER_ID, "something")
    with pytest.raises(AssertionError, match="sendMessage"):
        await fake.wait_for(lambda: False, timeout=0.05)


async def test_plain_http_json_get_and_form(fake, chat):
    base = f"{fake.url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/getMe") as response:
            assert (await response.json())["result"]["username"] == "mj_test_bot"
        body = {"chat_id": USER_ID, "text": "json", "reply_markup": {"inline_keyboard": []}}
        async with session.post(f"{base}/sendMessage", json=body) as response:
            assert (await response.json())["result"]["message_id"] == 1
        async with session.post(f"{fake.url}/botWRONG/getMe") as response:
            assert response.status == 401
            assert (await response.json())["description"] == "Unauthorized"
        async with session.post(f"{base}/fooBar") as response:
            assert (response.status, (await response.json())["error_code"]) == (404, 404)
    assert fake.texts(USER_ID) == ["json"]


SUBPROCESS_BOT = """
import json, sys, urllib.parse, urllib.request
base = sys.argv[1]
form = {"chat_id": sys.argv[2], "text": "from afar",
        "reply_markup": json.dumps({"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]})}
data = urllib.parse.urlencode(form).encode()
with urllib.request.urlopen(base + "/sendMessage", data=data) as response:
    print(json.loads(response.read())["result"]["message_id"])
"""


async def test_bot_in_another_process(fake, chat):
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SUBPROCESS_BOT,
        f"{fake.url}/bot{TOKEN}",
        str(USER_ID),
        stdout=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(20):
        out, _ = await process.communicate()
    assert out.strip() == b"1"
    (message,) = fake.bot_messages(USER_ID)
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert json.loads(json.dumps(fake.calls[-1][1]))["chat_id"] == USER_ID


async def test_closed_chat_and_migrated_group(fake, bot, chat):
    fake.close_chat(USER_ID, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER_ID, "hi")

    user = fake.user(7)
    group = fake.group_chat(-500, "Old group")
    sent = await bot.send_message(-500, "before")
    fake.migrate(-500, -100500, user)
    with pytest.raises(ChatMigrated) as raised:
        await bot.send_message(-500, "after")
    assert raised.value.new_chat_id == -100500
    edited = await bot.edit_message_text("moved", -100500, sent.message_id)
    assert edited.chat.type == "supergroup"
    updates = await bot.get_updates()
    service = [u.message for u in updates]
    assert [(m.chat.id, m.migrate_to_chat_id, m.migrate_from_chat_id) for m in service] == [
        (group["id"], -100500, None),
        (-100500, None, -500),
    ]


async def test_slow_answer_is_carried_out_before_the_timeout(fake, bot, chat):
    fake.slow("sendMessage", 1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(USER_ID, "slow", read_timeout=0.2)
    assert fake.texts(USER_ID) == ["slow"]  # Telegram had it all the same
    await bot.send_message(USER_ID, "quick", read_timeout=0.2)


async def test_message_sent_as_the_group(fake, chat):
    group = fake.group_chat(-100700, "Artists")
    sent = fake.send_text(group, fake.user(USER_ID), "/imagine a cat", as_chat=True)
    assert sent["from"]["username"] == "GroupAnonymousBot"
    assert sent["sender_chat"]["id"] == -100700

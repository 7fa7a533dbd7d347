"""The fake Telegram server's payments in Stars, inline mode and descriptions, driven over HTTP
by the real python-telegram-bot."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultCachedGif,
    InlineQueryResultCachedMpeg4Gif,
    InlineQueryResultCachedPhoto,
    InlineQueryResultCachedVideo,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LabeledPrice,
    Update,
)
from telegram.ext import ContextTypes, InlineQueryHandler, PreCheckoutQueryHandler

from tests.fakes.telegram import BOT_ID, TOKEN, FakeTelegram
from tests.test_fake_telegram import make_bot, png, rejected, running_app

USER_ID = 42
OTHER_ID = 43
# raw() calls methods PTB has by name, which it warns of.
pytestmark = pytest.mark.filterwarnings("ignore:Please use:telegram.warnings.PTBUserWarning")


@pytest.fixture
async def bot(telegram: FakeTelegram):
    async with make_bot(telegram.url) as client:
        yield client


@pytest.fixture
def user(telegram: FakeTelegram) -> dict:
    return telegram.user(USER_ID, first_name="Ann")


@pytest.fixture
def chat(telegram: FakeTelegram, user: dict) -> dict:
    return telegram.private_chat(USER_ID)


def stars(amount: int = 50) -> list[LabeledPrice]:
    return [LabeledPrice("50 credits", amount)]


async def invoice(bot, **overrides) -> int:
    """Send a valid Stars invoice (with overrides) to USER_ID; return its message id."""
    kwargs = {
        "title": "50 credits",
        "description": "Fifty images",
        "payload": "pack:50:50",
        "currency": "XTR",
        "prices": stars(),
        **overrides,
    }
    return (await bot.send_invoice(USER_ID, **kwargs)).message_id


async def raw(bot, method: str, **params):
    """A call with parameters PTB would refuse to build."""
    return await bot.do_api_request(method, api_kwargs=params)


async def test_json_body_parameters(telegram, chat, user):
    """A bot that posts JSON sends lists, numbers and booleans as such, not as strings."""
    base = f"{telegram.url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as session:

        async def call(method: str, **body) -> dict:
            async with session.post(f"{base}/{method}", json=body) as response:
                return await response.json()

        sent = await call(
            "sendInvoice", chat_id=USER_ID, title="t", description="d", payload="p",
            currency="XTR", prices=[{"label": "credits", "amount": "7"}],
        )  # fmt: skip
        assert sent["result"]["invoice"]["total_amount"] == 7
        query_id = telegram.pre_checkout(chat, user, sent["result"]["message_id"])
        assert (await call("answerPreCheckoutQuery", pre_checkout_query_id=query_id, ok=True))["ok"]
        inline_id = telegram.inline_query(user, "x")
        article = {
            "type": "article",
            "id": 1,
            "title": "One",
            "input_message_content": {"message_text": "one"},
        }
        answer = await call(
            "answerInlineQuery", inline_query_id=inline_id, results=[article], is_personal=True
        )
        assert answer["ok"]
        refused = await call("refundStarPayment", user_id=USER_ID, telegram_payment_charge_id="x")
    assert refused == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: CHARGE_NOT_FOUND",
    }
    assert telegram.pre_checkout_answers[query_id]["ok"] is True
    assert telegram.inline_answers[inline_id]["is_personal"] is True
    telegram.complete_payment(query_id)


async def test_stars_invoice_paid_and_refunded(telegram, bot, chat, user):
    sent = await bot.send_invoice(
        USER_ID, "50 credits", "Fifty images", "pack:50:50", "XTR", stars(), provider_token=""
    )
    assert sent.invoice.to_dict() == {
        "title": "50 credits",
        "description": "Fifty images",
        "start_parameter": "",
        "currency": "XTR",
        "total_amount": 50,
    }
    stored = telegram.invoices[(USER_ID, sent.message_id)]
    assert (stored["payload"], stored["prices"]) == (
        "pack:50:50",
        [{"label": "50 credits", "amount": 50}],
    )

    query_id = telegram.pre_checkout(chat, user, sent.message_id)
    (update,) = await bot.get_updates()
    query = update.pre_checkout_query
    assert (query.id, query.from_user.id, query.currency) == (query_id, USER_ID, "XTR")
    assert (query.total_amount, query.invoice_payload) == (50, "pack:50:50")
    with pytest.raises(AssertionError, match="not answered ok=True"):
        telegram.complete_payment(query_id)
    assert await bot.answer_pre_checkout_query(query_id, ok=True)
    assert telegram.pre_checkout_answers[query_id]["ok"] is True

    paid = telegram.complete_payment(query_id)
    with pytest.raises(AssertionError, match="already paid"):
        telegram.complete_payment(query_id)
    (update,) = await bot.get_updates(offset=update.update_id + 1)
    payment = update.message.successful_payment
    assert (update.message.chat.id, update.message.from_user.id) == (USER_ID, USER_ID)
    assert (payment.currency, payment.total_amount, payment.invoice_payload) == (
        "XTR",
        50,
        "pack:50:50",
    )
    assert payment.provider_payment_charge_id == ""
    charge = payment.telegram_payment_charge_id
    assert (
        charge.startswith("stx")
        and charge == paid["successful_payment"]["telegram_payment_charge_id"]
    )

    assert await bot.refund_star_payment(USER_ID, charge)
    assert telegram.refunds == [{"user_id": USER_ID, "telegram_payment_charge_id": charge}]
    with rejected("CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(USER_ID, charge)
    (update,) = await bot.get_updates(offset=update.update_id + 1)
    assert update.message.from_user.id == BOT_ID
    assert update.message.refunded_payment.telegram_payment_charge_id == charge
    assert update.message.refunded_payment.total_amount == 50


async def test_invoice_rejections(telegram, bot, chat):
    with rejected("STARS_INVOICE_INVALID"):
        await invoice(bot, provider_token="284685063:TEST:abc")
    with rejected("STARS_INVOICE_INVALID"):
        await invoice(bot, prices=[LabeledPrice("credits", 40), LabeledPrice("tax", 10)])
    with rejected("STARS_INVOICE_INVALID"):
        await invoice(bot, max_tip_amount=5, suggested_tip_amounts=[5])
    with rejected("PAYMENT_PROVIDER_INVALID"):
        await invoice(bot, currency="XTS")
    with rejected("CURRENCY_TOTAL_AMOUNT_INVALID"):
        await invoice(bot, prices=stars(0))
    with rejected("there must be at least one price"):
        await invoice(bot, prices=[])
    with rejected('parameter "title" is required'):
        await invoice(bot, title="")
    with rejected("invoice title must be 1-32 characters"):
        await invoice(bot, title="x" * 33)
    with rejected("invoice description must be 1-255 characters"):
        await invoice(bot, description="x" * 256)
    with rejected("INVOICE_PAYLOAD_INVALID"):
        await invoice(bot, payload="é" * 65)
    with rejected("chat not found"):
        await bot.send_invoice(999, "t", "d", "p", "XTR", stars())
    with rejected("can't parse labeled price: Can't find field \"amount\""):
        await raw(
            bot, "sendInvoice", chat_id=USER_ID, title="t", description="d", payload="p",
            currency="XTR", prices=[{"label": "credits"}],
        )  # fmt: skip
    url = InlineKeyboardButton("Terms", url="https://example.com/terms")
    pay = InlineKeyboardButton("Pay 50 ⭐", pay=True)
    with rejected("REPLY_MARKUP_BUY_EMPTY"):
        await invoice(bot, reply_markup=InlineKeyboardMarkup([[url]]))
    with rejected("BUTTON_POS_INVALID"):
        await invoice(bot, reply_markup=InlineKeyboardMarkup([[url, pay]]))
    assert telegram.invoices == {}
    message_id = await invoice(bot, title="x" * 32, reply_markup=InlineKeyboardMarkup([[pay, url]]))
    assert list(telegram.invoices) == [(USER_ID, message_id)]


async def test_pre_checkout_answers(telegram, bot, chat, user):
    message_id = await invoice(bot)
    with pytest.raises(ValueError, match="no invoice"):
        telegram.pre_checkout(chat, user, message_id + 1)
    with rejected("query is too old and response timeout expired or query ID is invalid"):
        await bot.answer_pre_checkout_query("4000000000000999", ok=True)

    declined = telegram.pre_checkout(chat, user, message_id)
    with rejected('parameter "error_message" is required'):
        await bot.answer_pre_checkout_query(declined, ok=False)
    assert await bot.answer_pre_checkout_query(declined, ok=False, error_message="Sold out")
    with rejected("query is too old"):
        await bot.answer_pre_checkout_query(declined, ok=True)
    assert telegram.pre_checkout_answers[declined]["ok"] is False
    assert telegram.pre_checkout_answers[declined]["error_message"] == "Sold out"
    with pytest.raises(AssertionError):
        telegram.complete_payment(declined)

    telegram.answer_deadline = 0.0
    late = telegram.pre_checkout(chat, user, message_id)
    with rejected("query is too old"):
        await bot.answer_pre_checkout_query(late, ok=True)
    assert late not in telegram.pre_checkout_answers


async def test_refund_rejections(telegram, bot, chat, user):
    other = telegram.user(OTHER_ID)
    for _ in range(2):  # Telegram may deliver the same payment twice
        telegram.successful_payment(chat, user, "pack:50:50", 50, "stxOne")
    updates = await bot.get_updates()
    assert [u.message.successful_payment.telegram_payment_charge_id for u in updates] == [
        "stxOne",
        "stxOne",
    ]
    with rejected("CHARGE_NOT_FOUND"):
        await bot.refund_star_payment(USER_ID, "stxUnknown")
    with rejected("CHARGE_NOT_FOUND"):
        await bot.refund_star_payment(other["id"], "stxOne")
    with rejected("user not found"):
        await bot.refund_star_payment(777, "stxOne")
    with rejected("invalid user_id specified"):
        await raw(bot, "refundStarPayment", user_id=0, telegram_payment_charge_id="stxOne")
    with rejected('parameter "telegram_payment_charge_id" is required'):
        await bot.refund_star_payment(USER_ID, "")
    assert telegram.refunds == []
    assert await bot.refund_star_payment(USER_ID, "stxOne")
    with rejected("CHARGE_ALREADY_REFUNDED"):
        await bot.refund_star_payment(USER_ID, "stxOne")
    assert len(telegram.refunds) == 1


async def test_inline_answer_with_cached_media(telegram, bot, chat, user):
    photo = (await bot.send_photo(USER_ID, photo=png(40, 30))).photo[-1].file_id
    gif = (await bot.send_animation(USER_ID, animation=b"GIF89a...", filename="a.gif")).animation
    video = (await bot.send_video(USER_ID, video=b"\x00\x00\x00 ftyp", filename="v.mp4")).video
    query_id = telegram.inline_query(user, "cat", offset="20", chat_type="private")
    (update,) = await bot.get_updates()
    inline = update.inline_query
    assert (inline.id, inline.from_user.id, inline.query) == (query_id, USER_ID, "cat")
    assert (inline.offset, inline.chat_type) == ("20", "private")

    results = [
        InlineQueryResultCachedPhoto("1", photo, caption="<b>a cat</b>", parse_mode="HTML"),
        InlineQueryResultCachedGif("2", gif.file_id),
        InlineQueryResultCachedMpeg4Gif("3", video.file_id),
        InlineQueryResultCachedVideo("4", video.file_id, title="A cat, moving"),
        InlineQueryResultArticle("5", "Prompt", InputTextMessageContent("/imagine a cat")),
    ]
    button = InlineQueryResultsButton("More in the bot", start_parameter="inline")
    assert await bot.answer_inline_query(
        query_id, results, cache_time=10, is_personal=True, next_offset="40", button=button
    )
    answer = telegram.inline_answers[query_id]
    assert [r["id"] for r in answer["results"]] == ["1", "2", "3", "4", "5"]
    assert answer["results"][0]["photo_file_id"] == photo
    assert (answer["cache_time"], answer["is_personal"], answer["next_offset"]) == (10, True, "40")
    assert answer["button"]["start_parameter"] == "inline"
    with rejected("query is too old and response timeout expired or query ID is invalid"):
        await bot.answer_inline_query(query_id, [])
    with rejected("query is too old"):
        await bot.answer_inline_query("4000000000000999", [])

    empty = telegram.inline_query(user, "")
    assert await bot.answer_inline_query(empty, [])
    assert telegram.inline_answers[empty]["results"] == []


async def test_inline_answer_rejections(telegram, bot, chat, user):
    photo = (await bot.send_photo(USER_ID, photo=png(40, 30))).photo[-1].file_id
    document = (await bot.send_document(USER_ID, document=b"%PDF", filename="a.pdf")).document
    query_id = telegram.inline_query(user, "cat")

    def photos(*ids: str, file_id: str = photo) -> list:
        return [InlineQueryResultCachedPhoto(i, file_id) for i in ids]

    with rejected("wrong remote file identifier specified: can't unserialize it"):
        await bot.answer_inline_query(query_id, photos("1", file_id="AgACnoSuchFile"))
    with rejected("can't use file of type Document as Photo"):
        await bot.answer_inline_query(query_id, photos("1", file_id=document.file_id))
    with rejected("can't use file of type Photo as Animation"):
        await bot.answer_inline_query(query_id, [InlineQueryResultCachedGif("1", photo)])
    with rejected("RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(query_id, photos("1", "2", "1"))
    with rejected("too many inline query results specified"):
        await bot.answer_inline_query(query_id, photos(*map(str, range(51))))
    with rejected("RESULT_ID_INVALID"):
        await bot.answer_inline_query(query_id, photos("x" * 65))
    with rejected("NEXT_OFFSET_INVALID"):
        await bot.answer_inline_query(query_id, photos("1"), next_offset="9" * 65)
    with rejected("MEDIA_CAPTION_TOO_LONG"):
        long = [InlineQueryResultCachedPhoto("1", photo, caption="x" * 1025)]
        await bot.answer_inline_query(query_id, long)
    with rejected("can't parse inline query result: Can't parse entities"):
        html = [InlineQueryResultCachedPhoto("1", photo, caption="<b>cat", parse_mode="HTML")]
        await bot.answer_inline_query(query_id, html)
    with rejected("ARTICLE_TITLE_EMPTY"):
        article = InlineQueryResultArticle("1", " ", InputTextMessageContent("hi"))
        await bot.answer_inline_query(query_id, [article])
    with rejected("can't use empty start_parameter"):
        button = InlineQueryResultsButton("Open", start_parameter="")
        await bot.answer_inline_query(query_id, [], button=button)
    raw_results = {
        "can't parse inline query result: Can't find field \"message_text\"": [
            {"type": "article", "id": "1", "title": "No content"}
        ],
        "can't parse inline query result: Can't find field \"photo_file_id\"": [
            {"type": "photo", "id": "1"}
        ],
        "PHOTO_THUMB_URL_EMPTY": [
            {"type": "photo", "id": "1", "photo_url": "https://example.com/cat.jpg"}
        ],
        'type "sticker_set" is unsupported for the inline query result': [
            {"type": "sticker_set", "id": "1"}
        ],
    }
    for error, results in raw_results.items():
        with rejected(error):
            await raw(bot, "answerInlineQuery", inline_query_id=query_id, results=results)
    assert telegram.inline_answers == {}
    by_url = {
        "type": "photo",
        "id": "1",
        "photo_url": "https://example.com/cat.jpg",
        "thumbnail_url": "https://example.com/cat-small.jpg",
    }
    assert await raw(bot, "answerInlineQuery", inline_query_id=query_id, results=[by_url])

    telegram.answer_deadline = 0.0
    late = telegram.inline_query(user, "dog")
    with rejected("query is too old"):
        await bot.answer_inline_query(late, photos("1"))


async def test_new_updates_obey_allowed_updates(telegram, bot, chat, user):
    message_id = await invoice(bot)
    telegram.pre_checkout(chat, user, message_id)
    telegram.inline_query(user, "cat")
    telegram.send_text(chat, user, "hello")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["hello"]
    await bot.get_updates(offset=updates[-1].update_id + 1)
    telegram.pre_checkout(chat, user, message_id)
    telegram.inline_query(user, "cat")
    updates = await bot.get_updates(allowed_updates=["inline_query", "pre_checkout_query"])
    assert [bool(u.pre_checkout_query) for u in updates] == [True, False]
    assert updates[1].inline_query.query == "cat"


async def test_application_answers_in_time(telegram, bot, chat, user):
    async def checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.pre_checkout_query.answer(ok=True)

    async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = InputTextMessageContent(update.inline_query.query)
        await update.inline_query.answer([InlineQueryResultArticle("1", "Echo", text)])

    message_id = await invoice(bot)
    handlers = (PreCheckoutQueryHandler(checkout), InlineQueryHandler(inline))
    async with running_app(telegram.url, *handlers):
        query_id = telegram.pre_checkout(chat, user, message_id)
        inline_id = telegram.inline_query(user, "a red fox")
        await telegram.wait_for(lambda: query_id in telegram.pre_checkout_answers)
        (result,) = (await telegram.wait_for(lambda: telegram.inline_answers.get(inline_id)))[
            "results"
        ]
    assert result["input_message_content"]["message_text"] == "a red fox"
    telegram.complete_payment(query_id)


async def test_descriptions_by_language(telegram, bot):
    assert (await bot.get_my_description()).description == ""
    assert await bot.set_my_description("Midjourney in a chat")
    assert await bot.set_my_description("Midjourney dans une discussion", language_code="fr")
    assert await bot.set_my_short_description("Images from words", language_code="")
    assert (await bot.get_my_description("fr")).description == "Midjourney dans une discussion"
    assert (await bot.get_my_description("ko")).description == "Midjourney in a chat"
    assert (await bot.get_my_short_description("ko")).short_description == "Images from words"
    assert telegram.descriptions == {
        ("description", ""): "Midjourney in a chat",
        ("description", "fr"): "Midjourney dans une discussion",
        ("short_description", ""): "Images from words",
    }
    assert await bot.set_my_description("", language_code="fr")
    assert (await bot.get_my_description("fr")).description == "Midjourney in a chat"

    assert await bot.set_my_description("x" * 512, language_code="ru")
    with rejected("description is too long"):
        await bot.set_my_description("x" * 513)
    with rejected("short description is too long"):
        await bot.set_my_short_description("x" * 121)
    for code in ("EN", "eng", "pt-br", "zh-hans"):
        with rejected("invalid language code specified"):
            await bot.set_my_description("Hi", language_code=code)
    with rejected("invalid language code specified"):
        await bot.get_my_short_description("En")


async def test_command_menus_check_language_and_descriptions(telegram, bot):
    menu = [BotCommand("imagine", "Make four images")]
    assert await bot.set_my_commands(menu, language_code="ko")
    assert [c.command for c in await bot.get_my_commands(language_code="ko")] == ["imagine"]
    with rejected("invalid language code specified"):
        await bot.set_my_commands(menu, language_code="KO")
    with rejected("invalid language code specified"):
        await bot.get_my_commands(language_code="kor")
    with rejected("command description must be non-empty"):
        await bot.set_my_commands([BotCommand("imagine", "  ")])
    with rejected("command description length must not exceed 256"):
        await bot.set_my_commands([BotCommand("imagine", "x" * 257)])
    with rejected("can't parse BotCommand: Can't find field \"description\""):
        await raw(bot, "setMyCommands", commands=[{"command": "imagine"}])
    assert await bot.set_my_commands([BotCommand("imagine", "é" * 256)])
    assert list(telegram.commands) == [('{"type": "default"}', "ko"), ('{"type": "default"}', "")]

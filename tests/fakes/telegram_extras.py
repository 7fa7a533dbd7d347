"""Payments in Telegram Stars, inline mode and per-language bot descriptions for FakeTelegram.

A mixin of FakeTelegram, loaded by tests.fakes.telegram: import from there, not from here
(the two modules import each other). Errors are those of the Bot API server
(tdlib/telegram-bot-api), of TDLib inside it (language codes, command descriptions, file ids,
start parameters) and Telegram's own error names listed for messages.sendMedia,
messages.setInlineBotResults and payments.refundStarsCharge on core.telegram.org; the rules
behind those names are inferred.

Payments: sendInvoice takes Telegram Stars only ("XTR", no provider token, one price, no
tips, else STARS_INVOICE_INVALID); any other currency is PAYMENT_PROVIDER_INVALID, as the
fake knows no payment provider. Telegram documents no error for a title over 32 or a
description over 255 characters: the fake's own texts say so. The test side plays the user:
pre_checkout() asks, complete_payment() pays once the bot said yes, successful_payment()
delivers a payment as is (twice, if need be). A refund of an unknown charge, or of another
user's, is CHARGE_NOT_FOUND (what Telegram answered a live test suite in 2024; a later run
saw CHARGE_ID_EMPTY for a made-up id). A refund made posts `refunded_payment` in the
user's chat: the bot's own message, which the Bot API delivers to the bot all the same.

Inline mode: inline_query() asks. Results of types photo, gif, mpeg4_gif, video and article
are checked field by field, file ids against `files`; the other types the Bot API knows pass
unchecked. A pre-checkout or inline query answered more than `answer_deadline` seconds after
it was enqueued is "too old", as a second answer is.

Descriptions: by language code, empty or two lowercase letters (TDLib's check, also on
setMyCommands and getMyCommands); a getter falls back to the text without a language code.
"description is too long" is GramIO's documented text, unverified.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from tests.fakes import telegram as base

STARS = "XTR"
MAX_TITLE = 32
MAX_DESCRIPTION = 255
MAX_PAYLOAD_BYTES = 128
MAX_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
MAX_OFFSET_BYTES = 64
MAX_START_PARAMETER = 64
MAX_COMMAND_DESCRIPTION = 256
DESCRIPTION_LIMITS = {"description": 512, "short_description": 120}
LANGUAGE_RE = re.compile(r"[a-z]{2}")
START_PARAMETER_RE = re.compile(r"[A-Za-z0-9_-]+")
INVALID_LANGUAGE = "invalid language code specified"
# Modelled inline result types: the prefix of their `…_file_id` / `…_url` field and the
# TDLib file type a file id must be of (documents, videos and animations are interchangeable).
MEDIA_PREFIXES = {"photo": "photo", "gif": "gif", "mpeg4_gif": "mpeg4", "video": "video"}
MEDIA_FILE_TYPES = {
    "photo": "Photo",
    "gif": "Animation",
    "mpeg4_gif": "Animation",
    "video": "Video",
}
FILE_TYPES = {"photo": "Photo", "video": "Video", "animation": "Animation", "document": "Document"}
UNCHECKED_TYPES = {"audio", "contact", "document", "game", "location", "sticker", "venue", "voice"}
CONTENT_KEYS = {"latitude", "phone_number", "payload"}  # message contents besides a text


def flag(value: Any) -> bool:
    """A Bot API boolean as the server reads it: true, yes or 1, in any case."""
    return str(value).strip().lower() in ("true", "yes", "1")


def unparsable(why: str) -> base.ApiError:
    return base.bad(f"can't parse inline query result: {why}")


def field(obj: dict, name: str) -> str:
    """A required string field of a JSON object, as the Bot API server reads it."""
    if name not in obj:
        raise unparsable(f'Can\'t find field "{name}"')
    return str(obj[name])


def checked(check: Callable[[dict], object], handler: Callable) -> Callable:
    """`handler`, answering only after `check` of its parameters passed."""

    @functools.wraps(handler)
    async def run(params: dict) -> Any:
        check(params)
        return await handler(params)

    return run


class PaymentsAndInline:
    """The Bot API methods and test-side controls above, on FakeTelegram's state and
    plumbing (_chat, _send, _enqueue, files, users…); see the module docstring."""

    def _init_extras(self) -> None:
        """The state; call once `_methods` is built (its command methods get TDLib's checks)."""
        self.invoices: dict[tuple[int, int], dict] = {}  # (chat id, message id) → params
        self.pre_checkout_answers: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.inline_answers: dict[str, dict] = {}
        self.descriptions: dict[tuple[str, str], str] = {}  # (kind, language code) → text
        self.answer_deadline = 10.0  # seconds to answer a pre-checkout or inline query
        self._checkouts: dict[str, dict] = {}  # query id → chat_id, message_id, user, at
        self._inline_queries: dict[str, float] = {}  # query id → when enqueued
        self._charges: dict[str, dict] = {}  # charge id → user_id and the payment
        self._refunded: set[str] = set()
        self._paid: set[str] = set()
        self._methods["setmycommands"] = checked(
            self._check_commands, self._methods["setmycommands"]
        )
        self._methods["getmycommands"] = checked(self._language, self._methods["getmycommands"])

    # test side

    def pre_checkout(self, chat: dict, user: dict, message_id: int) -> str:
        """Enqueue the user's go-ahead for the invoice in that message (a `pre_checkout_query`
        update) and return the query id."""
        invoice = self.invoices.get((chat["id"], message_id))
        if invoice is None:
            raise ValueError(f"no invoice in message {message_id} of chat {chat['id']}")
        self.users.setdefault(user["id"], user)
        query_id = str(next(self._query_ids))
        self._checkouts[query_id] = {
            "chat_id": chat["id"],
            "message_id": message_id,
            "user": user,
            "at": time.monotonic(),
        }
        query = {
            "id": query_id,
            "from": user,
            "currency": invoice["currency"],
            "total_amount": invoice["prices"][0]["amount"],
            "invoice_payload": invoice["payload"],
        }
        self._enqueue("pre_checkout_query", query)
        return query_id

    def complete_payment(self, query_id: str) -> dict:
        """Pay, once the bot answered that query ok=True: enqueue the payer's message with
        `successful_payment` (a new charge id) in the invoice's chat and return it."""
        answer = self.pre_checkout_answers.get(query_id)
        if answer is None or not answer["ok"]:
            raise AssertionError(f"pre-checkout query {query_id} was not answered ok=True")
        if query_id in self._paid:
            raise AssertionError(f"pre-checkout query {query_id} was already paid")
        self._paid.add(query_id)
        checkout = self._checkouts[query_id]
        invoice = self.invoices[(checkout["chat_id"], checkout["message_id"])]
        return self.successful_payment(
            self.chats[checkout["chat_id"]],
            checkout["user"],
            invoice["payload"],
            invoice["prices"][0]["amount"],
            f"stx{secrets.token_urlsafe(48)}",
        )

    def successful_payment(
        self, chat: dict, user: dict, payload: str, total_amount: int, charge_id: str
    ) -> dict:
        """Enqueue a user's message with `successful_payment` in Stars and return it; the
        charge can then be refunded."""
        self._add_chat(chat)
        self.users.setdefault(user["id"], user)
        payment = {
            "currency": STARS,
            "total_amount": total_amount,
            "invoice_payload": payload,
            "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": "",
        }
        self._charges.setdefault(charge_id, {"user_id": user["id"], **payment})
        message = self._new_message(chat, user)
        message["successful_payment"] = payment
        self._enqueue("message", base.public(message))
        return base.public(message)

    def inline_query(
        self, user: dict, query: str, offset: str = "", chat_type: str = "sender"
    ) -> str:
        """Enqueue what a user typed after the bot's username (an `inline_query` update) and
        return the query id."""
        self.users.setdefault(user["id"], user)
        query_id = str(next(self._query_ids))
        self._inline_queries[query_id] = time.monotonic()
        inline = {
            "id": query_id,
            "from": user,
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        self._enqueue("inline_query", inline)
        return query_id

    # payments

    async def _m_sendInvoice(self, params: dict) -> dict:
        title, description, payload, currency = (
            self._required(params, name) for name in ("title", "description", "payload", "currency")
        )
        prices = self._prices(params)
        tips = self._json(params, "suggested_tip_amounts", "suggested_tip_amounts JSON object")
        self._chat(params)
        buttons = base.inline_buttons({"reply_markup": self._markup(params)})
        if len(title) > MAX_TITLE:
            raise base.bad(f"invoice title must be 1-{MAX_TITLE} characters")
        if len(description) > MAX_DESCRIPTION:
            raise base.bad(f"invoice description must be 1-{MAX_DESCRIPTION} characters")
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise base.bad("INVOICE_PAYLOAD_INVALID")
        if currency != STARS:
            raise base.bad("PAYMENT_PROVIDER_INVALID")
        max_tip = str(params.get("max_tip_amount") or "0")
        if params.get("provider_token") or len(prices) != 1 or tips or max_tip != "0":
            raise base.bad("STARS_INVOICE_INVALID")
        if prices[0]["amount"] <= 0:
            raise base.bad("CURRENCY_TOTAL_AMOUNT_INVALID")
        if buttons and not buttons[0].get("pay"):
            paid = any(button.get("pay") for button in buttons)
            raise base.bad("BUTTON_POS_INVALID" if paid else "REPLY_MARKUP_BUY_EMPTY")

        def fill(content: dict) -> None:
            content["invoice"] = {
                "title": title,
                "description": description,
                "start_parameter": str(params.get("start_parameter") or ""),
                "currency": currency,
                "total_amount": prices[0]["amount"],
            }

        message = self._send(params, fill)
        self.invoices[(message["chat"]["id"], message["message_id"])] = {**params, "prices": prices}
        return message

    def _prices(self, params: dict) -> list[dict]:
        """The LabeledPrice list, with integer amounts."""
        self._required(params, "prices")
        prices = self._json(params, "prices", "prices JSON object")
        if not isinstance(prices, list):
            raise base.bad("expected an Array of labeled prices")
        parsed = []
        for price in prices:
            why = "LabeledPrice must be an Object" if not isinstance(price, dict) else ""
            for name in ("label", "amount"):
                if not why and name not in price:
                    why = f'Can\'t find field "{name}"'
            if not why and not str(price["label"]):
                why = "LabeledPrice label must be non-empty"
            if not why and not re.fullmatch(r"-?\d+", str(price["amount"])):
                why = 'Field "amount" must be a valid Number'
            if why:
                raise base.bad(f"can't parse labeled price: {why}")
            parsed.append({"label": str(price["label"]), "amount": int(price["amount"])})
        if not parsed:
            raise base.bad("there must be at least one price")
        return parsed

    async def _m_answerPreCheckoutQuery(self, params: dict) -> bool:
        query_id = str(params.get("pre_checkout_query_id") or "")
        ok = flag(params.get("ok"))
        if not ok:
            self._required(params, "error_message")
        checkout = self._checkouts.get(query_id)
        if checkout is None or query_id in self.pre_checkout_answers or self._late(checkout["at"]):
            raise base.bad(base.QUERY_TOO_OLD)
        self.pre_checkout_answers[query_id] = {**params, "ok": ok}
        return True

    async def _m_refundStarPayment(self, params: dict) -> bool:
        user_id = int(params["user_id"]) if str(params.get("user_id")).isdigit() else 0
        if user_id <= 0:
            raise base.bad("invalid user_id specified")
        charge_id = self._required(params, "telegram_payment_charge_id")
        if user_id not in self.users:
            raise base.bad("user not found")
        charge = self._charges.get(charge_id)
        if charge is None or charge["user_id"] != user_id:
            raise base.bad("CHARGE_NOT_FOUND")
        if charge_id in self._refunded:
            raise base.bad("CHARGE_ALREADY_REFUNDED")
        self._refunded.add(charge_id)
        self.refunds.append({**params, "user_id": user_id})
        notice = self._new_message(self.private_chat(user_id), base.BOT_USER)
        notice["refunded_payment"] = {
            key: charge[key]
            for key in ("currency", "total_amount", "invoice_payload", "telegram_payment_charge_id")
        }
        self._enqueue("message", base.public(notice))
        return True

    # inline mode

    async def _m_answerInlineQuery(self, params: dict) -> bool:
        button = self._inline_button(params)
        results = self._json(params, "results", "JSON encoded inline query results")
        results = [] if results is None else results
        if not isinstance(results, list):
            raise base.bad("expected an Array of inline query results")
        if len(results) > MAX_RESULTS:
            raise base.bad("too many inline query results specified")
        texts = [self._inline_result(result) for result in results]
        for result in results:
            self._inline_file(result)
        query_id = str(params.get("inline_query_id") or "")
        asked = self._inline_queries.get(query_id)
        if asked is None or query_id in self.inline_answers or self._late(asked):
            raise base.bad(base.QUERY_TOO_OLD)
        for result, (caption, text) in zip(results, texts, strict=True):
            self._inline_limits(result, caption, text)
        ids = [str(result["id"]) for result in results]
        if len(set(ids)) < len(ids):
            raise base.bad("RESULT_ID_DUPLICATE")
        if len(str(params.get("next_offset") or "").encode()) > MAX_OFFSET_BYTES:
            raise base.bad("NEXT_OFFSET_INVALID")
        answer = {**params, "results": results, "is_personal": flag(params.get("is_personal"))}
        if button is not None:
            answer["button"] = button
        self.inline_answers[query_id] = answer
        return True

    def _inline_button(self, params: dict) -> dict | None:
        button = self._json(params, "button", "inline query results button JSON object")
        if button is None:
            return None
        why = "InlineQueryResultsButton must be an Object" if not isinstance(button, dict) else ""
        if not why and "text" not in button:
            why = 'Can\'t find field "text"'
        if not why and not {"start_parameter", "web_app"} & button.keys():
            why = "InlineQueryResultsButton must have exactly one optional field"
        if why:
            raise base.bad(f"can't parse inline query results button: {why}")
        start = button.get("start_parameter")
        if start is not None:
            if not start:
                raise base.bad("can't use empty start_parameter")
            if len(str(start)) > MAX_START_PARAMETER:
                raise base.bad("too long start_parameter specified")
            if not START_PARAMETER_RE.fullmatch(str(start)):
                raise base.bad("unallowed characters in start_parameter are used")
        return button

    def _inline_result(self, result: Any) -> tuple[str, str | None]:
        """Parse a result as the Bot API server does; return its caption and message text."""
        if not isinstance(result, dict):
            raise unparsable("Inline query result must be an object")
        kind = field(result, "type").lower()
        field(result, "id")
        content = result.get("input_message_content")
        if content is not None and not isinstance(content, dict):
            raise unparsable('Field "input_message_content" must be of type Object')
        if kind == "article":
            if content is None:
                field(result, "message_text")
            elif not content.get("message_text") and not CONTENT_KEYS & content.keys():
                raise unparsable("Input message content is not specified")
            field(result, "title")
        elif kind in MEDIA_PREFIXES:
            prefix = MEDIA_PREFIXES[kind]
            if kind == "video":
                field(result, "title")
            if not result.get(f"{prefix}_url"):
                field(result, f"{prefix}_file_id")
            elif kind == "video":
                field(result, "mime_type")
        elif kind not in UNCHECKED_TYPES:
            raise unparsable(f'type "{kind}" is unsupported for the inline query result')
        caption = self._inline_text(result, "caption", "caption_entities")
        text = self._inline_text(content or result, "message_text", "entities")
        return caption, text if (content or result).get("message_text") else None

    def _inline_text(self, obj: dict, key: str, entities_key: str) -> str:
        try:
            return self._formatted(obj, key, entities_key)[0]
        except base.ApiError as error:
            why = error.description.removeprefix("Bad Request: ")
            raise unparsable(why[:1].upper() + why[1:]) from None

    def _inline_file(self, result: dict) -> None:
        """TDLib's check of a result's file id: one the fake gave out, of a fitting type."""
        kind = str(result["type"]).lower()
        prefix = MEDIA_PREFIXES.get(kind)
        if prefix is None or result.get(f"{prefix}_url"):
            return
        file_id = str(result[f"{prefix}_file_id"])
        if "." in file_id:
            return  # TDLib takes it for a URL
        info = self.files.get(file_id)
        if info is None:
            raise base.bad("wrong remote file identifier specified: can't unserialize it")
        have, want = FILE_TYPES[info["kind"]], MEDIA_FILE_TYPES[kind]
        if (have == "Photo") != (want == "Photo"):
            raise base.bad(f"can't use file of type {have} as {want}")

    def _inline_limits(self, result: dict, caption: str, text: str | None) -> None:
        """Telegram's own checks of a parsed result."""
        kind = str(result["type"]).lower()
        if not 1 <= len(str(result["id"]).encode()) <= MAX_RESULT_ID_BYTES:
            raise base.bad("RESULT_ID_INVALID")
        if kind in ("article", "video") and not str(result["title"]).strip():
            raise base.bad("ARTICLE_TITLE_EMPTY" if kind == "article" else "VIDEO_TITLE_EMPTY")
        thumbnail = result.get("thumbnail_url") or result.get("thumb_url")
        if kind == "photo" and result.get("photo_url") and not thumbnail:
            raise base.bad("PHOTO_THUMB_URL_EMPTY")
        if len(caption) > base.MAX_CAPTION:
            raise base.bad("MEDIA_CAPTION_TOO_LONG")
        if text is not None and not text.strip():
            raise base.bad("MESSAGE_EMPTY")
        if text is not None and len(text) > base.MAX_TEXT:
            raise base.bad("MESSAGE_TOO_LONG")

    # descriptions and command menus

    async def _m_setMyDescription(self, params: dict) -> bool:
        return self._set_description(params, "description")

    async def _m_setMyShortDescription(self, params: dict) -> bool:
        return self._set_description(params, "short_description")

    async def _m_getMyDescription(self, params: dict) -> dict:
        return self._get_description(params, "description")

    async def _m_getMyShortDescription(self, params: dict) -> dict:
        return self._get_description(params, "short_description")

    def _set_description(self, params: dict, kind: str) -> bool:
        language = self._language(params)
        text = str(params.get(kind) or "")
        if len(text) > DESCRIPTION_LIMITS[kind]:
            raise base.bad(f"{kind.replace('_', ' ')} is too long")
        if text:
            self.descriptions[(kind, language)] = text
        else:
            self.descriptions.pop((kind, language), None)
        return True

    def _get_description(self, params: dict, kind: str) -> dict:
        language = self._language(params)
        text = self.descriptions.get((kind, language)) or self.descriptions.get((kind, ""), "")
        return {kind: text}

    def _check_commands(self, params: dict) -> None:
        """TDLib's checks before setMyCommands' own: the language code, then descriptions."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            return  # setMyCommands answers that
        for command in commands:
            if not isinstance(command, dict):
                raise base.bad("can't parse BotCommand: expected an Object")
            if "description" not in command:
                raise base.bad("can't parse BotCommand: Can't find field \"description\"")
        self._language(params)
        for command in commands:
            description = str(command["description"]).strip()
            if not description:
                raise base.bad("command description must be non-empty")
            if len(description) > MAX_COMMAND_DESCRIPTION:
                raise base.bad(
                    f"command description length must not exceed {MAX_COMMAND_DESCRIPTION}"
                )

    # shared

    def _language(self, params: dict) -> str:
        language = str(params.get("language_code") or "")
        if language and not LANGUAGE_RE.fullmatch(language):
            raise base.bad(INVALID_LANGUAGE)
        return language

    def _required(self, params: dict, name: str) -> str:
        value = params.get(name)
        if value is None or value == "":
            raise base.bad(f'parameter "{name}" is required')
        return str(value)

    def _json(self, params: dict, name: str, what: str) -> Any:
        """A JSON-serialized parameter, decoded (None if absent or empty)."""
        value = params.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value) if value else None
        except ValueError:
            raise base.bad(f"can't parse {what}") from None

    def _late(self, asked: float) -> bool:
        return time.monotonic() - asked > self.answer_deadline

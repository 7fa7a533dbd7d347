"""A fake Telegram Bot API server for tests.

It speaks the Bot API over plain HTTP, so the real python-telegram-bot (in this process or in
another one) can run against it, and it answers like Telegram where a bot can get it wrong:
per-chat message ids, Telegram's error texts, photo limits, edits that change nothing, stale
callback queries and flood control on demand. Tests enqueue user messages and button taps and
read back what the bot did. All state lives in the server object; one event loop, no threads.

Also on demand: a chat closed to the bot (kicked, no rights), a group upgraded to a
supergroup (the old id answers with `migrate_to_chat_id`), and methods that answer slowly.

Webhooks: once setWebhook is called, getUpdates answers 409 and the updates are pushed to the
webhook, oldest first, one at a time, with the `X-Telegram-Bot-Api-Secret-Token` header; an
update is confirmed by a 2xx answer and sent again after any other answer, a connection error
or no answer within `push_timeout` (Telegram holds it while the bot is down). `redeliver()`
sends again an update already confirmed, as Telegram does when the bot's answer was lost.
Unlike Telegram, the fake accepts http:// and any port for a webhook on 127.0.0.1 or
localhost, and pushes nowhere else (a delivery elsewhere fails as an error).

Known gaps: only parse_mode HTML is parsed (Markdown text is stored as sent); group privacy
mode, media groups, webhook certificates, parallel webhook connections and payments other
than in Telegram Stars are not modelled (Stars, inline mode and bot descriptions: see
telegram_extras.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import io
import itertools
import json
import mimetypes
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import (
    BodyPartReader,
    ClientConnectorError,
    ClientError,
    ClientSession,
    ClientTimeout,
    hdrs,
    web,
)
from PIL import Image

from tests.fakes.telegram_extras import PaymentsAndInline

T = TypeVar("T")

TOKEN = "123456:AAHfakeTokenForMjbotTests_012345678"
BOT_ID = int(TOKEN.split(":")[0])
ANONYMOUS_ADMIN = {  # the user Telegram shows as the sender of a message sent "as the group"
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
LIMITED_METHODS = {
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendVideo",
    "sendAnimation",
    "sendMediaGroup",
    "sendInvoice",
    "copyMessage",
    "forwardMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageMedia",
    "editMessageReplyMarkup",
    "deleteMessage",
}
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "MJ Test",
    "username": "mj_test_bot",
}
ME = {
    **BOT_USER,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,  # inline mode switched on with @BotFather (/setinline)
}

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_REQUEST_BYTES = 50 * 1024 * 1024
THUMB_SIDE = 320

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_PORTS = {443, 80, 88, 8443}
LOOPBACK = {"127.0.0.1", "localhost"}

JSON_PARAMS = {
    "reply_markup",
    "reply_parameters",
    "entities",
    "caption_entities",
    "allowed_updates",
    "commands",
    "scope",
    "link_preview_options",
}
INT_PARAMS = {"chat_id", "message_id", "reply_to_message_id", "offset", "limit", "cache_time"}
FLOAT_PARAMS = {"timeout"}
BOOL_PARAMS = {
    "allow_sending_without_reply",
    "show_alert",
    "drop_pending_updates",
    "disable_notification",
    "protect_content",
    "has_spoiler",
    "disable_web_page_preview",
    "disable_content_type_detection",
    "show_caption_above_media",
}
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
BUTTON_ACTIONS = {
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
}
HTML_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
PRIVATE_KEYS = {"deleted", "photo_bytes", "document_bytes", "video_bytes", "animation_bytes"}
COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?![\w@])")
MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}\b")
BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


class ApiError(Exception):
    """A Bot API failure: becomes {"ok": false, ...} with this code and description."""

    def __init__(self, description: str, code: int = 400, parameters: dict | None = None):
        super().__init__(description)
        self.description = description
        self.code = code
        self.parameters = parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.code)


def bad(description: str) -> ApiError:
    """A 400 "Bad Request: ..." error."""
    return ApiError(f"Bad Request: {description}")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlEntities(HTMLParser):
    """Turns Telegram-flavoured HTML into plain text plus entities."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.open: list[tuple[str, int, dict | None]] = []
        self.entities: list[dict] = []

    def byte_offset(self) -> int:
        line, col = self.getpos()
        lines = self.source.split("\n")
        before = "\n".join(lines[: line - 1]) + ("\n" if line > 1 else "")
        return len((before + lines[line - 1][:col]).encode())

    def fail(self, what: str) -> ApiError:
        return bad(f"can't parse entities: {what} at byte offset {self.byte_offset()}")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append((tag, self.length, self.entity_for(tag, dict(attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise self.fail(f'Unsupported start tag "{tag}"')

    def entity_for(self, tag: str, attrs: dict[str, str | None]) -> dict | None:
        if tag in HTML_SIMPLE:
            if tag == "blockquote" and "expandable" in attrs:
                return {"type": "expandable_blockquote"}
            if tag == "code" and self.open and self.open[-1][0] == "pre":
                language = (attrs.get("class") or "").removeprefix("language-")
                if language and self.open[-1][2] is not None:
                    self.open[-1][2]["language"] = language
                return None
            return {"type": HTML_SIMPLE[tag]}
        if tag == "span" and attrs.get("class") == "tg-spoiler":
            return {"type": "spoiler"}
        if tag == "a":
            href = attrs.get("href") or ""
            if href.startswith("tg://user?id="):
                return {"type": "text_mention", "user": {"id": int(href.split("=", 1)[1])}}
            return {"type": "text_link", "url": href}
        if tag == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id") or ""}
        raise self.fail(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            raise self.fail(f'Unexpected end tag "{tag}"')
        name, start, entity = self.open.pop()
        if name != tag:
            raise self.fail(f'Unmatched end tag, expected "</{name}>", found "</{tag}>"')
        if entity is not None and self.length > start:
            self.entities.append({**entity, "offset": start, "length": self.length - start})


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Plain text and entities for a parse_mode=HTML text, or ApiError like Telegram."""
    parser = _HtmlEntities(text)
    parser.feed(text)
    parser.close()
    if parser.open:
        tag = parser.open[-1][0]
        raise bad(f"can't parse entities: Can't find end tag corresponding to start tag \"{tag}\"")
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities


# The fields Telegram sets on what a user sends besides the file's ids.
ATTACHMENTS: dict[str, dict[str, Any]] = {
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    },
    "voice": {"duration": 3, "mime_type": "audio/ogg", "file_size": 4096},
}


def user_entities(text: str) -> list[dict]:
    """Entities Telegram adds to a user's text: a leading bot command and @mentions."""
    found = []
    command = COMMAND_RE.match(text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in MENTION_RE.finditer(text):
        offset = utf16_len(text[: mention.start()])
        found.append({"type": "mention", "offset": offset, "length": utf16_len(mention.group())})
    return found


def decode_param(name: str, value: Any) -> Any:
    """Bot API parameters arrive as strings (objects JSON-encoded); type the known ones."""
    if not isinstance(value, str):
        return value
    try:
        if name in JSON_PARAMS:
            return json.loads(value)
        if name in INT_PARAMS:
            return int(value)
        if name in FLOAT_PARAMS:
            return float(value)
    except ValueError:
        if name in JSON_PARAMS:
            raise bad(f"can't parse {name} JSON object") from None
        return value
    if name in BOOL_PARAMS:
        return value.strip().lower() in ("true", "1")
    return value


def image_size(data: bytes) -> tuple[int, int, bytes | None]:
    """Validate a photo upload like Telegram; return width, height and a JPEG thumbnail."""
    if not data:
        raise bad("file must be non-empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise bad(
            f"file of size {len(data)} bytes is too big for a photo; "
            f"the maximum size is {MAX_PHOTO_BYTES} bytes"
        )
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise bad("PHOTO_INVALID_DIMENSIONS") from None
    except (OSError, SyntaxError, ValueError):
        raise bad("IMAGE_PROCESS_FAILED") from None
    width, height = image.size
    if width + height > 10000 or max(width, height) > 20 * max(1, min(width, height)):
        raise bad("PHOTO_INVALID_DIMENSIONS")
    try:
        image.load()
        return width, height, thumbnail(image)
    except (OSError, SyntaxError, ValueError):
        raise bad("IMAGE_PROCESS_FAILED") from None


def thumbnail(image: Image.Image) -> bytes | None:
    """A JPEG at most THUMB_SIDE pixels on a side, or None for images already that small."""
    if max(image.size) <= THUMB_SIDE:
        return None
    small = image.convert("RGB")
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def public(message: dict, nested: bool = True) -> dict:
    """The Bot API view of a stored message: no bookkeeping keys, one level of reply."""
    out = {k: v for k, v in message.items() if k not in PRIVATE_KEYS}
    if not nested:
        out.pop("reply_to_message", None)
    return copy.deepcopy(out)


def inline_buttons(message: dict) -> list[dict]:
    """All inline keyboard buttons of a message."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


class Limits:
    """Telegram's flood limits on the calls that post, edit or delete messages, as token
    buckets: 30 refilled at 30 a second in all; per chat 3 refilled at one a second; per group
    20 new messages refilled at 20 a minute. Buckets refill a third faster than that:
    requests the bot spaced rightly can arrive closer together (an upload takes longer to
    arrive than a deletion sent after it)."""

    SLACK = 0.75
    ALL = (30, 30.0)
    CHAT = (3, 1.0)
    GROUP = (20, 20 / 60)

    def __init__(self) -> None:
        self.buckets: dict[tuple[str, Any], list[float]] = {}  # → [tokens, when counted]

    def check(self, method: str, chat_id: Any, flooded: list[tuple[str, int]]) -> None:
        if method not in LIMITED_METHODS:
            return
        now = time.monotonic()
        buckets = [(("all", None), *self.ALL)]
        if chat_id is not None:
            buckets.append((("chat", chat_id), *self.CHAT))
            group = isinstance(chat_id, str) or int(chat_id) < 0
            if group and method.startswith(("send", "copy", "forward")):
                buckets.append((("group", chat_id), *self.GROUP))
        tokens = [self._tokens(key, size, rate, now) for key, size, rate in buckets]
        if any(t < 1 for t in tokens):
            flooded.append((method, 1))
            raise ApiError("Too Many Requests: retry after 1", 429, {"retry_after": 1})
        for (key, _, _), left in zip(buckets, tokens, strict=True):
            self.buckets[key] = [left - 1, now]

    def _tokens(self, key: tuple[str, Any], size: int, rate: float, now: float) -> float:
        tokens, when = self.buckets.get(key, (float(size), now))
        return min(size, tokens + (now - when) * rate / self.SLACK)


class FakeTelegram(PaymentsAndInline):
    """A fake Bot API server plus the test-side controls; see the module docstring."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.messages: dict[int, dict[int, dict]] = {}
        self.answers: dict[str, dict] = {}
        self.flooded: list[tuple[str, int]] = []
        self.chats: dict[int, dict] = {}
        self.users: dict[int, dict] = {}
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.files: dict[str, dict] = {}
        self.admins: dict[int, set[int]] = {}  # chat id → user ids that administer it
        self.url = ""
        self._updates: list[dict] = []
        self._allowed: set[str] | None = None
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._queries: set[str] = set()
        self._floods: dict[str, list[int]] = {}
        self._limits: Limits | None = None
        self._slow: dict[str, list[float]] = {}
        self._closed: dict[int, ApiError] = {}
        self._migrated: dict[int, int] = {}
        self._poll_seq = 0
        self._stopping = False
        self._stopped = asyncio.Event()
        self._cond = asyncio.Condition()
        self._tasks: set[asyncio.Task] = set()
        self._runner: web.AppRunner | None = None
        self.webhook: dict[str, Any] | None = None  # url, secret_token, max_connections
        self.pushes: list[tuple[int, int | str]] = []  # update id, HTTP status or error
        self.push_timeout = 10.0  # seconds the fake waits for the webhook's answer
        self.push_retry = 0.1  # seconds between two deliveries that failed
        self._pushed: dict[int, dict] = {}  # confirmed updates, for redeliver()
        self._pusher: asyncio.Task | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._methods: dict[str, Callable] = {
            name.lower(): getattr(self, f"_m_{name}")
            for name in (
                "getMe",
                "deleteWebhook",
                "setWebhook",
                "getWebhookInfo",
                "getUpdates",
                "setMyCommands",
                "getMyCommands",
                "sendMessage",
                "editMessageText",
                "editMessageReplyMarkup",
                "editMessageCaption",
                "deleteMessage",
                "sendPhoto",
                "sendDocument",
                "sendVideo",
                "sendAnimation",
                "sendChatAction",
                "answerCallbackQuery",
                "getFile",
                "getChatMember",
                "sendInvoice",
                "answerPreCheckoutQuery",
                "refundStarPayment",
                "answerInlineQuery",
                "setMyDescription",
                "getMyDescription",
                "setMyShortDescription",
                "getMyShortDescription",
            )
        }
        self._names = {key: fn.__name__[3:] for key, fn in self._methods.items()}
        self._init_extras()

    # lifecycle

    async def start(self) -> str:
        """Serve on 127.0.0.1 at a random port; return the root URL."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Answer pending long polls at once, then shut the server down."""
        self._stopping = True
        self._stopped.set()
        await self._notify()
        if self._pusher:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        if self._runner:
            await self._runner.cleanup()

    # test side: chats, users and updates

    def user(
        self,
        user_id: int,
        first_name: str = "Tester",
        language_code: str | None = "en",
        username: str | None = None,
    ) -> dict:
        """A (human) User dict, remembered for private_chat()."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def private_chat(self, user_id: int) -> dict:
        """The private Chat with a user (named after fake.user() if it was made)."""
        known = self.users.get(user_id) or {"first_name": "Tester"}
        chat = {"id": user_id, "type": "private", "first_name": known["first_name"]}
        if "username" in known:
            chat["username"] = known["username"]
        return self._add_chat(chat)

    def group_chat(self, chat_id: int, title: str = "Test group") -> dict:
        """A group Chat; ids starting with -100 are supergroups."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return self._add_chat({"id": chat_id, "type": kind, "title": title})

    def send_text(
        self,
        chat: dict,
        user: dict,
        text: str,
        reply_to: int | None = None,
        as_chat: bool = False,
    ) -> dict:
        """Enqueue a user's text message (a `message` update) and return the Message.
        `as_chat`: sent by an anonymous administrator, on behalf of the group."""
        self._add_chat(chat)
        self.users.setdefault(user["id"], user)
        target = None
        if reply_to is not None:
            target = self._find(chat["id"], reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat['id']} to reply to")
        message = self._new_message(chat, ANONYMOUS_ADMIN if as_chat else user, target)
        if as_chat:
            message["sender_chat"] = copy.deepcopy(chat)
        message["text"] = text
        entities = user_entities(text)
        if entities:
            message["entities"] = entities
        self._enqueue("message", public(message))
        return public(message)

    def send_photo(
        self,
        chat: dict,
        user: dict,
        data: bytes,
        caption: str | None = None,
        reply_to: int | None = None,
        media_group_id: str | None = None,
    ) -> dict:
        """Enqueue a user's photo (stored as Telegram stores it: a thumbnail and the image,
        each a file the bot can get), with an optional caption; return the Message. Parts of
        an album share a `media_group_id`, each its own message."""
        self._add_chat(chat)
        self.users.setdefault(user["id"], user)
        target = self._find(chat["id"], reply_to) if reply_to is not None else None
        message = self._new_message(chat, user, target)
        message["photo"] = self._photo_sizes(Upload("photo.jpg", "image/jpeg", data))
        if media_group_id:
            message["media_group_id"] = media_group_id
        if caption:
            message["caption"] = caption
            entities = user_entities(caption)
            if entities:
                message["caption_entities"] = entities
        self._enqueue("message", public(message))
        return public(message)

    def send_attachment(
        self, chat: dict, user: dict, kind: str, caption: str | None = None
    ) -> dict:
        """Enqueue a user's message carrying a sticker or a voice message (`kind`), as
        Telegram describes them; return the Message."""
        self._add_chat(chat)
        self.users.setdefault(user["id"], user)
        message = self._new_message(chat, user)
        n = next(self._file_ids)
        ids = {"file_id": f"CAAC{n:06d}{secrets.token_hex(12)}", "file_unique_id": f"AgAD{n:06d}"}
        message[kind] = {**ids, **ATTACHMENTS[kind]}
        if caption:
            message["caption"] = caption
        self._enqueue("message", public(message))
        return public(message)

    def tap(
        self, chat: dict | int, user: dict, message_id: int, data: str, forged: bool = False
    ) -> str:
        """Enqueue a press of the inline button with this callback_data; return the query id.
        `forged` sends data no button has, as a modified client can."""
        chat_id = chat if isinstance(chat, int) else chat["id"]
        message = self._find(chat_id, message_id)
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to tap")
        if not forged and data not in [b.get("callback_data") for b in inline_buttons(message)]:
            raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
        query_id = str(next(self._query_ids))
        self._queries.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": public(message),
            "chat_instance": str(abs(chat_id) * 7919 + 13),
            "data": data,
        }
        self._enqueue("callback_query", query)
        return query_id

    def enforce_limits(self) -> None:
        """From now on, answer 429 as Telegram does to a bot over its limits: more than 30
        message calls in a second, more than about one a second in one chat (bursts of 3), or
        more than 20 new messages a minute in one group (with some slack for timing)."""
        self._limits = Limits()

    def flood(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 retry_after."""
        self._floods[method.lower()] = [retry_after, times]

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Carry out the next `times` calls of `method` at once but answer them only after
        `seconds`, as Telegram does with a big upload under load."""
        self._slow[method.lower()] = [seconds, times]

    def close_chat(self, chat_id: int, description: str, code: int = 403) -> None:
        """Every later call about this chat fails, e.g. 403 "Forbidden: bot was kicked from
        the group chat" or 400 "Bad Request: not enough rights to send text messages to the
        chat"."""
        self._closed[chat_id] = ApiError(description, code)

    def migrate(self, chat_id: int, new_id: int, user: dict, service_messages: bool = True) -> dict:
        """Upgrade a group to the supergroup `new_id`, as a member's action does: its history
        moves along, both chats get their service message (unless the bot is not to see
        them), and calls to the old id fail with `migrate_to_chat_id`. Returns the new Chat."""
        old = self.chats[chat_id]
        new = self._add_chat({"id": new_id, "type": "supergroup", "title": old.get("title")})
        for message_id, message in self.messages[chat_id].items():
            moved = copy.deepcopy(message)
            moved["chat"] = new
            self.messages[new_id][message_id] = moved
        self._migrated[chat_id] = new_id
        notices = [(old, "migrate_to_chat_id", new_id), (new, "migrate_from_chat_id", chat_id)]
        for chat, key, value in notices if service_messages else []:
            message = self._new_message(chat, user)
            message[key] = value
            self._enqueue("message", public(message))
        return new

    # test side: reading back

    def bot_messages(self, chat_id: int) -> list[dict]:
        """Stored messages the bot sent to a chat, in order, deleted ones included."""
        stored = self.messages.get(chat_id, {}).values()
        return [m for m in stored if m["from"]["id"] == BOT_ID]

    def _live(self, chat_id: int) -> list[dict]:
        return [m for m in self.bot_messages(chat_id) if not m["deleted"]]

    def photos(self, chat_id: int) -> list[dict]:
        """Non-deleted photo messages the bot sent to a chat, in order."""
        return [m for m in self._live(chat_id) if "photo" in m]

    def clips(self, chat_id: int) -> list[dict]:
        """Non-deleted video and animation messages the bot sent to a chat, in order."""
        return [m for m in self._live(chat_id) if "video" in m or "animation" in m]

    def texts(self, chat_id: int) -> list[str]:
        """Current texts of the bot's non-deleted text messages in a chat, in order."""
        return [m["text"] for m in self._live(chat_id) if "text" in m]

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:  # noqa: ASYNC109
        """Wait until predicate() is truthy (rechecked on every call and update); return it."""
        async with self._cond:
            try:
                async with asyncio.timeout(timeout):
                    return await self._cond.wait_for(predicate)
            except TimeoutError:
                raise AssertionError(self._timeout_report(predicate, timeout)) from None

    def _timeout_report(self, predicate: Callable, timeout: float) -> str:
        name = getattr(predicate, "__qualname__", repr(predicate))
        recent = [c for c in self.calls if c[0] != "getUpdates"][-10:]
        lines = [f"  {method} {params!r}"[:400] for method, params in recent]
        polls = sum(1 for c in self.calls if c[0] == "getUpdates")
        return (
            f"condition {name} not met within {timeout}s; {polls} getUpdates, "
            f"{len(self._updates)} undelivered updates; last calls:\n" + "\n".join(lines)
        )

    # plumbing

    def _add_chat(self, chat: dict) -> dict:
        self.chats.setdefault(chat["id"], chat)
        self.messages.setdefault(chat["id"], {})
        return self.chats[chat["id"]]

    def _find(self, chat_id: int, message_id: Any) -> dict | None:
        message = self.messages.get(chat_id, {}).get(message_id)
        return None if message is None or message["deleted"] else message

    def _new_message(self, chat: dict, sender: dict, reply_to: dict | None = None) -> dict:
        store = self.messages.setdefault(chat["id"], {})
        message: dict[str, Any] = {
            "message_id": len(store) + 1,
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = public(reply_to, nested=False)
        message["deleted"] = False
        store[message["message_id"]] = message
        return message

    def _enqueue(self, kind: str, payload: dict) -> None:
        self._updates.append({"update_id": next(self._update_ids), kind: payload})
        self._notify_soon()

    def _notify_soon(self) -> None:
        try:
            task = asyncio.get_running_loop().create_task(self._notify())
        except RuntimeError:
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return ApiError("Unauthorized", 401).response()
        asked = request.match_info["method"]
        handler = self._methods.get(asked.lower())
        name = self._names.get(asked.lower(), asked)
        try:
            params = await self._read_params(request)
        except ApiError as error:
            return error.response()
        self.calls.append((name, params))
        await self._notify()
        try:
            if handler is None:
                raise ApiError("Not Found", 404)
            self._check_flood(name)
            if self._limits is not None:
                self._limits.check(name, params.get("chat_id"), self.flooded)
            self._check_chat(params)
            result = await handler(params)
            await self._answer_slowly(name)
            return web.json_response({"ok": True, "result": result})
        except ApiError as error:
            return error.response()
        finally:
            await self._notify()

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        if (request.content_length or 0) > MAX_REQUEST_BYTES:
            raise ApiError("Request Entity Too Large", 413)
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            raw.update(body if isinstance(body, dict) else {})
        elif request.content_type == "multipart/form-data":
            raw.update(await self._read_multipart(request))
        elif request.can_read_body:
            raw.update(await request.post())
        return {name: decode_param(name, value) for name, value in raw.items()}

    async def _read_multipart(self, request: web.Request) -> dict[str, Any]:
        found: dict[str, Any] = {}
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                found[part.name] = await part.text()
            else:
                content_type = part.headers.get(hdrs.CONTENT_TYPE, "")
                found[part.name] = Upload(part.filename, content_type, bytes(await part.read()))
        return found

    def _check_chat(self, params: dict) -> None:
        chat_id = params.get("chat_id")
        if chat_id in self._migrated:
            raise ApiError(MIGRATED, 400, {"migrate_to_chat_id": self._migrated[chat_id]})
        if chat_id in self._closed:
            raise self._closed[chat_id]

    async def _answer_slowly(self, name: str) -> None:
        slow = self._slow.get(name.lower())
        if not slow or slow[1] <= 0:
            return
        slow[1] -= 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), slow[0])

    def _check_flood(self, name: str) -> None:
        flood = self._floods.get(name.lower())
        if not flood or flood[1] <= 0:
            return
        flood[1] -= 1
        self.flooded.append((name, flood[0]))
        raise ApiError(f"Too Many Requests: retry after {flood[0]}", 429, {"retry_after": flood[0]})

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        found = [f for f in self.files.values() if f["file_path"] == path]
        if request.match_info["token"] != TOKEN or not found:
            return ApiError("Not Found", 404).response()
        return web.Response(body=found[0]["data"], content_type="application/octet-stream")

    # shared validation

    def _chat(self, params: dict) -> dict:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad("chat_id is empty")
        if chat_id not in self.chats:
            raise bad("chat not found")
        return self.chats[chat_id]

    def _formatted(self, params: dict, key: str, entities_key: str) -> tuple[str, list[dict]]:
        text = str(params.get(key) or "")
        if str(params.get("parse_mode") or "").upper() == "HTML":
            text, entities = parse_html(text)
            return text, [self._mention(entity) for entity in entities]
        return text, list(params.get(entities_key) or [])

    def _mention(self, entity: dict) -> dict:
        """A text_mention carries the full User; one the bot never met stays a plain link."""
        if entity["type"] != "text_mention":
            return entity
        user_id = entity["user"]["id"]
        if user_id in self.users:
            return {**entity, "user": self.users[user_id]}
        url = f"tg://user?id={user_id}"
        return {
            "type": "text_link",
            "offset": entity["offset"],
            "length": entity["length"],
            "url": url,
        }

    def _markup(self, params: dict) -> dict | None:
        markup = params.get("reply_markup")
        if not markup:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None
        for button in (b for row in rows for b in row):
            if not BUTTON_ACTIONS & button.keys():
                raise bad("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad("BUTTON_DATA_INVALID")
        return {"inline_keyboard": rows}

    def _reply_target(self, chat: dict, params: dict) -> dict | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        allow = reply.get("allow_sending_without_reply", params.get("allow_sending_without_reply"))
        target = self._find(chat["id"], message_id)
        if target is None and not allow:
            raise bad("message to be replied not found")
        return target

    def _caption(self, params: dict) -> tuple[str, list[dict]]:
        caption, entities = self._formatted(params, "caption", "caption_entities")
        if len(caption) > MAX_CAPTION:
            raise bad("message caption is too long")
        return caption, entities

    def _send(self, params: dict, fill: Callable[[dict], None]) -> dict:
        chat = self._chat(params)
        markup = self._markup(params)
        target = self._reply_target(chat, params)
        content: dict[str, Any] = {}
        fill(content)
        message = self._new_message(chat, BOT_USER, target)
        message.update(content)
        if markup:
            message["reply_markup"] = markup
        return public(message)

    def _editable(self, params: dict) -> dict:
        if params.get("inline_message_id"):
            raise bad("inline messages are not supported by the fake")
        chat = self._chat(params)
        if params.get("message_id") is None:
            raise bad("message identifier is not specified")
        message = self._find(chat["id"], params["message_id"])
        if message is None:
            raise bad("message to edit not found")
        if message["from"]["id"] != BOT_ID:
            raise bad("message can't be edited")
        return message

    def _apply_edit(self, message: dict, changes: dict, markup: dict | None) -> dict:
        current = {key: message.get(key) for key in changes}
        if current == changes and message.get("reply_markup") == markup:
            raise bad(NOT_MODIFIED)
        for key, value in changes.items():
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        return public(message)

    # files

    def _add_file(self, data: bytes, folder: str, ext: str, **extra: Any) -> dict:
        n = next(self._file_ids)
        info = {
            "file_id": f"AgAC{n:06d}{secrets.token_hex(12)}",
            "file_unique_id": f"AQAD{n:06d}",
            "file_size": len(data),
            "file_path": f"{folder}/file_{n}{ext}",
            "data": data,
            **extra,
        }
        self.files[info["file_id"]] = info
        return info

    def _photo_sizes(self, upload: Upload) -> list[dict]:
        width, height, thumb = image_size(upload.data)
        sizes = []
        if thumb is not None:
            with Image.open(io.BytesIO(thumb)) as small:
                sizes.append(self._add_file(thumb, "photos", ".jpg", size=small.size))
        sizes.append(self._add_file(upload.data, "photos", ".jpg", size=(width, height)))
        photo = [
            {
                "file_id": f["file_id"],
                "file_unique_id": f["file_unique_id"],
                "width": f["size"][0],
                "height": f["size"][1],
                "file_size": f["file_size"],
            }
            for f in sizes
        ]
        for f in sizes:
            f.update(kind="photo", photo=photo, original=upload.data)
        return photo

    def _known_file(self, value: Any, params: dict, kind: str) -> dict:
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if not isinstance(value, str) or value not in self.files:
            raise bad("wrong file identifier/HTTP URL specified")
        info = self.files[value]
        if info["kind"] != kind:
            raise bad("type of file mismatch")
        return info

    # Bot API methods

    async def _m_getChatMember(self, params: dict) -> dict:
        chat = self._chat(params)
        user_id = int(params["user_id"])
        user = self.users.get(user_id)
        if user is None:
            raise ApiError("Bad Request: user not found")
        if chat["type"] == "private":
            status = "member"
        else:
            status = "administrator" if user_id in self.admins.get(chat["id"], set()) else "member"
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        return member

    async def _m_getMe(self, params: dict) -> dict:
        return dict(ME)

    async def _m_deleteWebhook(self, params: dict) -> bool:
        self.webhook = None  # the pusher ends after the delivery under way, if any
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _m_setWebhook(self, params: dict) -> bool:
        url = str(params.get("url") or "")
        if not url:  # "Use an empty string to remove webhook integration"
            return await self._m_deleteWebhook(params)
        parts = urlsplit(url)
        if parts.hostname not in LOOPBACK or parts.scheme not in ("http", "https"):
            if parts.scheme != "https" or not parts.hostname:
                raise bad("bad webhook: HTTPS url must be provided for webhook")
            if (parts.port or 443) not in WEBHOOK_PORTS:
                raise bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token") or None
        if secret is not None and not SECRET_RE.fullmatch(str(secret)):
            raise bad("secret token contains unallowed characters")
        connections = int(params.get("max_connections") or 40)
        if not 1 <= connections <= 100:
            raise bad("max_connections must be between 1 and 100")
        if params.get("allowed_updates") is not None:
            self._allowed = set(params["allowed_updates"]) or None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": url, "secret_token": secret, "max_connections": connections}
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push_updates())
        return True

    async def _m_getWebhookInfo(self, params: dict) -> dict:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._deliverable()),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self._allowed is not None:
                info["allowed_updates"] = sorted(self._allowed)
        if self._webhook_error:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def redeliver(self, update_id: int) -> None:
        """Push again an update the webhook already confirmed, as Telegram does when the
        bot's answer got lost on the way."""
        self._updates.insert(0, copy.deepcopy(self._pushed[update_id]))
        self._notify_soon()

    async def _push_updates(self) -> None:
        def ready() -> bool:
            return self._stopping or self.webhook is None or bool(self._deliverable())

        async with ClientSession() as session:
            while True:
                async with self._cond:
                    await self._cond.wait_for(ready)
                if self._stopping or self.webhook is None:
                    return
                update = self._deliverable()[0]
                if await self._push(session, self.webhook, update):
                    self._updates = [u for u in self._updates if u is not update]
                    self._pushed[update["update_id"]] = update
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopped.wait(), self.push_retry)
                await self._notify()

    async def _push(self, session: ClientSession, webhook: dict, update: dict) -> bool:
        """One delivery of `update`, noted in `pushes`; True if the webhook confirmed it."""
        headers = {SECRET_HEADER: webhook["secret_token"]} if webhook["secret_token"] else {}
        timeout = ClientTimeout(total=self.push_timeout)
        try:
            if urlsplit(webhook["url"]).hostname not in LOOPBACK:
                raise ConnectionError("the fake Bot API delivers only to 127.0.0.1")
            async with session.post(
                webhook["url"], json=update, headers=headers, timeout=timeout
            ) as response:
                outcome: int | str = response.status
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            outcome = error = "Read timeout expired"
        except ClientConnectorError:
            outcome = error = "Connection refused"
        except (ClientError, ConnectionError) as exc:
            outcome = error = str(exc) or type(exc).__name__
        self.pushes.append((update["update_id"], outcome))
        if isinstance(outcome, int) and 200 <= outcome < 300:
            return True
        self._webhook_error = (int(time.time()), error)
        return False

    async def _m_getUpdates(self, params: dict) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(WEBHOOK_CONFLICT, 409)
        self._confirm(params.get("offset"))
        if params.get("allowed_updates") is not None:
            self._allowed = set(params["allowed_updates"]) or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        self._poll_seq += 1
        me = self._poll_seq
        await self._notify()
        if timeout > 0 and not self._deliverable():
            await self._long_poll(me, timeout)
        if self._poll_seq != me:
            raise ApiError(CONFLICT, 409)
        return copy.deepcopy(self._deliverable()[:limit])

    async def _long_poll(self, me: int, seconds: float) -> None:
        def done() -> bool:
            return bool(self._deliverable()) or self._stopping or self._poll_seq != me

        async with self._cond:
            try:
                async with asyncio.timeout(seconds):
                    await self._cond.wait_for(done)
            except TimeoutError:
                pass

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _deliverable(self) -> list[dict]:
        if self._allowed is not None:
            self._updates = [u for u in self._updates if self._allowed & u.keys()]
        return self._updates

    async def _m_setMyCommands(self, params: dict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad("can't parse commands JSON object")
        for command in commands:
            if not BOT_COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise bad("BOT_COMMAND_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getMyCommands(self, params: dict) -> list[dict]:
        return self.commands.get(self._commands_key(params), [])

    def _commands_key(self, params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _m_sendMessage(self, params: dict) -> dict:
        text, entities = self._formatted(params, "text", "entities")
        if not text.strip():
            raise bad("message text is empty")
        if len(text) > MAX_TEXT:
            raise bad("message is too long")

        def fill(content: dict) -> None:
            content["text"] = text
            if entities:
                content["entities"] = entities

        return self._send(params, fill)

    async def _m_sendPhoto(self, params: dict) -> dict:
        caption, entities = self._caption(params)
        photo = params.get("photo")
        if photo in (None, ""):
            raise bad("there is no photo in the request")

        def fill(content: dict) -> None:
            if isinstance(photo, Upload):
                content["photo"] = self._photo_sizes(photo)
                content["photo_bytes"] = photo.data
            else:
                info = self._known_file(photo, params, "photo")
                content["photo"] = copy.deepcopy(info["photo"])
                content["photo_bytes"] = info["original"]
            if caption:
                content["caption"] = caption
            if entities:
                content["caption_entities"] = entities

        return self._send(params, fill)

    async def _m_sendDocument(self, params: dict) -> dict:
        caption, entities = self._caption(params)
        document = params.get("document")
        if document in (None, ""):
            raise bad("there is no document in the request")

        def fill(content: dict) -> None:
            if isinstance(document, Upload):
                info = self._new_document(document)
            else:
                info = self._known_file(document, params, "document")
            content["document"] = {
                key: info[key]
                for key in ("file_name", "mime_type", "file_id", "file_unique_id", "file_size")
            }
            content["document_bytes"] = info["data"]
            if caption:
                content["caption"] = caption
            if entities:
                content["caption_entities"] = entities

        return self._send(params, fill)

    async def _m_sendVideo(self, params: dict) -> dict:
        return self._send_clip(params, "video", "video/mp4")

    async def _m_sendAnimation(self, params: dict) -> dict:
        return self._send_clip(params, "animation", "image/gif")

    def _send_clip(self, params: dict, kind: str, default_type: str) -> dict:
        """A video or an animation (GIF or soundless MP4). Telegram reads width, height and
        duration from the file where the call does not give them: here they are 0. An
        animation's message also carries it as `document`, as the Bot API does."""
        caption, entities = self._caption(params)
        clip = params.get(kind)
        if clip in (None, ""):
            raise bad(f"there is no {kind} in the request")
        if isinstance(clip, Upload):
            if not clip.data:
                raise bad("file must be non-empty")
            mime = mimetypes.guess_type(clip.filename)[0] or clip.content_type or default_type
            info = self._add_file(
                clip.data,
                "videos" if kind == "video" else "animations",
                mimetypes.guess_extension(mime) or "",
                kind=kind,
                file_name=clip.filename,
                mime_type=mime,
            )
        else:
            info = self._known_file(clip, params, kind)
        sizes = {key: int(params.get(key) or 0) for key in ("width", "height", "duration")}

        def fill(content: dict) -> None:
            content[kind] = {
                **{key: info[key] for key in ("file_id", "file_unique_id", "file_size")},
                **sizes,
                "mime_type": info["mime_type"],
                "file_name": info["file_name"],
            }
            if kind == "animation":
                content["document"] = {
                    key: content[kind][key]
                    for key in ("file_id", "file_unique_id", "file_size", "mime_type", "file_name")
                }
            content[f"{kind}_bytes"] = info["data"]
            if caption:
                content["caption"] = caption
            if entities:
                content["caption_entities"] = entities

        return self._send(params, fill)

    def _new_document(self, upload: Upload) -> dict:
        if not upload.data:
            raise bad("file must be non-empty")
        guessed = mimetypes.guess_type(upload.filename)[0]
        mime = guessed or upload.content_type or "application/octet-stream"
        ext = mimetypes.guess_extension(mime) or ""
        return self._add_file(
            upload.data,
            "documents",
            ext,
            kind="document",
            file_name=upload.filename,
            mime_type=mime,
        )

    async def _m_sendChatAction(self, params: dict) -> bool:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        return True

    async def _m_editMessageText(self, params: dict) -> dict:
        message = self._editable(params)
        if "text" not in message:
            raise bad("there is no text in the message to edit")
        text, entities = self._formatted(params, "text", "entities")
        if not text.strip():
            raise bad("message text is empty")
        if len(text) > MAX_TEXT:
            raise bad("message is too long")
        changes = {"text": text, "entities": entities or None}
        return self._apply_edit(message, changes, self._markup(params))

    async def _m_editMessageCaption(self, params: dict) -> dict:
        message = self._editable(params)
        if "photo" not in message and "document" not in message:
            raise bad("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        changes = {"caption": caption or None, "caption_entities": entities or None}
        return self._apply_edit(message, changes, self._markup(params))

    async def _m_editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._editable(params)
        return self._apply_edit(message, {}, self._markup(params))

    async def _m_deleteMessage(self, params: dict) -> bool:
        chat = self._chat(params)
        message = self._find(chat["id"], params.get("message_id"))
        if message is None:
            raise bad("message to delete not found")
        message["deleted"] = True
        return True

    async def _m_answerCallbackQuery(self, params: dict) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._queries or query_id in self.answers:
            raise bad(QUERY_TOO_OLD)
        if len(str(params.get("text") or "")) > MAX_ANSWER_TEXT:
            raise bad("MESSAGE_TOO_LONG")
        self.answers[query_id] = params
        return True

    async def _m_getFile(self, params: dict) -> dict:
        info = self.files.get(str(params.get("file_id") or ""))
        if info is None:
            raise bad("invalid file_id")
        return {key: info[key] for key in ("file_id", "file_unique_id", "file_size", "file_path")}

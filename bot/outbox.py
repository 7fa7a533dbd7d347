"""The one way out to Telegram: every message sent, edited or deleted waits its turn here.

python-telegram-bot hands each Bot API request to its rate limiter; this one queues the
requests that post, edit or delete messages by priority (results and failure notices, then
first status messages and answers to commands, then progress edits, then clean-up) and lets
them go within Telegram's limits: about 30 a second in all, about one a second per chat
(bursts of three allowed), and 20 new messages a minute per group. Requests about the same
message (`Send.key`) go one at a time, in order; a queued progress edit is dropped when a
newer request for its message comes (`Superseded`). A 429 pauses its chat (everything, for a
request about no chat) for exactly `retry_after`, then the request goes again. Other requests
(callback answers, getUpdates, getChatMember, …) pass straight through: Telegram wants
callback answers within seconds.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.limits import Bucket, Window

log = logging.getLogger(__name__)

MESSAGE_METHODS = frozenset(
    {
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
        "deleteMessages",
    }
)
NEW_MESSAGE_PREFIXES = ("send", "copy", "forward")
GLOBAL_LIMIT = (30, 1.0)  # at most 30 calls in any second, in bursts of at most a third
CHAT_LIMIT = (3, 1.0)  # calls in one chat: bursts of 3, then one a second
GROUP_LIMIT = (20, 20 / 60)  # new messages in one group: bursts of 20, then 20 a minute
MAX_RETRIES = 10  # 429s for one request before it fails
# Room that progress edits leave free, so that a result never waits for them.
GLOBAL_RESERVE = 10
CHAT_RESERVE = 1


class Priority(IntEnum):
    RESULT = 1  # results and failure notices
    ANNOUNCE = 2  # first status messages, answers to commands
    PROGRESS = 3
    CLEANUP = 4


@dataclass(frozen=True)
class Send:
    """What the caller says of a request (PTB's `rate_limit_args`)."""

    priority: Priority = Priority.ANNOUNCE
    key: Hashable | None = None  # the message it is about: one request at a time, in order
    replaceable: bool = False  # dropped, unsent, when a newer request with the key comes


DEFAULT = Send()


class Superseded(Exception):
    """A queued request replaced by a newer one for the same message before it was sent."""


@dataclass(order=True)
class Ticket:
    priority: int
    seq: int
    send: Send = field(compare=False)
    chat: int | str | None = field(compare=False)
    new_message: bool = field(compare=False)
    turn: asyncio.Future[None] = field(compare=False)


def is_group(chat: int | str) -> bool:
    """Negative ids are groups and channels; a string is a channel's or supergroup's @name."""
    return isinstance(chat, str) or chat < 0


class Outbox(BaseRateLimiter[Send]):
    def __init__(
        self,
        *,
        global_limit: tuple[int, float] = GLOBAL_LIMIT,
        chat_limit: tuple[int, float] = CHAT_LIMIT,
        group_limit: tuple[int, float] = GROUP_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """The limits are Telegram's; tests pass faster ones."""
        self.clock = clock
        self.chat_limit = chat_limit
        self.group_limit = group_limit
        self._global = Window(*global_limit)
        # Spread out as well: requests reach Telegram with some jitter, so bursts of 30
        # spaced a second apart can arrive closer than that.
        count, seconds = global_limit
        self._pace = Bucket(max(1, count // 3), count / seconds)
        self._chats: dict[int | str, Bucket] = {}
        self._groups: dict[int | str, Bucket] = {}  # new messages per group
        self._paused: dict[int | str | None, float] = {}  # chat (None: all) → until when
        self._waiting: list[Ticket] = []  # by priority, then age
        self._queued: dict[Hashable, deque[Ticket]] = {}  # key → its waiting requests, in order
        self._busy: dict[Hashable, Ticket] = {}  # key → the request in flight about it
        self._tidied_at = 0.0
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        """Nothing: the dispatcher starts with the first message (a bot whose start fails
        before then leaves no task behind)."""

    async def shutdown(self) -> None:
        if self._dispatcher:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        for ticket in self._waiting:
            if not ticket.turn.done():
                ticket.turn.set_exception(RuntimeError("the bot is stopping"))
        self._waiting.clear()
        self._queued.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Send | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in MESSAGE_METHODS:
            return await callback(*args, **kwargs)
        send = rate_limit_args or DEFAULT
        chat = _chat_of(data.get("chat_id"))
        new_message = endpoint.startswith(NEW_MESSAGE_PREFIXES)
        attempt = 0
        while True:
            ticket = await self._turn(send, chat, new_message)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                attempt += 1
                if attempt > MAX_RETRIES:
                    raise
                # PTB 22 deprecates the public `retry_after`; its own limiter reads this.
                self._pause(chat, exc._retry_after.total_seconds())
            finally:
                self._done(ticket)

    async def _turn(self, send: Send, chat: int | str | None, new_message: bool) -> Ticket:
        """Wait until this request may go; Superseded if a newer one replaced it."""
        if send.key is not None:
            for old in list(self._queued.get(send.key, ())):
                if old.send.replaceable:
                    self._unqueue(old)
                    old.turn.set_exception(Superseded())
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        ticket = Ticket(send.priority, next(self._seq), send, chat, new_message, future)
        bisect.insort(self._waiting, ticket)
        if send.key is not None:
            self._queued.setdefault(send.key, deque()).append(ticket)
        self._wake.set()
        if self._dispatcher is None:
            self._dispatcher = asyncio.create_task(self._dispatch(), name="outbox")
        try:
            await ticket.turn
        except BaseException:  # superseded, or the caller cancelled
            self._unqueue(ticket)
            self._done(ticket)
            raise
        return ticket

    def _unqueue(self, ticket: Ticket) -> None:
        """Take a waiting request off the queue (again a no-op once done)."""
        at = bisect.bisect_left(self._waiting, ticket)
        if at < len(self._waiting) and self._waiting[at] is ticket:
            del self._waiting[at]
        key = ticket.send.key
        queued = self._queued.get(key) if key is not None else None
        if queued is not None and ticket in queued:
            queued.remove(ticket)
            if not queued:
                del self._queued[key]

    def _done(self, ticket: Ticket) -> None:
        """The request of `ticket` is no longer in flight: the next about its message may go."""
        key = ticket.send.key
        if key is not None and self._busy.get(key) is ticket:
            del self._busy[key]
            self._wake.set()

    def _pause(self, chat: int | str | None, seconds: float) -> None:
        until = self.clock() + seconds
        self._paused[chat] = max(self._paused.get(chat, 0.0), until)
        log.info("Telegram flood control: %s waits %.1f s", chat or "every chat", seconds)

    def _free_at(self, ticket: Ticket, now: float) -> float:
        if ticket.send.key is not None and ticket.send.key in self._busy:
            return float("inf")  # the request before it is in flight: it wakes us when done
        times = [self._paused.get(None, 0.0)]
        minor = ticket.priority == Priority.PROGRESS
        for window in self._windows(ticket):
            reserve = (GLOBAL_RESERVE if window is self._global else CHAT_RESERVE) if minor else 0
            times.append(window.free_at(now, reserve))
        if ticket.chat is not None:
            times.append(self._paused.get(ticket.chat, 0.0))
        return max(times)

    def _windows(self, ticket: Ticket) -> list[Window | Bucket]:
        """The limits a request counts against."""
        windows: list[Window | Bucket] = [self._global, self._pace]
        if ticket.chat is not None:
            windows.append(_bucket(self._chats, ticket.chat, self.chat_limit))
            if ticket.new_message and is_group(ticket.chat):
                windows.append(_bucket(self._groups, ticket.chat, self.group_limit))
        return windows

    async def _dispatch(self) -> None:
        while True:
            now = self.clock()
            ticket, soonest = self._next(now)
            if ticket is not None:
                self._release(ticket, now)
                continue
            if now - self._tidied_at > 1.0:
                self._forget_idle_chats(now)
            self._wake.clear()
            timeout = None if soonest == float("inf") else soonest - now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    def _next(self, now: float) -> tuple[Ticket | None, float]:
        """The first request in order that may go now, or None and when one may.

        The limits every request shares are asked first, so that while they are full the
        queue is not walked; progress edits, which must leave room, are skipped as a block
        while there is none.
        """
        shared = max(
            self._paused.get(None, 0.0), self._global.free_at(now), self._pace.free_at(now)
        )
        if shared > now:
            return None, shared
        minor = max(
            self._global.free_at(now, GLOBAL_RESERVE), self._pace.free_at(now, CHAT_RESERVE)
        )
        soonest = float("inf")
        place = 0
        while place < len(self._waiting):
            ticket = self._waiting[place]
            place += 1
            if ticket.priority == Priority.PROGRESS and minor > now:
                soonest = min(soonest, minor)
                place = bisect.bisect_left(self._waiting, Priority.CLEANUP, key=by_priority)
                continue
            key = ticket.send.key
            if key is not None and (key in self._busy or self._queued[key][0] is not ticket):
                continue  # the request before it goes first; its end wakes us
            at = self._free_at(ticket, now)
            if at <= now:
                return ticket, now
            soonest = min(soonest, at)
        return None, soonest

    def _release(self, ticket: Ticket, now: float) -> None:
        self._unqueue(ticket)
        for window in self._windows(ticket):
            window.take(now)
        if ticket.send.key is not None:
            self._busy[ticket.send.key] = ticket
        ticket.turn.set_result(None)

    def _forget_idle_chats(self, now: float) -> None:
        self._tidied_at = now
        for windows in (self._chats, self._groups):
            for chat in [c for c, bucket in windows.items() if bucket.idle(now)]:
                del windows[chat]
        for chat in [c for c, until in self._paused.items() if until <= now]:
            del self._paused[chat]


def by_priority(ticket: Ticket) -> int:
    return ticket.priority


def _bucket(buckets: dict[int | str, Bucket], chat: int | str, limit: tuple[int, float]) -> Bucket:
    bucket = buckets.get(chat)
    if bucket is None:
        bucket = buckets[chat] = Bucket(*limit)
    return bucket


def _chat_of(value: Any) -> int | str | None:
    if value is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(value)
    return str(value)

"""The two shapes of a rate limit the outbox keeps: a sliding window and a token bucket.

Both answer when one more send fits (`free_at`), optionally leaving `reserve` sends free for
more urgent requests, and count a send (`take`). Times are the caller's clock, in seconds.
"""

from __future__ import annotations

from collections import deque


class Window:
    """At most `count` sends in any `seconds` long window."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count = count
        self.seconds = seconds
        self.sent: deque[float] = deque()

    def free_at(self, now: float, reserve: int = 0) -> float:
        """When one more send fits and still leaves `reserve` sends free (as far as the
        window allows: at least one send always fits)."""
        reserve = min(reserve, self.count - 1)
        while self.sent and self.sent[0] <= now - self.seconds:
            self.sent.popleft()
        over = len(self.sent) - (self.count - reserve - 1)
        return now if over <= 0 else self.sent[over - 1] + self.seconds

    def take(self, now: float) -> None:
        self.sent.append(now)


class Bucket:
    """A token bucket: bursts of `size` sends, then `rate` sends a second."""

    def __init__(self, size: int, rate: float) -> None:
        self.size = size
        self.rate = rate
        self.tokens = float(size)
        self.at = 0.0  # when `tokens` was counted

    def _fill(self, now: float) -> None:
        self.tokens = min(self.size, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def free_at(self, now: float, reserve: int = 0) -> float:
        """When one more send fits and still leaves `reserve` sends free (as far as the
        bucket allows: at least one send always fits)."""
        reserve = min(reserve, self.size - 1)
        self._fill(now)
        missing = 1 + reserve - self.tokens
        return now if missing <= 0 else now + missing / self.rate

    def take(self, now: float) -> None:
        self._fill(now)
        self.tokens -= 1

    def idle(self, now: float) -> bool:
        self._fill(now)
        return self.tokens >= self.size

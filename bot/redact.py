"""Secrets out of every output: the bot token and the provider key become ***.

httpx and PTB can log Bot API URLs (`/bot<token>/method`), and PTB puts the token in some
exception messages, so the final text of each log record is scrubbed, tracebacks included.
Matching ignores case: PTB lowercases the Bot API's error texts ("Bad Request: ...").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        ordered = sorted({s for s in secrets if s}, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        )

    def __call__(self, text: str) -> str:
        return self.pattern.sub("***", text) if self.pattern else text


class RedactingFormatter(logging.Formatter):
    """Formats with another formatter, then scrubs the result."""

    def __init__(self, inner: logging.Formatter, redact: Redactor) -> None:
        super().__init__()
        self.inner = inner
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.inner.format(record))


def redact_logs(redact: Redactor) -> None:
    """Scrub what every handler of the root logger writes."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(handler.formatter or logging.Formatter(), redact))

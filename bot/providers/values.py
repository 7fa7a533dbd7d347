"""Readers for the fields of a provider's JSON, whose types cannot be trusted.

Each takes any JSON value and never raises: a field of the wrong type reads as absent, so
that one odd answer cannot break the parsing of a task (or of a whole batch of them).
"""

from __future__ import annotations

import math
from typing import Any


def text(value: Any) -> str:
    """A string field; anything else is ""."""
    return value if isinstance(value, str) else ""


def ident(value: Any) -> str | None:
    """A task or image id: a non-empty string, or an integer (AGICTO's ids are numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def url(value: Any) -> str | None:
    """An http(s) URL; anything else is None."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    return None


def urls(value: Any) -> tuple[str, ...]:
    """The http(s) URLs of a list; other items are left out."""
    return tuple(u for u in map(url, value) if u) if isinstance(value, list) else ()


def mapping(value: Any) -> dict[str, Any]:
    """An object field; anything else is {}."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """An array field; anything else is []."""
    return value if isinstance(value, list) else []


def progress(value: Any) -> int:
    """'45%', '45', 45, 45.0 → 45, within 0–100; anything else (incl. inf, NaN) is 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):  # may be too big for a float: 1 followed by 400 zeros
        return max(0, min(100, value))
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            return 0
    if not isinstance(value, float) or not math.isfinite(value):
        return 0
    return max(0, min(100, int(value)))

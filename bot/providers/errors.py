"""Why a provider call gave no usable answer, in terms common to every provider."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    AUTH = "auth"  # bad or missing API key
    BALANCE = "balance"  # no balance or quota left
    MODERATION = "moderation"  # prompt or image refused
    INVALID = "invalid"  # the request itself is wrong (bad parameter, unknown task, …)
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # 5xx, timeout, garbage: the provider is not answering well
    FAILED = "failed"  # the task ran and failed
    UNSUPPORTED = "unsupported"  # this provider cannot do what was asked

    @property
    def transient(self) -> bool:
        return self in (ErrorKind.RATE_LIMITED, ErrorKind.UNAVAILABLE)


class ProviderError(Exception):
    """A provider call that did not give a usable answer.

    `maybe_done` is True when the request reached the provider and may have been carried
    out (a timeout while reading, a 5xx, an unreadable body): a submit that ends like this
    must not be repeated, or the person could pay twice.
    """

    def __init__(self, kind: ErrorKind, detail: str, *, maybe_done: bool = False) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.maybe_done = maybe_done

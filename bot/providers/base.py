"""What every provider adapter offers the rest of the bot, and the HTTP plumbing they share."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

import httpx

from bot.domain import Action, Button

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 50 * 1024 * 1024


class TaskState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    MODAL = "modal"  # the provider waits for a mask or prompt
    SUCCESS = "success"
    FAILURE = "failure"

    @property
    def is_final(self) -> bool:
        return self in (TaskState.SUCCESS, TaskState.FAILURE)


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


class Capability(StrEnum):
    DESCRIBE = "describe"
    BLEND = "blend"
    VIDEO = "video"
    VARY_REGION = "vary_region"
    CUSTOM_ZOOM = "custom_zoom"
    BATCH_FETCH = "batch_fetch"
    WEBHOOK = "webhook"


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


@dataclass(frozen=True)
class TaskSnapshot:
    """A provider task as the bot sees it, whatever the provider's JSON looked like."""

    task_id: str
    state: TaskState
    progress: int = 0  # 0–100
    image_url: str | None = None  # the image to post: the grid, or the single upscaled image
    image_urls: tuple[str, ...] = ()  # the four tiles, where the provider gives them
    buttons: tuple[Button, ...] = ()  # the next actions the provider offers, in its order
    fail_reason: str | None = None
    error_kind: ErrorKind | None = None  # why it failed, in common terms


def parse_progress(value: Any) -> int:
    """'45%', '45', 45, 45.0, '' or None → 0–100."""
    if value is None or value == "":
        return 0
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        return 0
    return max(0, min(100, int(number)))


MODERATION_HINTS = (
    "banned",
    "moderat",
    "violat",
    "sensitive",
    "community standards",
    "forbidden",
    "敏感",
)


def classify_failure(reason: str | None) -> ErrorKind:
    """The kind of a failed task from the provider's free-text reason."""
    text = (reason or "").lower()
    if any(hint in text for hint in MODERATION_HINTS):
        return ErrorKind.MODERATION
    if "balance" in text or "quota" in text or "insufficient" in text:
        return ErrorKind.BALANCE
    return ErrorKind.FAILED


class Provider:
    """Base class of the adapters: one instance per bot, one shared HTTP client.

    Subclasses set the class attributes and implement `imagine`, `act` and `fetch`;
    `fetch_many` is overridden where the provider has a batch query.
    """

    name: ClassVar[str]
    default_url: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    batch_size: ClassVar[int] = 1  # most task ids one fetch_many call asks for
    concurrency: ClassVar[int] = 4  # most requests in flight to this provider at once

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        mode: str = "fast",
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.mode = mode
        self._api_key = api_key
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=self.auth_headers(api_key),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        )

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    async def imagine(self, prompt: str) -> str:
        """Submit a prompt; returns the provider's task id."""
        raise NotImplementedError

    async def act(self, parent_task_id: str, button: Button) -> str:
        """Start the follow-up `button` on a finished task; returns the new task id."""
        raise NotImplementedError

    async def fetch(self, task_id: str) -> TaskSnapshot:
        raise NotImplementedError

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        """Snapshots of several tasks. Tasks the provider does not know are left out."""
        results = await asyncio.gather(*(self.fetch(t) for t in task_ids), return_exceptions=True)
        snapshots = []
        for result in results:
            if isinstance(result, TaskSnapshot):
                snapshots.append(result)
            elif isinstance(result, ProviderError) and result.kind is ErrorKind.INVALID:
                continue
            elif isinstance(result, BaseException):
                raise result
        return snapshots

    def supports(self, action: Action) -> bool:
        """Whether a tap can run `action` here as a plain follow-up job. Actions that need a
        mask or a new prompt are not offered as taps yet, whatever the capabilities say."""
        return action.runnable

    async def download(self, url: str, limit: int = MAX_IMAGE_BYTES) -> bytes:
        """Fetch a result image, refusing anything over `limit` bytes."""
        try:
            async with self.http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise ProviderError(
                        ErrorKind.UNAVAILABLE, f"image download answered {response.status_code}"
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ProviderError(ErrorKind.INVALID, f"image larger than {limit} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise ProviderError(ErrorKind.UNAVAILABLE, f"image download: {exc!r}") from exc

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One HTTP call; returns (status, parsed JSON body or None when the body is empty).

        Transport failures and bodies that are not JSON become `ProviderError(UNAVAILABLE)`;
        interpreting the status and body is the adapter's job.
        """
        try:
            response = await self.http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ProviderError(ErrorKind.UNAVAILABLE, f"{method} {path}: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(
                ErrorKind.UNAVAILABLE, f"{method} {path}: {exc!r}", maybe_done=True
            ) from exc
        if not response.content.strip():
            return response.status_code, None
        try:
            return response.status_code, response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = ErrorKind.RATE_LIMITED if response.status_code == 429 else ErrorKind.UNAVAILABLE
            raise ProviderError(
                kind,
                f"{method} {path}: HTTP {response.status_code}, body is not JSON: "
                f"{response.text[:120]!r}",
                maybe_done=response.status_code != 429,
            ) from None

    def http_error(self, status: int, detail: str, kind: ErrorKind | None = None) -> ProviderError:
        """An error for an HTTP answer; a 5xx other than 503 may have been carried out."""
        return ProviderError(
            kind or self.kind_for_status(status),
            self.scrub(f"HTTP {status}: {detail}"),
            maybe_done=status >= 500 and status != 503,
        )

    def unexpected_answer(self, status: int, body: Any) -> ProviderError:
        """A success status with nothing usable in it: the request may have been carried out."""
        detail = f"HTTP {status}: unexpected answer {str(body)[:200]!r}"
        return ProviderError(ErrorKind.UNAVAILABLE, self.scrub(detail), maybe_done=True)

    def scrub(self, text: str) -> str:
        """Providers may echo what they were sent: the key never goes into an error."""
        return text.replace(self._api_key, "***") if self._api_key else text

    @staticmethod
    def kind_for_status(status: int) -> ErrorKind:
        """The usual meaning of an HTTP error status, for answers that say nothing better."""
        if status in (401, 403):
            return ErrorKind.AUTH
        if status == 402:
            return ErrorKind.BALANCE
        if status == 429:
            return ErrorKind.RATE_LIMITED
        if status >= 500 or status in (408, 499):
            return ErrorKind.UNAVAILABLE
        return ErrorKind.INVALID

    async def aclose(self) -> None:
        await self.http.aclose()

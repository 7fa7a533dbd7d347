"""What every provider adapter offers the rest of the bot, and the HTTP plumbing they share."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import httpx

from bot.domain import Action, Button
from bot.http import AiohttpTransport
from bot.providers import values
from bot.providers.download import ImageFetcher
from bot.providers.errors import ErrorKind, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MIN_DOWNLOAD_DEADLINE = 60.0  # seconds a whole image download may take, at least
# The capability a follow-up stands on, where it is not every provider's.
CAPABILITY_OF = {
    Action.VARY_REGION: Capability.VARY_REGION,
    Action.ZOOM_CUSTOM: Capability.CUSTOM_ZOOM,
    Action.ANIMATE_LOW: Capability.VIDEO,
    Action.ANIMATE_HIGH: Capability.VIDEO,
    Action.EXTEND_LOW: Capability.VIDEO,
    Action.EXTEND_HIGH: Capability.VIDEO,
}


def data_uri(image: bytes, content_type: str = "image/jpeg") -> str:
    """An image as a `data:` URI, the form midjourney-proxy and APIMart read base64 in."""
    return f"data:{content_type};base64,{base64.b64encode(image).decode()}"


class Provider:
    """Base class of the adapters: one instance per bot, one HTTP client for the API (with
    the key) and one for images (without it, see download.py).

    Subclasses set the class attributes and implement `imagine`, `act` and `fetch`;
    `fetch_many` is overridden where the provider has a batch query, `find_task` where it
    can find a task by the `ref` sent with its submit (Capability.RECONCILE), and
    `read_callback` where a submit can carry a URL the provider calls back
    (Capability.WEBHOOK).

    Every answer is read by `request`, the one place where the key is scrubbed from what a
    provider says: nothing derived from an answer (error details, fail reasons) carries it.
    """

    name: ClassVar[str]
    default_url: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    speeds: ClassVar[tuple[str, ...]] = ()  # modes a job may ask for (fast, relax, turbo)
    # Actions whose images go to the provider inline, as `data:` URIs; the others get URLs
    # on the bot's media route (an imagine's at the start of its prompt).
    inline_images: ClassVar[frozenset[Action]] = frozenset()
    max_blend_images: ClassVar[int] = 5  # most images one blend takes (Capability.BLEND)
    batch_size: ClassVar[int] = 1  # most task ids one fetch_many call asks for
    concurrency: ClassVar[int] = 4  # most requests in flight to this provider at once
    max_answer_bytes: ClassVar[int] = 4 * 1024 * 1024  # longer answers are not read

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        mode: str = "fast",
        timeout: float = 30.0,
        allow_private_hosts: bool = False,
        download_deadline: float | None = None,
    ) -> None:
        """`allow_private_hosts` lets images come from loopback and private addresses
        (ALLOW_PRIVATE_IMAGE_HOSTS); `download_deadline` bounds a whole image download."""
        self.base_url = base_url.rstrip("/")
        self.mode = mode
        self._api_key = api_key
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=self.auth_headers(api_key),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=AiohttpTransport(),
        )
        self.images = ImageFetcher(
            self.base_url,
            self.auth_headers(api_key),
            allow_private_hosts=allow_private_hosts,
            timeout=timeout,
            deadline=download_deadline or max(timeout, MIN_DOWNLOAD_DEADLINE),
        )

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[str] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        """Submit a prompt; returns the provider's task id. `ref` is the bot's own name for
        the job, sent along where the provider keeps it (see find_task); `hook` the URL the
        provider is to call back about the task, sent where it takes one; `speed` one of
        `speeds`, sent in the provider's mode field instead of MJ_MODE. `images`: image
        prompts as `data:image/jpeg;base64,` URIs, given only where IMAGINE is in
        `inline_images`."""
        raise NotImplementedError

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str | TaskSnapshot:
        """Ask for prompts that describe `image` (a `data:` URI where DESCRIBE is in
        `inline_images`, else a URL); returns the task id, or the finished task where the
        provider answers at once. The prompts come in `TaskSnapshot.prompts`
        (Capability.DESCRIBE)."""
        raise ProviderError(ErrorKind.UNSUPPORTED, f"{self.name} cannot describe an image")

    async def blend(
        self,
        images: Sequence[str],
        shape: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        """Blend 2–5 images (`data:` URIs where BLEND is in `inline_images`, else URLs) into
        a grid of `shape`: "2:3", "1:1" or "3:2" (Capability.BLEND). Returns the task id."""
        raise ProviderError(ErrorKind.UNSUPPORTED, f"{self.name} cannot blend images")

    async def act(
        self,
        parent_task_id: str,
        button: Button,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
        prompt: str | None = None,
        mask: str | None = None,
        image: str | None = None,
    ) -> str:
        """Start the follow-up `button` on a finished task; returns the new task id. `speed`
        as for imagine, where the provider takes a mode with a follow-up. A button that
        needs input gets it: Vary (Region) a `prompt` and a `mask` (a PNG the image's size,
        white = repaint, black = keep; a `data:image/png;base64,` URI where VARY_REGION is in
        `inline_images`, else a URL), Custom Zoom a `prompt` (with its `--zoom`), and a
        remixed variation, reroll, vary or pan the edited `prompt` (Capability.REMIX). Where
        the provider asks for the input in a second step (MODAL), the adapter takes both.
        An Animate (Capability.VIDEO) gets the parent's `prompt` and its `image` URL, for a
        provider whose video starts from an image; its result is `TaskSnapshot.video_urls`.
        A button whose `handle` is empty is the bot's own (an Animate the provider does not
        list among its buttons)."""
        raise NotImplementedError

    async def fetch(self, task_id: str) -> TaskSnapshot:
        raise NotImplementedError

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        """Snapshots of several tasks. Tasks the provider does not know are left out, and so
        are tasks whose answer failed while others succeeded (one bad task must not hold
        back the rest); when none could be read, the first such error is raised."""
        results = await asyncio.gather(*(self.fetch(t) for t in task_ids), return_exceptions=True)
        snapshots = [r for r in results if isinstance(r, TaskSnapshot)]
        errors: list[ProviderError] = []
        for result in results:
            if isinstance(result, ProviderError):
                if result.kind is not ErrorKind.INVALID:
                    errors.append(result)
            elif isinstance(result, BaseException):
                raise result
        if errors and not snapshots:
            raise errors[0]
        if errors:
            log.warning("%s: %d task(s) left out of a batch: %s", self.name, len(errors), errors[0])
        return snapshots

    async def find_task(self, ref: str) -> str | None:
        """The task id of the task submitted with `ref`; None when the provider has no such
        task. ProviderError when it cannot tell."""
        raise ProviderError(ErrorKind.UNSUPPORTED, f"{self.name} cannot find a task by ref")

    def read_callback(self, raw: bytes) -> TaskSnapshot:
        """What the provider POSTed to a job's hook URL, read like a poll answer (the task
        id is the callback's own). ProviderError(INVALID) when it is not a task."""
        raise ProviderError(ErrorKind.UNSUPPORTED, f"{self.name} does not call back")

    def callback_json(self, raw: bytes) -> dict[str, Any]:
        """A callback's JSON object, scrubbed of the key like every answer."""
        try:
            body = json.loads(self._scrubbed(raw))
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict):
            raise ProviderError(ErrorKind.INVALID, "callback: not a JSON object")
        return body

    def supports(self, action: Action) -> bool:
        """Whether a tap can run `action` here: a plain follow-up, or one whose flow the
        provider has (Capability.VARY_REGION, CUSTOM_ZOOM, VIDEO)."""
        if action in CAPABILITY_OF:
            return CAPABILITY_OF[action] in self.capabilities
        return action.runnable

    async def download(self, url: str, limit: int = MAX_IMAGE_BYTES) -> bytes:
        """Fetch a result image, refusing anything over `limit` bytes (see download.py)."""
        try:
            return await self.images.fetch(url, limit)
        except ProviderError as exc:
            raise ProviderError(exc.kind, self.scrub(exc.detail)) from None

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One HTTP call; returns (status, parsed JSON body or None when the body is empty).

        The body is read up to `max_answer_bytes` and scrubbed of the key before anything
        else looks at it. Transport failures, longer bodies and bodies that are not JSON
        become `ProviderError(UNAVAILABLE)`, except a 404/405 whose body is not JSON (a
        route the server lacks: None); interpreting the status and body is the adapter's job.
        """
        what = f"{method} {path}"
        try:
            async with self.http.stream(method, path, **kwargs) as response:
                status = response.status_code
                raw = await self._read(response, what)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ProviderError(ErrorKind.UNAVAILABLE, self.scrub(f"{what}: {exc!r}")) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(
                ErrorKind.UNAVAILABLE, self.scrub(f"{what}: {exc!r}"), maybe_done=True
            ) from exc
        return status, self._decode(status, raw, what)

    async def _read(self, response: httpx.Response, what: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_answer_bytes:
                raise ProviderError(
                    ErrorKind.UNAVAILABLE,
                    f"{what}: HTTP {response.status_code}, answer longer than "
                    f"{self.max_answer_bytes} bytes",
                    maybe_done=True,
                )
            chunks.append(chunk)
        return self._scrubbed(b"".join(chunks))

    def _scrubbed(self, raw: bytes) -> bytes:
        return raw.replace(self._api_key.encode(), b"***") if self._api_key else raw

    @staticmethod
    def _decode(status: int, raw: bytes, what: str) -> Any:
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested too deep
            if status in (404, 405):
                return None
            kind = ErrorKind.RATE_LIMITED if status == 429 else ErrorKind.UNAVAILABLE
            text = raw[:120].decode("utf-8", "replace")
            raise ProviderError(
                kind,
                f"{what}: HTTP {status}, body is not JSON: {text!r}",
                maybe_done=status != 429,
            ) from None

    def read_batch(
        self, answer: list[Any], parse: Callable[[dict[str, Any], str], TaskSnapshot]
    ) -> list[TaskSnapshot]:
        """The tasks of a batch answer; items without a readable id are left out (the
        tracker takes them as not found) and logged once per answer."""
        snapshots = []
        for item in answer:
            task_id = values.ident(item.get("id")) if isinstance(item, dict) else None
            if task_id is not None:
                snapshots.append(parse(item, task_id))
        if len(snapshots) < len(answer):
            log.warning(
                "%s: %d unreadable task(s) left out of a batch answer",
                self.name,
                len(answer) - len(snapshots),
            )
        return snapshots

    def http_error(self, status: int, detail: str, kind: ErrorKind | None = None) -> ProviderError:
        """An error for an HTTP answer; a 5xx other than 503 may have been carried out."""
        return ProviderError(
            kind or self.kind_for_status(status),
            f"HTTP {status}: {detail}",
            maybe_done=status >= 500 and status != 503,
        )

    @staticmethod
    def unexpected_answer(status: int, body: Any) -> ProviderError:
        """A success status with nothing usable in it: the request may have been carried out."""
        detail = f"HTTP {status}: unexpected answer {str(body)[:200]!r}"
        return ProviderError(ErrorKind.UNAVAILABLE, detail, maybe_done=True)

    def scrub(self, text: str) -> str:
        """For texts that do not come from an answer (exceptions): the key becomes ***."""
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
        await self.images.aclose()

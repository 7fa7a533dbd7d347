"""What every fake provider server shares: tasks that advance as they are polled (or by the
clock), callbacks to the URL a submit carried, real PNGs, and faults on demand. Each
provider's fake adds its own routes and JSON on top."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import itertools
import json
import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import aiohttp
from aiohttp import web
from PIL import Image, ImageDraw

REFUSED_WORD = "forbiddenword"  # a prompt containing it is refused by moderation at submit
FAIL_WORD = "pleasefail"  # a prompt containing it gives a task that fails while running

FAULTS = ("500", "html", "timeout", "drop", "429", "echo_key", "echo_key_json", "huge")
HUGE_PADDING = 6 * 1024 * 1024  # bytes the "huge" fault adds to an answer
LOCAL = "http://127.0.0.1:"
TIMED_STEPS = (0.0, 0.25, 0.5, 0.75)  # shares of a timed task's duration where progress shows

# What every fake's describe suggests, in order (each fake words its answer its own way).
DESCRIBE_PROMPTS = (
    "a red fox curled up in fresh snow, soft morning light --ar 3:2",
    "watercolor of a fox sleeping under pine trees, muted palette --ar 3:2",
    "close-up photograph of a fox in winter, shallow depth of field --ar 3:2",
    "minimalist illustration, orange fox on white, flat shapes --ar 3:2",
)

GRID_ACTIONS = (
    [("upscale", i) for i in range(1, 5)]
    + [("reroll", 0)]
    + [("variation", i) for i in range(1, 5)]
)
UPSCALED_ACTIONS = [
    ("vary_strong", 0),
    ("vary_subtle", 0),
    ("vary_region", 0),
    ("zoom_out_2x", 0),
    ("zoom_out_1_5x", 0),
    ("zoom_custom", 0),
    ("pan_left", 0),
    ("pan_right", 0),
    ("pan_up", 0),
    ("pan_down", 0),
    ("upscale_subtle", 0),
    ("upscale_creative", 0),
]


@dataclass
class FakeTask:
    id: str
    kind: str  # imagine, upscale, variation, reroll, vary_strong, zoom_out_2x, pan_left, …
    prompt: str
    index: int = 0
    parent: str | None = None
    polls: int = 0
    state: str = "queued"  # queued | running | success | failure
    fail_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def single_image(self) -> bool:
        """An upscale gives one image; everything else gives a 2×2 grid."""
        return self.kind.startswith("upscale")

    @property
    def next_actions(self) -> list[tuple[str, int]]:
        """Common (kind, index) pairs the task offers once it succeeded."""
        if self.state != "success" or self.kind == "describe":
            return []
        return UPSCALED_ACTIONS if self.single_image else GRID_ACTIONS


class FakeProvider:
    """Base of the fake servers. Knobs a test may turn:

    - `polls_to_finish`: fetches of a task before it succeeds (progress grows on the way);
    - `hold`: tasks stay running until `release()`;
    - `fetch_faults` / `submit_faults`: faults served, in order, to the next fetch / submit
      requests: "500" (a 502 page), "html" (a 200 page), "timeout", "drop" (the connection
      is closed), "429", "echo_key" (a 502 text quoting the API key, as a gateway echoing
      the request might), "echo_key_json" (a 200 JSON error quoting the key in every field
      the five providers' error texts are read from), "huge" (the real answer plus 6 MB of padding);
    - `submit_errors`: ErrorKind values; the next submits answer with this provider's
      documented error for that kind;
    - `submit_delay`: seconds an accepted submit waits before it is answered; its task
      exists already, so a client that gives up meanwhile leaves a task behind;
    - `answer_edits`: a function applied to the JSON of every answer other than a submit's
      (fetch, batch, listing), to feed the adapter odd values; an infinite float is written
      as 1e999, which is valid JSON;
    - `big_images`: images over Telegram's photo limits;
    - `task_seconds`: tasks advance by the clock, not by polls: running at once, progress at
      a quarter, half and three quarters of this many seconds (or of what the function
      gives for the task), then success (or failure);
    - `drop_callbacks`: the next this many callbacks are lost (never sent).

    Callbacks: a submit whose body carries a URL in `hook_field` gets the provider's
    callback POSTed there on the changes its documentation names (`callback_body`), retried
    `hook_retries` times on a non-2xx answer; each is recorded in `callbacks`. Only URLs on
    127.0.0.1 are called: any other (AceData's dummy) is recorded as lost.
    """

    api_key = "test-key"
    name = "fake"
    hook_field: ClassVar[str | None] = None  # the submit field that carries a callback URL
    hook_retries: ClassVar[int] = 0

    def __init__(self) -> None:
        self.tasks: dict[str, FakeTask] = {}
        self.polls_to_finish = 2
        self.hold = False
        self.fetch_faults: list[str] = []
        self.submit_faults: list[str] = []
        self.submit_errors: list[str] = []
        self.submit_delay = 0.0
        self.answer_edits: Callable[[Any], Any] | None = None
        self.big_images = False
        self.task_seconds: float | Callable[[FakeTask], float] | None = None
        self.drop_callbacks = 0
        self.callbacks: list[tuple[str, Any, int]] = []  # url, body, HTTP status (0: none)
        self.submits: list[tuple[str, dict[str, Any]]] = []  # every accepted submit
        self.fetch_count = 0
        # The images each describe or blend submit carried, decoded (see `load_image`).
        self.images_received: list[list[bytes | None]] = []
        # The masks Vary (Region) submits carried, decoded (see `load_image`), and the prompts
        # sent with them.
        self.masks_received: list[bytes | None] = []
        self.url = ""
        self._ids = itertools.count(1)
        self._stopping = asyncio.Event()
        self.got_submit = asyncio.Event()  # set by the first accepted submit
        self.got_poll = asyncio.Event()  # set by the first fetch
        self._runner: web.AppRunner | None = None
        self._images: dict[str, bytes] = {}
        self._hosted: dict[str, bytes] = {}
        self._session: aiohttp.ClientSession | None = None
        self._clocks: set[asyncio.Task[None]] = set()

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(middlewares=[self._fault_middleware])
        app.router.add_get("/img/{task}/{n}.png", self._serve_image)
        app.router.add_get("/hosted/{name}", self._serve_hosted)
        app.router.add_get("/img/{task}/{n}.mp4", self._serve_video)
        self.add_routes(app.router)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        self._stopping.set()
        for clock in self._clocks:
            clock.cancel()
        await asyncio.gather(*self._clocks, return_exceptions=True)
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """What MJ_API_URL is set to (the server root plus the provider's own prefix)."""
        return self.url

    def add_routes(self, router: web.UrlDispatcher) -> None:
        raise NotImplementedError

    def error_response(self, kind: str) -> web.Response:
        """This provider's documented answer for an error of `kind` (an ErrorKind value)."""
        raise NotImplementedError

    # --- tasks ------------------------------------------------------------------------

    def new_id(self) -> str:
        return f"{next(self._ids)}"

    def new_task(
        self, kind: str, prompt: str, index: int = 0, parent: str | None = None
    ) -> FakeTask:
        task = FakeTask(self.new_id(), kind, prompt, index, parent)
        if FAIL_WORD in prompt:
            task.extra["will_fail"] = True
        self.tasks[task.id] = task
        return task

    def poll(self, task: FakeTask) -> FakeTask:
        """Advance a task by one fetch (a timed task advances by the clock only)."""
        self.fetch_count += 1
        self.got_poll.set()
        if task.state in ("success", "failure") or "seconds" in task.extra:
            return task
        before = (task.state, self.progress(task))
        task.polls += 1
        if self.hold:
            task.state = "running"
        elif task.extra.get("will_fail") and task.polls >= self.polls_to_finish:
            self._fail(task)
        elif task.polls >= self.polls_to_finish:
            task.state = "success"
        else:
            task.state = "running"
        if (task.state, self.progress(task)) != before:
            self.changed(task)
        return task

    def progress(self, task: FakeTask) -> int:
        if task.state == "success":
            return 100
        if task.state == "queued":
            return 0
        if "seconds" in task.extra:
            return task.extra.get("progress", 0)
        return min(95, max(1, 100 * task.polls // (self.polls_to_finish + 1)))

    @staticmethod
    def _fail(task: FakeTask) -> None:
        task.state = "failure"
        task.fail_reason = "Task failed: the image could not be generated"

    async def _run_timed(self, task: FakeTask) -> None:
        """A timed task: running at once, progress in steps, then its end."""
        seconds = task.extra["seconds"]
        started = asyncio.get_running_loop().time()
        for share in TIMED_STEPS:
            await asyncio.sleep(
                max(0.0, started + share * seconds - asyncio.get_running_loop().time())
            )
            task.state = "running"
            task.extra["progress"] = int(share * 100)
            self.changed(task)
        await asyncio.sleep(max(0.0, started + seconds - asyncio.get_running_loop().time()))
        if task.extra.get("will_fail"):
            self._fail(task)
        else:
            task.state = "success"
        self.changed(task)

    def release(self) -> None:
        self.hold = False

    def submitted(self, path: str, body: dict[str, Any], task: FakeTask) -> None:
        """A submit was accepted as `task`: recorded; its callback URL kept, its clock run."""
        self.submits.append((path, body))
        self.got_submit.set()
        hook = body.get(self.hook_field) if self.hook_field else None
        if isinstance(hook, str) and hook:
            task.extra["hook"] = hook
        if self.task_seconds is not None:
            seconds = self.task_seconds
            task.extra["seconds"] = seconds(task) if callable(seconds) else seconds
            clock = asyncio.create_task(self._run_timed(task))
            self._clocks.add(clock)
            clock.add_done_callback(self._clocks.discard)

    def submits_to(self, suffix: str) -> list[dict[str, Any]]:
        return [body for path, body in self.submits if path.endswith(suffix)]

    # --- callbacks --------------------------------------------------------------------

    def callback_body(self, task: FakeTask) -> Any:
        """What this provider POSTs to the task's callback URL after this change, or None
        when it sends nothing for it."""
        return None

    def changed(self, task: FakeTask) -> None:
        """The task's state or progress changed: its callback goes out, if it has one."""
        hook = task.extra.get("hook")
        body = self.callback_body(task) if hook else None
        if body is None:
            return
        if self.drop_callbacks or not hook.startswith(LOCAL):
            self.drop_callbacks -= 1
            self.callbacks.append((hook, body, 0))
            return
        sending = asyncio.create_task(self._send_callback(hook, body))
        self._clocks.add(sending)
        sending.add_done_callback(self._clocks.discard)

    async def _send_callback(self, url: str, body: Any) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        for _ in range(1 + self.hook_retries):
            try:
                async with self._session.post(url, json=body) as answer:
                    status = answer.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            self.callbacks.append((url, body, status))
            if 200 <= status < 300:
                return

    # --- images -----------------------------------------------------------------------

    def image_url(self, task: FakeTask, n: int = 0) -> str:
        """n = 0: the grid (or the single image of an upscale); 1–4: the tiles."""
        return f"{self.url}/img/{task.id}/{n}.png"

    def tile_urls(self, task: FakeTask) -> list[str]:
        return [self.image_url(task, n) for n in range(1, 5)]

    async def _serve_image(self, request: web.Request) -> web.Response:
        key = f"{request.match_info['task']}/{request.match_info['n']}"
        if key not in self._images:
            task = self.tasks.get(request.match_info["task"])
            if task is None:
                raise web.HTTPNotFound()
            n = int(request.match_info["n"])
            self._images[key] = await asyncio.to_thread(
                render_png, task.id, 1 if task.single_image else (n or 4), self.big_images
            )
        return web.Response(body=self._images[key], content_type="image/png")

    def video_url(self, task: FakeTask, n: int = 0) -> str:
        """A finished Animate task's video n."""
        return f"{self.url}/img/{task.id}/{n}.mp4"

    async def _serve_video(self, request: web.Request) -> web.Response:
        task = self.tasks.get(request.match_info["task"])
        if task is None or not task.kind.startswith("animate") or task.state != "success":
            raise web.HTTPNotFound()
        return web.Response(body=mp4_clip(task.id), content_type="video/mp4")

    def hosted(self, data: bytes) -> str:
        """A URL on this server that serves `data`: an image a test hands to an adapter by
        URL, as the bot's media route would."""
        name = f"{len(self._hosted)}.jpg"
        self._hosted[name] = data
        return f"{self.url}/hosted/{name}"

    async def _serve_hosted(self, request: web.Request) -> web.Response:
        data = self._hosted.get(request.match_info["name"])
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, content_type="image/jpeg")

    async def load_image(self, value: object) -> bytes | None:
        """The image a submit field names: a `data:` URI (or bare base64) decoded, or a URL
        on 127.0.0.1 fetched, as the real service would fetch it; None for anything else."""
        if isinstance(value, str) and value.startswith(LOCAL):
            if self._session is None:
                self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
            try:
                async with self._session.get(value) as answer:
                    data = await answer.read() if answer.status == 200 else b""
            except (aiohttp.ClientError, TimeoutError):
                return None
            return data if data[:2] == b"\xff\xd8" or data[:4] == b"\x89PNG" else None
        return data_image(value)

    # --- faults -----------------------------------------------------------------------

    def is_submit(self, request: web.Request) -> bool:
        """Fakes override when their submit and fetch share a method."""
        return request.method == "POST"

    @web.middleware
    async def _fault_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith(("/img/", "/hosted/")):
            return await handler(request)
        submit = self.is_submit(request)
        faults = self.submit_faults if submit else self.fetch_faults
        fault = faults.pop(0) if faults else None
        if fault is not None and fault != "huge":
            return await self._fault(fault, request)
        if self.submit_errors and submit:
            return self.error_response(self.submit_errors.pop(0))
        accepted = len(self.submits)
        response = await handler(request)
        if submit and len(self.submits) > accepted and self.submit_delay:
            await self._pause(self.submit_delay)
        if fault == "huge":
            return rewritten(response, padded)
        if not submit and self.answer_edits is not None:
            return rewritten(response, self.answer_edits)
        return response

    async def _fault(self, fault: str, request: web.Request) -> web.StreamResponse:
        if fault == "500":
            return web.Response(status=502, text="Bad Gateway", content_type="text/plain")
        if fault == "html":
            return web.Response(
                text="<html><body>Maintenance</body></html>", content_type="text/html"
            )
        if fault == "timeout":
            await self._pause(30)
            return web.Response(status=504, text="Gateway Timeout")
        if fault == "drop":
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        if fault == "429":
            return self.error_response("rate_limited")
        text = f"upstream refused the key {self.api_key}"
        if fault == "echo_key":
            return web.Response(status=502, text=f"Bad Gateway: {text}", content_type="text/plain")
        if fault == "echo_key_json":
            error = {"code": "bad_request", "message": text, "type": "invalid_request_error"}
            return web.json_response(
                {
                    "code": 4,
                    "description": text,
                    "message": text,
                    "error": error,
                    "data": None,
                }
            )
        raise ValueError(f"unknown fault {fault!r}")

    async def _pause(self, seconds: float) -> None:
        """Wait `seconds`, or less when the server stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


def data_image(value: object) -> bytes | None:
    """The image in a `data:image/…;base64,` URI, or in bare base64; None for anything else."""
    if not isinstance(value, str):
        return None
    header, _, payload = value.rpartition(",")
    if header and not re.fullmatch(r"data:image/(png|jpeg|webp|gif);base64", header):
        return None
    try:
        data = base64.b64decode(payload, validate=True)
    except ValueError:
        return None
    return data if data[:2] == b"\xff\xd8" or data[:4] in (b"\x89PNG", b"RIFF", b"GIF8") else None


def mp4_clip(seed: str) -> bytes:
    """A few bytes that start like an MP4: an `ftyp` box (isom), then an `mdat` box."""
    ftyp = struct.pack(">I4s4sI8s", 24, b"ftyp", b"isom", 0x200, b"isomiso2")
    payload = f"fake video {seed};".encode() * 8
    return ftyp + struct.pack(">I4s", 8 + len(payload), b"mdat") + payload


def failing_get(fault: str) -> list[str]:
    """The faults that make one GET fail: a client sends a GET again, once, when the kept-alive
    connection it went on is dropped (RFC 9112, 9.3.1.1)."""
    return [fault, fault] if fault == "drop" else [fault]


def rewritten(response: web.StreamResponse, edit: Callable[[Any], Any]) -> web.StreamResponse:
    """A JSON answer with its body passed through `edit`; other answers as they are."""
    if not isinstance(response, web.Response) or response.content_type != "application/json":
        return response
    assert isinstance(response.body, bytes)
    text = json.dumps(edit(json.loads(response.body))).replace("Infinity", "1e999")
    return web.Response(text=text, status=response.status, content_type="application/json")


def padded(body: Any) -> Any:
    """The answer, made longer than any answer a client should read whole."""
    padding = "x" * HUGE_PADDING
    if isinstance(body, dict):
        return {**body, "padding": padding}
    return [*body, padding] if isinstance(body, list) else body


def render_png(seed: str, tiles: int, big: bool = False) -> bytes:
    """A real PNG: a 2×2 grid of numbered tiles, or one tile. `big` gives an image over
    Telegram's photo limits (noise, so that it stays large once compressed)."""
    if big:
        side = 2200
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()
    side = 256
    columns = 2 if tiles > 1 else 1
    image = Image.new("RGB", (side * columns, side * columns), "white")
    draw = ImageDraw.Draw(image)
    base = sum(map(ord, seed)) % 200
    for n in range(columns * columns):
        x, y = (n % columns) * side, (n // columns) * side
        draw.rectangle(
            (x, y, x + side - 1, y + side - 1), fill=(base, 80 + 40 * n, 200 - base // 2)
        )
        draw.text((x + side // 2, y + side // 2), str(n + 1), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()

"""A fake APIMart (providers.md §1): `/v1/midjourney/generations[/<action>]`, the flat
`GET /v1/midjourney/{id}` and the unified `GET /v1/tasks/{id}`.

Choices where the docs are silent (the adapter's docstring lists the same points):
- error bodies are `{"code", "description"}`, or `{"error": {"message"}}` with
  `error_shape = "error"`; auth, balance and rate-limit answers are 401, 402 and 429;
- a refused prompt is a 400 with code 24 (midjourney-proxy's BANNED_PROMPT) at submit, or,
  with `refuse_while_running`, a task that FAILs with a "banned prompt" reason;
- inpaint answers flat (inpaint page), or `{"data": [...]}` (workflow page) with
  `inpaint_wrapped`; `cancel_tasks` makes new tasks end in CANCEL; `unified_url_list` gives
  the unified query's `url` as an array;
- `/describe` and `/blend` fetch or decode their `image_urls` (describe only the first, as
  documented) and refuse with a 400, code 4, anything that is not an image, and a blend of
  fewer than 2 or more than 4; a describe SUCCEEDs with its four keycap-numbered lines in
  the fields `describe_fields` names (`prompt` and `description` by default) and no images;
  a blend's task prompt is `--ar <w:h>` of its dimensions.
- Vary Region: `/inpaint` on a task that is not an upscale is refused like zoom and pan
  (the page says "typically upscaled"); its task waits in MODAL, polled or not, until
  `/modal` names it. `/modal` refuses (400, code 4) a task that is not in MODAL, a missing
  mask_url (the page's outpaint without a mask is not modelled) and one that is not an image
  URL or `data:` URI of an image; a prompt with the refused word is refused there (code 24,
  whatever `refuse_while_running` says). It answers like any submit, with the same task id
  [DOC]; the task then takes the prompt (the parent's when empty), runs and ends as a grid.
  Each mask_url that reaches the image check is decoded into `masks_received`.
- Video: `/video` takes `image_urls` (its first is fetched or decoded, and must be an image)
  with a `prompt` (the page makes it optional only with task_id), or `task_id` + `index`
  without one (the task's prompt is used); neither, or a bad `motion` (low | high, default
  high), is a 400 with code 4. The fake animates only upscales, as the bot does: a task_id,
  or an image of the fake's own, that is not a finished upscale is refused like zoom and pan
  (whether the real service animates a grid's tile by index is not modelled: index must be
  0, the upscale's one image). A refused word in the prompt is code 24 at submit. The task
  (`animate_low` | `animate_high`) ends with `action: "VIDEO"`, `video_url` and as many
  `video_urls` as `batch_size` asks (1, 2 or 4; anything else gives 1 [DOC]), no images and
  no buttons; each URL serves a few bytes that start like an MP4 (an `ftyp` box, then
  `mdat`), which is all the bot needs: it only uploads them.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from aiohttp import web

from tests.fakes.provider_base import (
    DESCRIBE_PROMPTS,
    FAIL_WORD,
    REFUSED_WORD,
    FakeProvider,
    FakeTask,
    data_image,
)

PREFIX = "/v1/midjourney/generations"
SPEEDS = ("relax", "fast", "turbo")
DIRECTIONS = ("left", "right", "up", "down")
NEEDS_UPSCALED = "This action requires an upscaled task, call upscale first"
RATIOS = {"PORTRAIT": "2:3", "SQUARE": "1:1", "LANDSCAPE": "3:2"}  # blend dimensions
BATCH_SIZES = (1, 2, 4)  # videos a /video task makes; anything else makes 1

ERRORS = {  # ErrorKind value → (HTTP status, code, text)
    "auth": (401, 401, "Invalid token"),
    "balance": (402, 402, "Insufficient balance, please top up"),
    "moderation": (400, 24, "Banned prompt detected: moderation refused the prompt"),
    "invalid": (400, 4, "prompt is required"),
    "rate_limited": (429, 429, "Too many requests, rate limit exceeded"),
    "unavailable": (502, 9, "Service rejected"),
}

ACTION_NAMES = {  # common kind → the task's `action` field
    "imagine": "IMAGINE",
    "upscale": "UPSCALE",
    "variation": "VARIATION",
    "reroll": "REROLL",
    "vary_strong": "HIGH_VARIATION",
    "vary_subtle": "LOW_VARIATION",
    "vary_region": "INPAINT",
    "animate_low": "VIDEO",
    "animate_high": "VIDEO",
}

BUTTONS = {  # common kind → (customId template, label); {i} index, {h} the job hash
    "upscale": ("MJ::JOB::upsample::{i}::{h}", "U{i}"),
    "variation": ("MJ::JOB::variation::{i}::{h}", "V{i}"),
    "reroll": ("MJ::JOB::reroll::0::{h}::SOLO", ""),
    "vary_strong": ("MJ::JOB::high_variation::1::{h}::SOLO", "Vary (Strong)"),
    "vary_subtle": ("MJ::JOB::low_variation::1::{h}::SOLO", "Vary (Subtle)"),
    "vary_region": ("MJ::Inpaint::1::{h}::SOLO", "Vary (Region)"),
    "zoom_out_2x": ("MJ::Outpaint::50::1::{h}::SOLO", "Zoom Out 2x"),
    "zoom_out_1_5x": ("MJ::Outpaint::75::1::{h}::SOLO", "Zoom Out 1.5x"),
    "zoom_custom": ("MJ::CustomZoom::{h}", "Custom Zoom"),
    "pan_left": ("MJ::JOB::pan_left::1::{h}::SOLO", ""),
    "pan_right": ("MJ::JOB::pan_right::1::{h}::SOLO", ""),
    "pan_up": ("MJ::JOB::pan_up::1::{h}::SOLO", ""),
    "pan_down": ("MJ::JOB::pan_down::1::{h}::SOLO", ""),
    "upscale_subtle": ("MJ::JOB::upsample_v7_2x_subtle::1::{h}::SOLO", "Upscale (Subtle)"),
    "upscale_creative": ("MJ::JOB::upsample_v7_2x_creative::1::{h}::SOLO", "Upscale (Creative)"),
}

UNIFIED_STATES = {
    "queued": "pending",
    "running": "processing",
    "success": "completed",
    "failure": "failed",
}


class Refusal(Exception):
    """A follow-up the fake rejects: (HTTP status, code, text)."""

    def __init__(self, status: int, code: int, text: str) -> None:
        super().__init__(text)
        self.status, self.code, self.text = status, code, text


class FakeApimart(FakeProvider):
    name = "apimart"

    def __init__(self) -> None:
        super().__init__()
        self.error_shape = "description"  # or "error": {"error": {"message": …}}
        self.refuse_while_running = False
        self.inpaint_wrapped = False
        self.cancel_tasks = False
        self.unified_url_list = False
        self.describe_fields = ("prompt", "description")

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post(PREFIX, self._imagine)
        router.add_post(PREFIX + "/imagine", self._imagine)
        router.add_post(PREFIX + "/describe", self._from_images)
        router.add_post(PREFIX + "/blend", self._from_images)
        router.add_post(PREFIX + "/modal", self._modal)
        router.add_post(PREFIX + "/video", self._video)
        router.add_post(PREFIX + "/{op}", self._follow_up)
        router.add_get("/v1/midjourney/{task_id}", self._query)
        router.add_get("/v1/tasks/{task_id}", self._unified)

    # --- answers ----------------------------------------------------------------------

    def error(self, status: int, code: int, text: str) -> web.Response:
        if self.error_shape == "error":
            return web.json_response({"error": {"message": text}}, status=status)
        return web.json_response({"code": code, "description": text}, status=status)

    def error_response(self, kind: str) -> web.Response:
        return self.error(*ERRORS[kind])

    @staticmethod
    def accepted(task: FakeTask) -> web.Response:
        return web.json_response(
            {"code": 200, "data": [{"status": "submitted", "task_id": task.id}]}
        )

    def new_id(self) -> str:
        return f"task_01FAKE{super().new_id():0>20}"

    def new_task(
        self, kind: str, prompt: str, index: int = 0, parent: str | None = None
    ) -> FakeTask:
        task = super().new_task(kind, prompt, index, parent)
        if self.cancel_tasks:
            task.extra.update(will_fail=True, cancel=True)
        if self.refuse_while_running and REFUSED_WORD in prompt:
            task.extra.update(will_fail=True, banned=True)
        return task

    def poll(self, task: FakeTask) -> FakeTask:
        """Upscales are cropped locally (SUCCESS on the first poll); MODAL tasks wait."""
        if task.extra.get("modal"):
            self.fetch_count += 1
            return task
        if task.kind == "upscale" and task.state == "queued" and not self.hold:
            task.state = "success"
        task = super().poll(task)
        if task.state == "failure" and task.extra.get("banned"):
            task.fail_reason = f"Banned prompt detected: {REFUSED_WORD}"
        return task

    # --- handlers ---------------------------------------------------------------------

    def _unauthorized(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self.error_response("auth")
        return None

    async def _imagine(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        body = await request.json()
        prompt = str(body.get("prompt") or "")
        if not prompt:
            return self.error(400, 4, "prompt is required")
        if body.get("speed", "relax") not in SPEEDS:
            return self.error(400, 4, "speed must be one of relax / fast / turbo")
        images = body.get("image_urls", [])
        if not isinstance(images, list) or not all(
            data_image(entry) or str(entry).startswith("http") for entry in images
        ):
            return self.error(400, 4, "image_urls must be image URLs or base64")
        if REFUSED_WORD in prompt and not self.refuse_while_running:
            return self.error_response("moderation")
        task = self.new_task("imagine", prompt)
        self.submitted(request.path, body, task)
        return self.accepted(task)

    async def _from_images(self, request: web.Request) -> web.Response:
        """`/describe` or `/blend`: a task made from images only."""
        if denied := self._unauthorized(request):
            return denied
        kind = request.path.rpartition("/")[2]
        body = await request.json()
        try:
            prompt = await self._check_images(kind, body)
        except Refusal as refusal:
            return self.error(refusal.status, refusal.code, refusal.text)
        task = self.new_task(kind, prompt)
        self.submitted(request.path, body, task)
        return self.accepted(task)

    async def _check_images(self, kind: str, body: dict[str, Any]) -> str:
        """The task's prompt, once `body` passes the checks its page documents."""
        if body.get("speed", "relax") not in SPEEDS:
            raise Refusal(400, 4, "speed must be one of relax / fast / turbo")
        urls = body.get("image_urls")
        if not isinstance(urls, list) or not urls:
            raise Refusal(400, 4, "image_urls is required")
        dimensions = body.get("dimensions", "SQUARE")
        if kind == "describe":
            urls = urls[:1]  # "only the first is used"
        elif not 2 <= len(urls) <= 4:
            raise Refusal(400, 4, "blend takes 2-4 image_urls")
        elif dimensions not in RATIOS:
            raise Refusal(400, 4, "dimensions must be one of SQUARE / PORTRAIT / LANDSCAPE")
        images = [await self.load_image(url) for url in urls]
        self.images_received.append(images)
        if None in images:
            raise Refusal(400, 4, "image_urls must be image URLs or base64")
        return "" if kind == "describe" else f"--ar {RATIOS[dimensions]}"

    async def _follow_up(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        op = request.match_info["op"]
        body = await request.json()
        try:
            parent = self._parent(op, body)
            kind, index = self._kind(op, body, parent)
        except Refusal as refusal:
            return self.error(refusal.status, refusal.code, refusal.text)
        task = self.new_task(kind, parent.prompt, index, parent.id)
        task.extra["modal"] = op == "inpaint"
        self.submitted(request.path, body, task)
        if op != "inpaint":
            return self.accepted(task)
        if self.inpaint_wrapped:
            return web.json_response({"data": [{"task_id": task.id, "status": "modal"}]})
        return web.json_response({"task_id": task.id, "status": "modal", "model": "midjourney"})

    async def _modal(self, request: web.Request) -> web.Response:
        """`/modal`: the mask and prompt an inpaint's MODAL task waits for."""
        if denied := self._unauthorized(request):
            return denied
        body = await request.json()
        try:
            task = await self._check_modal(body)
        except Refusal as refusal:
            return self.error(refusal.status, refusal.code, refusal.text)
        task.extra["modal"] = False
        task.prompt = str(body.get("prompt") or "") or self.tasks[str(task.parent)].prompt
        if FAIL_WORD in task.prompt:
            task.extra["will_fail"] = True
        self.submitted(request.path, body, task)
        return self.accepted(task)

    async def _check_modal(self, body: dict[str, Any]) -> FakeTask:
        """The MODAL task `body` names, once its mask and prompt pass the checks."""
        task_id = str(body.get("task_id") or "")
        if not task_id:
            raise Refusal(400, 4, "task_id is required for modal")
        task = self.tasks.get(task_id)
        if task is None:
            raise Refusal(404, 3, f"task {task_id} not found")
        if not task.extra.get("modal"):
            raise Refusal(400, 4, f"task {task_id} is not in MODAL state")
        if body.get("speed", "relax") not in SPEEDS:
            raise Refusal(400, 4, "speed must be one of relax / fast / turbo")
        mask_url = body.get("mask_url")
        if not mask_url:
            raise Refusal(400, 4, "mask_url is required for inpaint")
        mask = await self.load_image(mask_url)
        self.masks_received.append(mask)
        if mask is None:
            raise Refusal(400, 4, "mask_url must be an image URL or data URI")
        if REFUSED_WORD in str(body.get("prompt") or ""):
            raise Refusal(*ERRORS["moderation"])
        return task

    async def _video(self, request: web.Request) -> web.Response:
        """`/video`: an upscale animated, by its image or by its task."""
        if denied := self._unauthorized(request):
            return denied
        body = await request.json()
        try:
            parent, prompt = await self._check_video(body)
        except Refusal as refusal:
            return self.error(refusal.status, refusal.code, refusal.text)
        task = self.new_task(f"animate_{body.get('motion', 'high')}", prompt, parent=parent.id)
        batch = body.get("batch_size")
        task.extra["videos"] = batch if batch in BATCH_SIZES else 1
        self.submitted(request.path, body, task)
        return self.accepted(task)

    async def _check_video(self, body: dict[str, Any]) -> tuple[FakeTask, str]:
        """The upscale `body` animates and the video's prompt, once they pass the checks."""
        if body.get("motion", "high") not in ("low", "high"):
            raise Refusal(400, 4, "motion must be low or high")
        prompt = str(body.get("prompt") or "")
        images = body.get("image_urls")
        if body.get("task_id"):
            parent = self._parent("video", body)
            if body.get("index", 0) != 0:
                raise Refusal(400, 4, "index must be 0 for an upscaled task")
            prompt = prompt or parent.prompt
        elif isinstance(images, list) and images:
            if not prompt:
                raise Refusal(400, 4, "prompt is required without task_id")
            if await self.load_image(images[0]) is None:
                raise Refusal(400, 4, "image_urls must be image URLs or base64")
            parent = self._parent("video", {"task_id": self._task_of(images[0])})
        else:
            raise Refusal(400, 4, "image_urls or task_id is required for video")
        if not parent.single_image:
            raise Refusal(400, 4, NEEDS_UPSCALED)
        if REFUSED_WORD in prompt:
            raise Refusal(*ERRORS["moderation"])
        return parent, prompt

    def _task_of(self, url: object) -> str:
        """The id of the task whose image `url` is, where it is one of the fake's own."""
        prefix = f"{self.url}/img/"
        if not isinstance(url, str) or not url.startswith(prefix):
            raise Refusal(400, 4, "the fake animates only its own upscales")
        return url.removeprefix(prefix).partition("/")[0]

    def submitted(self, path: str, body: dict[str, Any], task: FakeTask) -> None:
        """A task in MODAL does not run (nor tick with `task_seconds`) before `/modal`."""
        if task.extra.get("modal"):
            self.submits.append((path, body))
            self.got_submit.set()
        else:
            super().submitted(path, body, task)

    def _parent(self, op: str, body: dict[str, Any]) -> FakeTask:
        task_id = str(body.get("task_id") or "")
        if not task_id:
            raise Refusal(400, 4, f"task_id is required for {op}")
        parent = self.tasks.get(task_id)
        if parent is None:
            raise Refusal(404, 3, f"task {task_id} not found")
        if parent.state != "success":
            raise Refusal(400, 4, f"task {task_id} is not in SUCCESS state")
        return parent

    def _kind(self, op: str, body: dict[str, Any], parent: FakeTask) -> tuple[str, int]:
        """The common kind and index of a follow-up, checked as the op's page documents."""
        if op in ("zoom", "pan", "inpaint") and not parent.single_image:
            raise Refusal(400, 4, NEEDS_UPSCALED)
        button = self._button(body, parent)
        index = body.get("index")
        if op in ("upscale", "variation"):
            if (index is None) == (button is None):
                raise Refusal(400, 4, "exactly one of index / custom_id is required")
            if button:
                return button
            if index not in (1, 2, 3, 4):
                raise Refusal(400, 4, "index must be 1-4")
            return op, index
        if op == "high-variation":
            if index not in (1, 2, 3, 4):
                raise Refusal(400, 4, "index must be 1-4")
            return "vary_strong", 0
        if op == "low-variation":
            if index is None and button is None:
                raise Refusal(400, 4, "index is required when custom_id is omitted")
            return "vary_subtle", 0
        if op == "reroll":
            return "reroll", 0
        if op == "zoom":
            if button:
                return button
            return ("zoom_out_1_5x" if float(body.get("zoom_ratio", 2)) < 2 else "zoom_out_2x"), 0
        if op == "pan":
            if button:
                return button
            if body.get("direction") not in DIRECTIONS:
                raise Refusal(400, 4, "direction must be one of left/right/up/down")
            return f"pan_{body['direction']}", 0
        if op == "inpaint":
            return "vary_region", 0
        raise Refusal(404, 404, f"no route {op}")

    def _button(self, body: dict[str, Any], parent: FakeTask) -> tuple[str, int] | None:
        """The (kind, index) of the parent's button named by `custom_id`, if one is given."""
        custom_id = body.get("custom_id")
        if custom_id is None:
            return None
        for kind, index in parent.next_actions:
            if self.custom_id(parent, kind, index) == custom_id:
                return kind, index
        raise Refusal(400, 4, f"custom_id {custom_id} is not a button of task {parent.id}")

    async def _query(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        task = self.tasks.get(request.match_info["task_id"])
        if task is None:
            return self.error(404, 3, f"task {request.match_info['task_id']} not found")
        return web.json_response(self.render(self.poll(task)))

    async def _unified(self, request: web.Request) -> web.Response:
        if denied := self._unauthorized(request):
            return denied
        task = self.tasks.get(request.match_info["task_id"])
        if task is None:
            return self.error(404, 3, f"task {request.match_info['task_id']} not found")
        return web.json_response({"code": 200, "data": self.render_unified(self.poll(task))})

    # --- task JSON --------------------------------------------------------------------

    @staticmethod
    def custom_id(task: FakeTask, kind: str, index: int) -> str:
        job_hash = uuid.uuid5(uuid.NAMESPACE_URL, task.id)
        return BUTTONS[kind][0].format(i=index, h=job_hash)

    def render(self, task: FakeTask) -> dict[str, Any]:
        """The flat task JSON of `GET /v1/midjourney/{id}`."""
        data: dict[str, Any] = {
            "id": task.id,
            "status": self.status(task),
            "action": ACTION_NAMES.get(task.kind, task.kind.split("_")[0].upper()),
            "progress": f"{100 if task.state == 'failure' else self.progress(task)}%",
            "prompt": task.prompt,
        }
        if task.state == "success" and task.kind == "describe":
            data["mode"] = "DESCRIBE"
            text = "\n".join(f"{n}\ufe0f\u20e3 {p}" for n, p in enumerate(DESCRIBE_PROMPTS, 1))
            data.update(dict.fromkeys(self.describe_fields, text))
        elif task.state == "success" and task.kind.startswith("animate"):
            urls = [self.video_url(task, n) for n in range(task.extra["videos"])]
            data.update(video_url=urls[0], video_urls=urls)
        elif task.state == "success":
            if task.single_image:
                data["image_urls"] = [self.image_url(task)]
            else:
                data["grid_image_url"] = self.image_url(task)
                data["image_urls"] = self.tile_urls(task)
            data["buttons"] = [
                {"customId": self.custom_id(task, kind, i), "label": BUTTONS[kind][1].format(i=i)}
                for kind, i in task.next_actions
            ]
        if task.state == "failure":
            data["fail_reason"] = "task cancelled" if task.extra.get("cancel") else task.fail_reason
        return data

    @staticmethod
    def status(task: FakeTask) -> str:
        if task.extra.get("modal"):
            return "MODAL"
        if task.state == "failure":
            return "CANCEL" if task.extra.get("cancel") else "FAILURE"
        return {"queued": "SUBMITTED", "running": "IN_PROGRESS", "success": "SUCCESS"}[task.state]

    def render_unified(self, task: FakeTask) -> dict[str, Any]:
        """The `data` of `GET /v1/tasks/{id}`; `result` only when completed."""
        state = "cancelled" if task.extra.get("cancel") else UNIFIED_STATES[task.state]
        data: dict[str, Any] = {
            "id": task.id,
            "status": "pending" if task.extra.get("modal") else state,
            "progress": self.progress(task),
            "created": int(time.time()),
        }
        if task.state == "success":
            url = self.image_url(task)
            data["result"] = {
                "images": [{"url": [url] if self.unified_url_list else url, "expires_at": 0}]
            }
        if task.state == "failure":
            data["error"] = {"message": task.fail_reason}
        return data

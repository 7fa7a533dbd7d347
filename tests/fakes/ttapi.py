"""A fake TTApi (providers.md §3): imagine, action, inpaint, describe, blend and fetch under
/midjourney/v1.

Choices where the docs are silent:
- A wrong or missing `TT-API-KEY` gets 401 with the FAILED envelope.
- A refused prompt gets 400 `{"status": "FAILED", "message": "prompt violation", "data": null}`
  at submit; with `moderation_at_fetch` the submit is accepted and the job FAILs at fetch with
  message "prompt violation".
- Fetch of an unknown jobId, and an action on an unknown job: 404 with the FAILED envelope.
  An action on an unfinished job, or one not in its `components`: 400 "Parameter error".
- Components of an upscaled job use the third-party spellings (high_variation, zoom_out_2, …);
  Vary Region (/inpaint) and custom zoom have no component and are not offered.
- Inpaint [DOC cn/inpaint] takes `jobId`, which must name a finished U1–U4 job (another job:
  400 "Parameter error"; an unknown one: 404), `mask` in bare base64 of an image (a `data:`
  prefix, which the docs forbid, or anything that is not an image: 400 "Parameter error";
  every mask that is not refused for its prefix is decoded into `masks_received`), `prompt`
  (a string; blank: the parent's, UNKNOWN what TTApi does), `timeout` and `hookUrl`. Its
  job ("vary_region", `data.action` "inpaint") ends as a grid.
- `images` (the four tiles) is given for grids, null for upscales.
- Describe takes `base64` (a data URI, or bare base64: whether TTApi reads that is UNKNOWN)
  or else `url` (only 127.0.0.1 URLs are fetched); no image, or one that is not an image, is
  400 "Parameter error". Its job's `data.action` is "describe" [INFERENCE] and, once it
  succeeds, `data.prompt` holds the four prompts as Discord words them (keycap-numbered
  paragraphs), with no image and no components.
- Blend takes `imgBase64Array` [3P], 2–5 entries with or without the `data:` prefix (UNKNOWN
  which TTApi wants), `dimensions` PORTRAIT|SQUARE|LANDSCAPE (absent: SQUARE) and `mode` as
  imagine does; anything else is 400 "Parameter error". Its job ("blend") ends as a grid.
"""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web

from tests.fakes.provider_base import DESCRIBE_PROMPTS, REFUSED_WORD, FakeProvider, FakeTask

PREFIX = "/midjourney/v1"

STATUSES = {
    "queued": "PENDING_QUEUE",
    "running": "ON_QUEUE",
    "success": "SUCCESS",
    "failure": "FAILED",
}
COMPONENTS = {
    "reroll": "reroll",
    "vary_strong": "high_variation",
    "vary_subtle": "low_variation",
    "zoom_out_2x": "zoom_out_2",
    "zoom_out_1_5x": "zoom_out_1_5",
    "pan_left": "pan_left",
    "pan_right": "pan_right",
    "pan_up": "pan_up",
    "pan_down": "pan_down",
    "upscale_subtle": "upscale_subtle",
    "upscale_creative": "upscale_creative",
}
ERRORS = {
    "auth": (401, "Unauthorized: TT-API-KEY is missing or invalid"),
    "balance": (402, "insufficient quota"),
    "moderation": (400, "prompt violation"),
    "invalid": (400, "Parameter error"),
    "rate_limited": (429, "Too many requests"),
    "unavailable": (500, "Internal server error"),
}
MODES = ("relax", "fast", "turbo")
DIMENSIONS = ("PORTRAIT", "SQUARE", "LANDSCAPE")
DESCRIBED = "\n\n".join(f"{n}\ufe0f\u20e3 {p}" for n, p in enumerate(DESCRIBE_PROMPTS, 1))


def envelope(status: int, message: str) -> web.Response:
    return web.json_response({"status": "FAILED", "message": message, "data": None}, status=status)


class FakeTtapi(FakeProvider):
    name = "ttapi"
    hook_field = "hookUrl"
    hook_retries = 3  # non-200 is retried up to 3 times (§3.4)

    def __init__(self) -> None:
        super().__init__()
        self.legacy_job_id = False  # submit answers data.jobId (legacy docs), not data.job_id
        self.legacy_actions = False  # fetch data names the job's action `actions` (legacy hook)
        self.discord_only = False  # fetch data has discordImage but no cdnImage
        self.moderation_at_fetch = False  # refused prompts are accepted and FAIL at fetch
        self.zoom_x_spelling = False  # components say zoom_out_2x / zoom_out_1_5x (unverified)

    def new_id(self) -> str:
        return str(uuid.uuid4())

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post(f"{PREFIX}/imagine", self._imagine)
        router.add_post(f"{PREFIX}/action", self._action)
        router.add_post(f"{PREFIX}/inpaint", self._inpaint)
        router.add_post(f"{PREFIX}/describe", self._describe)
        router.add_post(f"{PREFIX}/blend", self._blend)
        router.add_get(f"{PREFIX}/fetch", self._fetch)

    def error_response(self, kind: str) -> web.Response:
        return envelope(*ERRORS[kind])

    # --- handlers ---------------------------------------------------------------------

    async def _imagine(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        body = await self._body(request)
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip() or body.get("mode") not in MODES:
            return self.error_response("invalid")
        if not self._timeout_ok(body):
            return self.error_response("invalid")
        if REFUSED_WORD in prompt and not self.moderation_at_fetch:
            return self.error_response("moderation")
        task = self.new_task("imagine", prompt)
        task.extra["action"] = "imagine"
        if REFUSED_WORD in prompt:
            task.extra["will_fail"] = True
            task.extra["refused"] = True
        self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _action(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        body = await self._body(request)
        job_id, action = body.get("jobId"), body.get("action")
        if not isinstance(job_id, str) or not isinstance(action, str) or not self._timeout_ok(body):
            return self.error_response("invalid")
        parent = self.tasks.get(job_id)
        if parent is None:
            return envelope(404, "job not found")
        offered = self.components(parent)
        if action not in offered:
            return self.error_response("invalid")
        kind, index = offered[action]
        task = self.new_task(kind, parent.prompt, index, parent.id)
        task.extra["action"] = action
        self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _inpaint(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        body = await self._body(request)
        job_id, mask, prompt = body.get("jobId"), body.get("mask"), body.get("prompt", "")
        valid = (
            isinstance(job_id, str)
            and isinstance(mask, str)
            and isinstance(prompt, str)
            and self._timeout_ok(body)
        )
        if not valid:
            return self.error_response("invalid")
        parent = self.tasks.get(job_id)
        if parent is None:
            return envelope(404, "job not found")
        if parent.kind != "upscale" or parent.state != "success" or mask.startswith("data:"):
            return self.error_response("invalid")
        self.masks_received.append(await self.load_image(mask))
        if self.masks_received[-1] is None:
            return self.error_response("invalid")
        task = self.new_task("vary_region", prompt.strip() or parent.prompt, parent=parent.id)
        task.extra["action"] = "inpaint"
        self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _describe(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        body = await self._body(request)
        if not self._timeout_ok(body):
            return self.error_response("invalid")
        return await self._image_job(
            request, body, "describe", [body.get("base64") or body.get("url")]
        )

    async def _blend(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        body = await self._body(request)
        entries = body.get("imgBase64Array")
        valid = (
            isinstance(entries, list)
            and 2 <= len(entries) <= 5
            and body.get("dimensions", "SQUARE") in DIMENSIONS
            and body.get("mode") in MODES
            and self._timeout_ok(body)
        )
        if not valid:
            return self.error_response("invalid")
        return await self._image_job(request, body, "blend", entries)

    async def _image_job(
        self, request: web.Request, body: dict[str, Any], kind: str, entries: list[Any]
    ) -> web.Response:
        images = [await self.load_image(entry) for entry in entries]
        self.images_received.append(images)
        if None in images:
            return self.error_response("invalid")
        task = self.new_task(kind, "")
        task.extra["action"] = kind
        self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _fetch(self, request: web.Request) -> web.Response:
        if request.headers.get("TT-API-KEY") != self.api_key:
            return self.error_response("auth")
        task = self.tasks.get(request.query.get("jobId", ""))
        if task is None:
            return envelope(404, "job not found")
        return web.json_response(self.render(self.poll(task)))

    # --- rendering --------------------------------------------------------------------

    def callback_body(self, task: FakeTask) -> dict[str, Any] | None:
        """hookUrl: the fetch body, when the job starts, completes or fails (§3.4)."""
        if task.state == "running" and not task.extra.get("hook_started"):
            task.extra["hook_started"] = True
            return self.render(task)
        return self.render(task) if task.state in ("success", "failure") else None

    def components(self, task: FakeTask) -> dict[str, tuple[str, int]]:
        """The task's `components`, each with the common (kind, index) it starts."""
        offered: dict[str, tuple[str, int]] = {}
        for kind, index in task.next_actions:
            name = self._component(kind, index)
            if name:
                offered[name] = (kind, index)
        return offered

    def _component(self, kind: str, index: int) -> str | None:
        if kind == "upscale":
            return f"upsample{index}"
        if kind == "variation":
            return f"variation{index}"
        if self.zoom_x_spelling and kind.startswith("zoom_out_"):
            return kind
        return COMPONENTS.get(kind)

    def render(self, task: FakeTask) -> dict[str, Any]:
        status = STATUSES[task.state]
        if task.state == "failure":
            reason = "prompt violation" if task.extra.get("refused") else task.fail_reason
            return {"status": status, "message": reason, "jobId": task.id, "data": None}
        data: dict[str, Any] = {
            "actions" if self.legacy_actions else "action": task.extra["action"],
            "jobId": task.id,
            "progress": str(self.progress(task)),
            "prompt": task.prompt,
        }
        if task.state == "success" and task.kind == "describe":
            data["prompt"] = DESCRIBED
        elif task.state == "success":
            data.update(self._result(task))
        return {"status": status, "message": "", "jobId": task.id, "data": data}

    def _result(self, task: FakeTask) -> dict[str, Any]:
        result: dict[str, Any] = {
            "quota": "2",
            "discordImage": f"{self.image_url(task)}?source=discord",
            "cdnImage": self.image_url(task),
            "width": 1024,
            "height": 1024,
            "hookUrl": None,
            "components": list(self.components(task)),
            "seed": None,
            "images": None if task.single_image else self.tile_urls(task),
        }
        if self.discord_only:
            del result["cdnImage"]
        return result

    def _accepted(self, task: FakeTask) -> web.Response:
        key = "jobId" if self.legacy_job_id else "job_id"
        return web.json_response(
            {"status": "SUCCESS", "message": "success", "data": {key: task.id}}
        )

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @staticmethod
    def _timeout_ok(body: dict[str, Any]) -> bool:
        """`timeout`, when given, is 300–1200 seconds (a string in the docs' examples)."""
        if "timeout" not in body:
            return True
        try:
            return 300 <= int(body["timeout"]) <= 1200
        except (TypeError, ValueError):
            return False

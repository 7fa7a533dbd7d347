"""A fake AceData Cloud Midjourney API (providers.md §2): `POST /midjourney/imagine` (async:
answers `{"task_id"}` at once), `POST /midjourney/tasks` (retrieve / retrieve_batch) and
`POST /midjourney/describe` (sync: `{"descriptions": [...]}`, the four DESCRIBE_PROMPTS
without numbers, as in the OpenAPI example).

Images are fetched as the real service would: describe's `image_url`, and the URLs that start
an imagine's prompt (a blend, or image prompts); one that is not an image is a `bad_request`
(the real wording, and whether a bad image prompt is refused at submit or fails the task,
are UNKNOWN).

Vary Region is the follow-up `variation_region`, offered by upscaled images only (a grid's
`actions` lack it, so asking it of one is the usual `bad_request`). Its `mask` is bare base64
(the imagine guide's example) or an image URL (the OpenAPI's "Mask image URL"); none, a
`data:` URI (neither source shows one) or anything that is not an image is a `bad_request`
(the wording is UNKNOWN). Each base64 or URL mask is decoded into `masks_received` (None
when it is no image). The new task takes `prompt` (optional [DOC], the parent's when absent)
and ends as a grid.

Animate is `POST /midjourney/videos` (async like imagine: `{"task_id"}` at once, the result
by callback_url and in `/midjourney/tasks`, its item's `type` "videos"). Only `action:
"generate"` is modelled (extend is a `bad_request`); `image_url` must be an image, and one
of the fake's own must be a finished upscale's (the fake animates only upscales, as the bot
does; the real service takes any image); `mode` is fast or turbo and `resolution` 480p or
720p (the OpenAPI enums); anything else is a `bad_request` (the wording is UNKNOWN), a
refused word in the prompt `forbidden`. The motion is read from the prompt's `--motion low |
high` (Midjourney's parameter; none is low, Midjourney's default; another value is a
`bad_request`): the task is `animate_low` or `animate_high`. It ends with the guide's
fields: the request's `image_url` as the cover, a `video_id` and four `video_urls`, no
`actions`; each serves a few bytes that start like an MP4 (an `ftyp` box, then `mdat`), all
the bot needs, as it only uploads them.

Variants a test may switch:
- `error_success_field`: error bodies carry `"success": false` (tasks and videos guides) or
  not (OpenAPI, concepts page);
- `with_state`: task items carry `state` (pending/generating/finished/failed, Nexior's model)
  or not (the tasks guide's examples);
- `v5_upscales`: upscaled images offer `upscale_2x`/`upscale_4x` instead of subtle/creative.
"""

from __future__ import annotations

import re
import uuid
from itertools import takewhile
from typing import Any

from aiohttp import web

from tests.fakes.provider_base import DESCRIBE_PROMPTS, REFUSED_WORD, FakeProvider, FakeTask

MODERATION_MESSAGE = (
    "Sorry! Our Al moderators feel your prompt might be against our community standards."
)
BALANCE_MESSAGE = "Your balance is exhausted, please recharge the quota."  # [INFERENCE] wording

ERRORS: dict[str, tuple[int, str]] = {  # error code → HTTP status, message (OpenAPI examples)
    "bad_request": (400, "The json payload is not valid to request the API"),
    "token_mismatched": (400, "The specified token is not matched with API."),
    "api_not_implemented": (400, "The API is not implemented."),
    "no_token": (400, "Missing Authorization header"),  # concepts page; wording [INFERENCE]
    "invalid_token": (401, "The specified token is invalid or wrong."),
    "forbidden": (403, MODERATION_MESSAGE),
    "too_many_requests": (429, "You have exceeded the rate limit."),
    "api_error": (500, "Internal server error."),
    "timeout": (504, "Timeout to generate the image."),
}
KIND_CODES = {
    "auth": "invalid_token",
    "balance": "forbidden",
    "moderation": "forbidden",
    "invalid": "bad_request",
    "rate_limited": "too_many_requests",
    "unavailable": "api_error",
}

SPELLINGS = {  # common kind → AceData action (U/V are `upscale{i}` / `variation{i}`)
    "reroll": "reroll",
    "vary_strong": "variation_strong",
    "vary_subtle": "variation_subtle",
    "vary_region": "variation_region",
    "zoom_out_2x": "zoom_out_2x",
    "zoom_out_1_5x": "zoom_out_1_5x",
    "pan_left": "pan_left",
    "pan_right": "pan_right",
    "pan_up": "pan_up",
    "pan_down": "pan_down",
    "upscale_subtle": "upscale_subtle",
    "upscale_creative": "upscale_creative",
    "upscale_2x": "upscale_2x",
    "upscale_4x": "upscale_4x",
}
V5_UPSCALES = {"upscale_subtle": "upscale_2x", "upscale_creative": "upscale_4x"}
MOTION = re.compile(r"--motion\s+(\S+)")
STATES = {"queued": "pending", "running": "generating", "success": "finished", "failure": "failed"}


def acedata_action(kind: str, index: int) -> str | None:
    """A common (kind, index) in AceData's spelling; None where AceData has no such action."""
    if kind in ("upscale", "variation"):
        return f"{kind}{index}"
    return SPELLINGS.get(kind)


def leading_urls(prompt: str) -> list[str]:
    """The URLs a prompt starts with: its image prompts (or a blend's images)."""
    return list(takewhile(lambda word: word.startswith(("http://", "https://")), prompt.split()))


def common_kind(action: str) -> tuple[str, int]:
    """An AceData follow-up action → the common (kind, index)."""
    for kind in ("upscale", "variation"):
        suffix = action.removeprefix(kind)
        if suffix in ("1", "2", "3", "4"):
            return kind, int(suffix)
    return next(k for k, v in SPELLINGS.items() if v == action), 0


class FakeAcedata(FakeProvider):
    name = "acedata"
    hook_field = "callback_url"

    def __init__(self) -> None:
        super().__init__()
        self.error_success_field = False
        self.with_state = False
        self.v5_upscales = False
        self.queries: list[dict[str, Any]] = []  # every /midjourney/tasks body

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post("/midjourney/imagine", self._imagine)
        router.add_post("/midjourney/tasks", self._tasks)
        router.add_post("/midjourney/describe", self._describe)
        router.add_post("/midjourney/videos", self._videos)

    def is_submit(self, request: web.Request) -> bool:
        return request.path != "/midjourney/tasks"

    def new_id(self) -> str:
        return str(uuid.UUID(int=int(super().new_id()), version=4))

    def new_task(
        self, kind: str, prompt: str, index: int = 0, parent: str | None = None
    ) -> FakeTask:
        task = super().new_task(kind, prompt, index, parent)
        task.extra["image_id"] = str(1259525319472185344 + len(self.tasks))
        task.extra["request"] = {}
        return task

    # --- errors -----------------------------------------------------------------------

    def error(self, code: str, message: str | None = None) -> web.Response:
        status, default = ERRORS.get(code, (400, code))
        body: dict[str, Any] = {
            "error": {"code": code, "message": message or default},
            "trace_id": str(uuid.uuid4()),
        }
        if self.error_success_field:
            body = {"success": False, **body}
        return web.json_response(body, status=status)

    def error_response(self, kind: str) -> web.Response:
        """`kind` is an ErrorKind value, or any documented error code (e.g. "timeout")."""
        message = BALANCE_MESSAGE if kind == "balance" else None
        return self.error(KIND_CODES.get(kind, kind), message)

    def _refusal(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization")
        if not header:
            return self.error("no_token")
        if header != f"Bearer {self.api_key}":
            return self.error("invalid_token")
        return None

    async def _body(self, request: web.Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    # --- submit -----------------------------------------------------------------------

    async def _imagine(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        body = await self._body(request)
        if body is None:
            return self.error("bad_request")
        action = body.get("action", "generate")
        if action == "generate":
            prompt = str(body.get("prompt") or "")
            if not prompt:
                return self.error("bad_request", "prompt is required")
            if REFUSED_WORD in prompt:
                return self.error("forbidden", MODERATION_MESSAGE)
            if not await self._images_fetched(leading_urls(prompt)):
                return self.error("bad_request", "the image prompt is not an accessible image")
            task = self.new_task("imagine", prompt)
        else:
            parent = self._by_image_id(str(body.get("image_id") or ""))
            if parent is None:
                return self.error("bad_request", "image_id is not valid")
            if action not in self.actions(parent):
                return self.error("bad_request", f"action {action} is not allowed on this image")
            prompt = parent.prompt
            if action == "variation_region":
                prompt = str(body.get("prompt") or "") or prompt
                if REFUSED_WORD in prompt:
                    return self.error("forbidden", MODERATION_MESSAGE)
                if not await self._mask_loaded(body.get("mask")):
                    return self.error("bad_request", "mask must be a base64 image or its URL")
            kind, index = common_kind(action)
            task = self.new_task(kind, prompt, index, parent.id)
        task.extra["request"] = body
        self.submitted(request.path, body, task)
        return web.json_response({"task_id": task.id})

    async def _describe(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        body = await self._body(request)
        url = body.get("image_url") if body else None
        if not isinstance(url, str) or not url:
            return self.error("bad_request", "image_url is required")
        if not await self._images_fetched([url]):
            return self.error("bad_request", "image_url is not an accessible image")
        task = self.new_task("describe", "")
        task.extra["request"] = body
        self.submitted(request.path, body, task)
        task.state = "success"  # answered at once
        return web.json_response({"descriptions": list(DESCRIBE_PROMPTS)})

    async def _videos(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        body = await self._body(request)
        if body is None:
            return self.error("bad_request")
        parent, problem = await self._video_parent(body)
        if parent is None:
            return self.error("bad_request", problem)
        prompt = str(body.get("prompt") or "")
        if REFUSED_WORD in prompt:
            return self.error("forbidden", MODERATION_MESSAGE)
        motion = MOTION.search(prompt)
        task = self.new_task(f"animate_{motion[1] if motion else 'low'}", prompt, parent=parent.id)
        task.extra.update(request=body, video_id=str(1751816807896311 + len(self.tasks)))
        self.submitted(request.path, body, task)
        return web.json_response({"task_id": task.id})

    async def _video_parent(self, body: dict[str, Any]) -> tuple[FakeTask | None, str]:
        """The upscale `body` animates, or None and why `/midjourney/videos` refuses it."""
        if body.get("action", "generate") != "generate":
            return None, "only generate is modelled"
        if body.get("mode", "fast") not in ("fast", "turbo"):
            return None, "mode must be fast or turbo"
        if body.get("resolution", "720p") not in ("480p", "720p"):
            return None, "resolution must be 480p or 720p"
        motion = MOTION.search(str(body.get("prompt") or ""))
        if motion and motion[1] not in ("low", "high"):
            return None, "--motion must be low or high"
        url = body.get("image_url")
        if not isinstance(url, str) or not url:
            return None, "image_url is required"
        if not await self._images_fetched([url]):
            return None, "image_url is not an accessible image"
        return self._by_image_url(url), "image_url is not the image of a finished upscale"

    def _by_image_url(self, url: object) -> FakeTask | None:
        """The finished upscale whose image `url` is, where it is one of the fake's own."""
        prefix = f"{self.url}/img/"
        if not isinstance(url, str) or not url.startswith(prefix):
            return None
        task = self.tasks.get(url.removeprefix(prefix).partition("/")[0])
        return task if task and task.single_image and task.state == "success" else None

    async def _images_fetched(self, urls: list[str]) -> bool:
        """Whether all `urls` are images, fetched as the real service would; what came is
        recorded in `images_received` (nothing for no URLs)."""
        if not urls:
            return True
        images = [await self.load_image(url) for url in urls]
        self.images_received.append(images)
        return None not in images

    async def _mask_loaded(self, mask: object) -> bool:
        """Whether `mask` is an image in bare base64 or at a URL (decoded into
        `masks_received`)."""
        if not isinstance(mask, str) or not mask or mask.startswith("data:"):
            return False
        image = await self.load_image(mask)
        self.masks_received.append(image)
        return image is not None

    def _by_image_id(self, image_id: str) -> FakeTask | None:
        """Only finished tasks have an image id the API would know."""
        for task in self.tasks.values():
            if task.extra["image_id"] == image_id and task.state == "success":
                return task
        return None

    def actions(self, task: FakeTask) -> list[str]:
        if task.kind.startswith("animate"):
            return []  # no follow-up of a video is modelled
        names = [acedata_action(kind, index) for kind, index in task.next_actions]
        renames = V5_UPSCALES if self.v5_upscales else {}
        return [renames.get(n, n) for n in names if n]

    # --- tasks ------------------------------------------------------------------------

    async def _tasks(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        body = await self._body(request)
        if body is None:
            return self.error("bad_request")
        self.queries.append(body)
        if body.get("action") == "retrieve":
            task = self.tasks.get(str(body.get("id")))
            if task is None:  # the real answer is UNKNOWN
                return self.error("bad_request", "task not found")
            return web.json_response(self.render(self.poll(task)))
        if body.get("action") == "retrieve_batch":
            ids = body.get("ids") if isinstance(body.get("ids"), list) else []
            items = [self.render(self.poll(self.tasks[i])) for i in ids if i in self.tasks]
            return web.json_response({"items": items, "count": len(items)})
        return self.error("bad_request")

    def render(self, task: FakeTask) -> dict[str, Any]:
        """A task item as `/midjourney/tasks` returns it: no `response` while pending."""
        item: dict[str, Any] = {
            "_id": task.id.replace("-", "")[:24],
            "id": task.id,
            "type": "videos" if task.kind.startswith("animate") else "imagine",
            "created_at": 1720364607.967,
            "request": task.extra["request"],
        }
        if self.with_state:
            item["state"] = STATES[task.state]
        if task.state == "running":
            item["response"] = {"progress": self.progress(task), "actions": [], "task_id": task.id}
        elif task.state == "failure":
            item["response"] = {
                "success": False,
                "task_id": task.id,
                "error": {"code": "task_failed", "message": task.fail_reason},
            }
        elif task.state == "success":
            item["image_id"] = task.extra["image_id"]
            item["response"] = self.result(task)
            item["finished_at"] = 1720364637.404
        return item

    def callback_body(self, task: FakeTask) -> dict[str, Any] | None:
        """callback_url: the final result only, or the failure body (§2.4)."""
        if task.state == "failure":
            error = {"code": "task_failed", "message": task.fail_reason}
            return {"success": False, "task_id": task.id, "error": error}
        return self.result(task) if task.state == "success" else None

    def result(self, task: FakeTask) -> dict[str, Any]:
        if task.kind.startswith("animate"):
            return self.video_result(task)
        raw = self.image_url(task)
        side = 1024 if task.single_image else 2048
        result: dict[str, Any] = {
            "image_url": f"{raw}?imageMogr2/thumbnail/!50p",
            "image_width": side // 2,
            "image_height": side // 2,
            "actions": self.actions(task),
            "raw_image_url": raw,
            "raw_image_width": side,
            "raw_image_height": side,
            "progress": 100,
            "image_id": task.extra["image_id"],
            "task_id": task.id,
            "success": True,
        }
        if task.extra["request"].get("split_images") and not task.single_image:
            result["sub_image_urls"] = self.tile_urls(task)
        return result

    def video_result(self, task: FakeTask) -> dict[str, Any]:
        """A finished video, in the fields of the videos guide's example."""
        return {
            "image_url": task.extra["request"]["image_url"],
            "image_width": 512,
            "image_height": 512,
            "progress": 100,
            "video_id": task.extra["video_id"],
            "video_urls": [self.video_url(task, n) for n in range(4)],
            "task_id": task.id,
            "success": True,
        }

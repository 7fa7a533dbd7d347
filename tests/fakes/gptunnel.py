"""A fake GPTunnel Midjourney API (providers.md §5, docs.gptunnel.ru/api-midjourney).

Where the docs are silent, this fake chooses, and the adapter must cope:
- the running status is "processing"; a failed task has status "failed" and
  `error: {"message": …}` (`plain_error = True`: the error is a plain string);
- a refused prompt is a 400 invalid_request_error whose message speaks of banned words;
- an unknown task is a 404 invalid_request_error "Task not found"; a follow-up the parent
  does not offer in `actions` (so also any follow-up on an unfinished parent) is a 400;
  429 and 5xx answers use the same `{"error": …}` envelope;
- `result` is `image_url(task)` plus the documented `?cache=<percent>` (not the real
  `/task/image/<id>` path, so image downloads never meet the fault injection);
- an upsample task offers ["high_variation", "low_variation", "inpaint"] (the /variation page
  says its parent must have the first two; "inpaint" is the fake's name for Vary Region, the
  real one is UNKNOWN); upsample costs 0, the others 18, as in the examples;
- /inpaint takes `taskId` (a task offering "inpaint": an upscale), `mask` as bare base64 of a
  PNG (a `data:` URI, a URL or anything else is the documented 400 "'mask' should be base64
  png …"; its size and colours are not checked) and `prompt` (the parent's when absent). Each
  mask that reaches the PNG check is decoded into `masks_received`. The task ("inpaint") ends
  as a grid.

Variants: `upsample_spelling = True` offers "upsample_i" instead of the documented "upsamle_i";
`doc_actions_verbatim = True` offers the documented grid list exactly (variation_4 twice, no
variation_3).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from aiohttp import web

from tests.fakes.provider_base import REFUSED_WORD, FakeProvider, FakeTask

PREFIX = "/v1/midjourney"

DOC_GRID_ACTIONS = [
    "upsamle_1",
    "upsamle_2",
    "upsamle_3",
    "upsamle_4",
    "reroll",
    "variation_1",
    "variation_2",
    "variation_4",
    "variation_4",
]
TASK_TYPES = {
    "upscale": "upsample",
    "vary_strong": "variation",
    "vary_subtle": "variation",
    "vary_region": "inpaint",
}
BAD_MASK = (  # the documented wording
    "'mask' should be base64 png black and white image with same size as previous generation"
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
STATUSES = {"queued": "idle", "running": "processing", "success": "done", "failure": "failed"}
ERRORS = {
    "auth": (401, "unauthorized_request_error", "Unauthorized"),
    "balance": (402, "insufficient_balance_error", "Organization balance is too low to use API"),
    "moderation": (400, "invalid_request_error", "Prompt contains banned words"),
    "invalid": (400, "invalid_request_error", "'prompt' is a required property"),
    "rate_limited": (429, "rate_limit_error", "Too many requests"),
    "unavailable": (500, "server_error", "Internal server error"),
}


def error_body(status: int, error_type: str, message: str) -> web.Response:
    error = {"message": message, "type": error_type, "param": None, "code": None}
    return web.json_response({"error": error}, status=status)


def invalid(message: str, status: int = 400) -> web.Response:
    return error_body(status, "invalid_request_error", message)


class FakeGptunnel(FakeProvider):
    name = "gptunnel"

    def __init__(self) -> None:
        super().__init__()
        self.upsample_spelling = False
        self.doc_actions_verbatim = False
        self.plain_error = False
        self._object_ids = itertools.count(1)

    def new_id(self) -> str:
        """24 hex digits like a MongoDB ObjectId: a timestamp, then a counter."""
        return f"{int(time.time()):08x}{next(self._object_ids):016x}"

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post(f"{PREFIX}/imagine", self._imagine)
        router.add_post(f"{PREFIX}/upsample", self._upsample)
        router.add_post(f"{PREFIX}/variation", self._variation)
        router.add_post(f"{PREFIX}/reroll", self._reroll)
        router.add_post(f"{PREFIX}/inpaint", self._inpaint)
        router.add_get(f"{PREFIX}/result", self._result)

    def error_response(self, kind: str) -> web.Response:
        return error_body(*ERRORS[kind])

    # --- rendering --------------------------------------------------------------------

    def action_name(self, kind: str, index: int) -> str | None:
        """This provider's action string for a common action; None where it is UNKNOWN."""
        if kind == "upscale":
            return f"{'upsample' if self.upsample_spelling else 'upsamle'}_{index}"
        if kind == "variation":
            return f"variation_{index}"
        return {
            "reroll": "reroll",
            "vary_strong": "high_variation",
            "vary_subtle": "low_variation",
            "vary_region": "inpaint",
        }.get(kind)

    def actions(self, task: FakeTask) -> list[str]:
        if not task.next_actions:
            return []
        if self.doc_actions_verbatim and not task.single_image:
            return list(DOC_GRID_ACTIONS)
        names = [self.action_name(kind, index) for kind, index in task.next_actions]
        return [name for name in names if name]

    def render(self, task: FakeTask) -> dict[str, Any]:
        percent = self.progress(task)
        result = None
        if task.state in ("running", "success"):
            result = f"{self.image_url(task)}?cache={percent}"
        error: Any = None
        if task.state == "failure":
            error = task.fail_reason if self.plain_error else {"message": task.fail_reason}
        cost = 0 if task.kind == "upscale" else 18
        return {
            "id": task.id,
            "parentId": task.parent,
            "object": "task",
            "type": TASK_TYPES.get(task.kind, task.kind),
            "actions": self.actions(task),
            "percent": percent,
            "status": STATUSES[task.state],
            "result": result,
            "error": error,
            "usage": {
                "prompt_tokens": 0,
                "completion_tokens": 1,
                "total_tokens": 1,
                "prompt_cost": 0,
                "completion_cost": cost,
                "total_cost": cost,
            },
        }

    # --- handlers ---------------------------------------------------------------------

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == self.api_key

    async def _body(self, request: web.Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _accept(self, request: web.Request, body: dict[str, Any], task: FakeTask) -> web.Response:
        self.submitted(request.path, body, task)
        return web.json_response(self.render(task))

    def _parent(self, body: dict[str, Any], action: str) -> FakeTask | web.Response:
        """The parent task if it offers `action`, else the error answer."""
        if "taskId" not in body:
            return invalid("'taskId' is a required property")
        parent = self.tasks.get(str(body["taskId"]))
        if parent is None:
            return invalid("Task not found", 404)
        if action not in self.actions(parent):
            return invalid(f"Task {parent.id} has no action {action}")
        return parent

    async def _imagine(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        body = await self._body(request)
        if body is None or not isinstance(body.get("prompt"), str):
            return invalid("'prompt' is a required property")
        if REFUSED_WORD in body["prompt"]:
            return self.error_response("moderation")
        return self._accept(request, body, self.new_task("imagine", body["prompt"]))

    def _indexed(
        self, request: web.Request, body: dict[str, Any] | None, kind: str
    ) -> web.Response:
        """/upsample and /variation with `image`: the i-th picture of a grid."""
        if body is None or "image" not in body:
            return invalid("'image' is a required property")
        index = body["image"]
        if index not in (1, 2, 3, 4):
            return invalid(f"{index!r} is not one of [1, 2, 3, 4]")
        parent = self._parent(body, self.action_name(kind, index) or kind)
        if isinstance(parent, web.Response):
            return parent
        task = self.new_task(kind, parent.prompt, index, parent.id)
        return self._accept(request, body, task)

    async def _upsample(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        return self._indexed(request, await self._body(request), "upscale")

    async def _variation(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        body = await self._body(request)
        if body is None or "mode" not in body:
            return self._indexed(request, body, "variation")
        kind = {"high": "vary_strong", "low": "vary_subtle"}.get(body["mode"])
        if kind is None:
            return invalid(f"{body['mode']!r} is not one of ['high', 'low']")
        parent = self._parent(body, self.action_name(kind, 0) or kind)
        if isinstance(parent, web.Response):
            return parent
        return self._accept(request, body, self.new_task(kind, parent.prompt, 0, parent.id))

    async def _reroll(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        body = await self._body(request)
        if body is None:
            return invalid("'taskId' is a required property")
        parent = self._parent(body, "reroll")
        if isinstance(parent, web.Response):
            return parent
        return self._accept(request, body, self.new_task("reroll", parent.prompt, 0, parent.id))

    async def _inpaint(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        body = await self._body(request)
        if body is None or "mask" not in body:
            return invalid("'mask' is a required property")
        parent = self._parent(body, "inpaint")
        if isinstance(parent, web.Response):
            return parent
        mask = body["mask"]
        if not isinstance(mask, str) or mask.startswith(("data:", "http")):
            return invalid(BAD_MASK)
        image = await self.load_image(mask)
        self.masks_received.append(image)
        if image is None or not image.startswith(PNG_MAGIC):
            return invalid(BAD_MASK)
        prompt = str(body.get("prompt") or "") or parent.prompt
        if REFUSED_WORD in prompt:
            return self.error_response("moderation")
        return self._accept(request, body, self.new_task("vary_region", prompt, 0, parent.id))

    async def _result(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return self.error_response("auth")
        task_id = request.query.get("taskId")
        if not task_id:
            return invalid("'id' is a required property")  # sic, the documented message
        task = self.tasks.get(task_id)
        if task is None:
            return invalid("Task not found", 404)
        return web.json_response(self.render(self.poll(task)))

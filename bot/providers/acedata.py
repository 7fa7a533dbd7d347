"""AceData Cloud (https://api.acedata.cloud): providers.md §2.

Every job goes through `POST /midjourney/imagine`, always with a `callback_url` so that the
API answers at once with `{"task_id": …}` instead of holding the request open until the image
is ready; the result is then polled with `POST /midjourney/tasks` (one task, or a batch).
Follow-ups are the same endpoint with `action` + `image_id`; a button's handle is
`"<action>|<image_id>"` because `act()` only gets the parent's task id.

Unknowns and inferences (providers.md §2), and what this adapter does:
- Async mode needs a callback URL even where the bot has no public URL: without the job's
  own hook URL (webhook mode) it is the dummy AceData's own MCP client uses
  (`https://api.acedata.cloud/health`, which discards the payload).
- Callbacks (WEBHOOK): AceData POSTs the final result object (§2.5, with `task_id`) or the
  failure body `{"success": false, "task_id", "error"}`; it is read as the `response` of a
  task item. Retries are UNKNOWN; a lost one is caught by the tracker's safety polls.
- Whether `state` is sent at all, and whether `cancelled` exists (only the MCP client's
  heuristics know it): both are read when present; no `response` means queued.
- Progress while running is read from `response.progress` [INFERENCE]. A running answer that
  already says `success: true` is taken as finished only at progress 100 (or with no progress).
- A finished task without any image URL becomes a FAILURE rather than a SUCCESS with nothing
  to post.
- The answer for an unknown task id is UNKNOWN: an error answer keeps its kind (a 400 is
  INVALID), a body without `id` is INVALID as well; a batch simply leaves unknown ids out.
- `forbidden` (403) means moderation, an exhausted balance or a disabled credential (concepts
  page); the message decides: balance/quota → BALANCE, credential/disabled → AUTH [INFERENCE],
  otherwise MODERATION.
- Error bodies with and without `"success": false` are both documented; both are read.
- Custom zoom is UNKNOWN (no action for it); `variation_region` needs a mask that `act()`
  cannot pass, so `act()` refuses the actions that need input (UNSUPPORTED).
- Full-size image: `raw_image_url` (`image_url` is a thumbnail); tiles only when the API
  returns `sub_image_urls` (`split_images`, not requested: its cost is UNKNOWN).
- Field types are not trusted: a URL is an http(s) string, a progress a finite number, ids
  and action names strings; anything else reads as absent. A fetched task keeps the id it
  was fetched by; a batch item without a readable id is left out (the tracker counts it as
  not found).
- No request field is documented to come back on the task (`trace_id` is the server's):
  the bot's `ref` is not sent and there is no RECONCILE.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot, TaskState, classify_failure

IMAGINE_PATH = "/midjourney/imagine"
TASKS_PATH = "/midjourney/tasks"
DEFAULT_CALLBACK_URL = "https://api.acedata.cloud/health"

ACTIONS: dict[str, Action] = {
    "reroll": Action.REROLL,
    "variation_strong": Action.VARY_STRONG,
    "variation_subtle": Action.VARY_SUBTLE,
    "variation_region": Action.VARY_REGION,
    "zoom_out_2x": Action.ZOOM_OUT_2X,
    "zoom_out_1_5x": Action.ZOOM_OUT_1_5X,
    "pan_left": Action.PAN_LEFT,
    "pan_right": Action.PAN_RIGHT,
    "pan_up": Action.PAN_UP,
    "pan_down": Action.PAN_DOWN,
    "upscale_subtle": Action.UPSCALE_SUBTLE,
    "upscale_creative": Action.UPSCALE_CREATIVE,
    "upscale_2x": Action.UPSCALE_2X,
    "upscale_4x": Action.UPSCALE_4X,
    "square": Action.MAKE_SQUARE,
    "redo_upscale_subtle": Action.REDO_UPSCALE_SUBTLE,
    "redo_upscale_creative": Action.REDO_UPSCALE_CREATIVE,
    "redo_upscale_2x": Action.REDO_UPSCALE_2X,
    "redo_upscale_4x": Action.REDO_UPSCALE_4X,
}
INDEXED_ACTION = re.compile(r"(upscale|variation)([1-4])")

ERROR_CODES: dict[str, ErrorKind] = {
    "bad_request": ErrorKind.INVALID,
    "api_not_implemented": ErrorKind.INVALID,
    "invalid_token": ErrorKind.AUTH,
    "no_token": ErrorKind.AUTH,
    "token_mismatched": ErrorKind.AUTH,
    "forbidden": ErrorKind.MODERATION,
    "too_many_requests": ErrorKind.RATE_LIMITED,
    "api_error": ErrorKind.UNAVAILABLE,
    "timeout": ErrorKind.UNAVAILABLE,
}

DONE_STATES = frozenset({"finished", "complete", "completed", "succeeded", "success"})
FAILED_STATES = frozenset({"failed", "error", "cancelled", "canceled"})


def action_of(name: str) -> tuple[Action, int]:
    """An AceData action string → the common action and its U/V index (0 for the others)."""
    match = INDEXED_ACTION.fullmatch(name)
    if match:
        kind = Action.UPSCALE if match[1] == "upscale" else Action.VARIATION
        return kind, int(match[2])
    return ACTIONS.get(name, Action.OTHER), 0


def parse_buttons(actions: Any, image_id: str) -> tuple[Button, ...]:
    """The result's `actions`, in order; each handle carries what `act()` must send."""
    buttons = []
    for name in values.items(actions):
        if isinstance(name, str) and name:
            action, index = action_of(name)
            buttons.append(Button(action, f"{name}|{image_id}", index, name))
    return tuple(buttons)


def error_kind(code: str, message: str) -> ErrorKind | None:
    """The kind of an AceData error code; None for codes the docs do not list."""
    kind = ERROR_CODES.get(code)
    if kind is ErrorKind.MODERATION:
        text = message.lower()
        if "balance" in text or "quota" in text:
            return ErrorKind.BALANCE
        if "credential" in text or "disabled" in text:
            return ErrorKind.AUTH
    return kind


def failure_kind(code: str, message: str) -> ErrorKind:
    """Why a task failed: the code where it says something definite, else the message."""
    kind = error_kind(code, message)
    if kind in (ErrorKind.MODERATION, ErrorKind.BALANCE, ErrorKind.INVALID):
        return kind
    return classify_failure(message)


def parse_task(task: dict[str, Any], task_id: str = "") -> TaskSnapshot:
    """One item of `/midjourney/tasks` → a snapshot; `task_id` is the id the task was asked
    for by, else the item's own `id`."""
    task_id = task_id or values.ident(task.get("id")) or ""
    state = values.text(task.get("state")).lower()
    response = task.get("response")
    if not isinstance(response, dict):
        if state in FAILED_STATES:
            return _failure(task_id, {}, state)
        queued = state in ("", "pending")
        return TaskSnapshot(task_id, TaskState.QUEUED if queued else TaskState.RUNNING)
    success = response.get("success")
    progress = values.progress(response.get("progress"))
    if success is False or state in FAILED_STATES:
        return _failure(task_id, response, state)
    complete = "progress" not in response or progress >= 100
    if (success is True and complete) or state in DONE_STATES:
        return _success(task_id, response, values.ident(task.get("image_id")) or "")
    return TaskSnapshot(task_id, TaskState.RUNNING, progress)


def _success(task_id: str, response: dict[str, Any], task_image_id: str) -> TaskSnapshot:
    image = values.url(response.get("raw_image_url")) or values.url(response.get("image_url"))
    if not image:
        return TaskSnapshot(
            task_id,
            TaskState.FAILURE,
            fail_reason="the task finished without an image",
            error_kind=ErrorKind.FAILED,
        )
    image_id = values.ident(response.get("image_id")) or task_image_id
    return TaskSnapshot(
        task_id,
        TaskState.SUCCESS,
        100,
        image_url=image,
        image_urls=values.urls(response.get("sub_image_urls")),
        buttons=parse_buttons(response.get("actions"), image_id),
    )


def _failure(task_id: str, response: dict[str, Any], state: str) -> TaskSnapshot:
    error = values.mapping(response.get("error"))
    code = values.text(error.get("code"))
    message = values.text(error.get("message"))
    return TaskSnapshot(
        task_id,
        TaskState.FAILURE,
        fail_reason=message or code or f"task {state or 'failed'}",
        error_kind=failure_kind(code, message),
    )


class AcedataProvider(Provider):
    name = "acedata"
    default_url = "https://api.acedata.cloud"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax", "turbo")
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.DESCRIBE,
            Capability.BLEND,
            Capability.VIDEO,
            Capability.VARY_REGION,
            Capability.BATCH_FETCH,
            Capability.WEBHOOK,
        }
    )
    batch_size = 20

    def __init__(self, base_url: str, api_key: str, **options: Any) -> None:
        super().__init__(base_url, api_key, **options)
        self.http.headers["Accept"] = "application/json"

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[bytes] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return await self._submit({"prompt": prompt}, hook, speed)

    async def act(
        self,
        parent_task_id: str,
        button: Button,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        if button.action.needs_input:
            raise ProviderError(
                ErrorKind.UNSUPPORTED, f"{button.label or button.action} needs a mask or prompt"
            )
        action, _, image_id = button.handle.partition("|")
        if not action or not image_id:
            raise ProviderError(
                ErrorKind.INVALID, f"button of task {parent_task_id} has no image id"
            )
        return await self._submit({"action": action, "image_id": image_id}, hook, speed)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        data = await self._post(TASKS_PATH, {"id": task_id, "action": "retrieve"})
        if "id" not in data:
            raise ProviderError(ErrorKind.INVALID, f"task {task_id} not found: {str(data)[:120]}")
        return parse_task(data, task_id)

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        snapshots: list[TaskSnapshot] = []
        for start in range(0, len(task_ids), self.batch_size):
            chunk = task_ids[start : start + self.batch_size]
            data = await self._post(TASKS_PATH, {"ids": chunk, "action": "retrieve_batch"})
            items = data.get("items")
            if not isinstance(items, list):
                raise ProviderError(
                    ErrorKind.UNAVAILABLE, f"{TASKS_PATH}: batch answer without items"
                )
            snapshots += self.read_batch(items, parse_task)
        return snapshots

    def read_callback(self, raw: bytes) -> TaskSnapshot:
        result = self.callback_json(raw)
        task_id = values.ident(result.get("task_id"))
        if task_id is None:
            raise ProviderError(ErrorKind.INVALID, "callback_url: no task_id")
        return parse_task({"id": task_id, "response": result}, task_id)

    async def _submit(self, fields: dict[str, Any], hook: str | None, speed: str | None) -> str:
        """Always with a callback URL: with one, AceData answers at once (see above)."""
        body = {**fields, "mode": speed or self.mode, "callback_url": hook or DEFAULT_CALLBACK_URL}
        data = await self._post(IMAGINE_PATH, body)
        task_id = values.ident(data.get("task_id"))
        if task_id is None:
            raise self.unexpected_answer(200, data)
        return task_id

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body`; the answer's JSON object, or the ProviderError its error stands for."""
        status, data = await self.request("POST", path, json=body)
        if not isinstance(data, dict):
            if status == 200:
                raise self.unexpected_answer(status, data)
            raise self.http_error(status, f"{path}: {str(data)[:120]}")
        error = data.get("error")
        if status == 200 and not error:
            return data
        if not isinstance(error, dict):
            raise self.http_error(status, f"{path}: {str(data)[:120]}")
        code = str(error.get("code") or "")
        message = str(error.get("message") or "")
        detail = f"{path}: {code}: {message} (trace_id {data.get('trace_id')})"
        raise self.http_error(status, detail, error_kind(code, message))

"""AceData Cloud's answers read in common terms: a task item of `/midjourney/tasks` (or a
callback's result) as a TaskSnapshot (an image with its `actions` as buttons, or a video), an
error code as an ErrorKind. What the docs leave open about them, and what is done about it,
is listed in acedata.py."""

from __future__ import annotations

import re
from typing import Any

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.errors import ErrorKind
from bot.providers.tasks import TaskSnapshot, TaskState, classify_failure

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
    if not ((success is True and complete) or state in DONE_STATES):
        return TaskSnapshot(task_id, TaskState.RUNNING, progress)
    if "video_urls" in response or task.get("type") == "videos":
        return _video(task_id, response)
    return _success(task_id, response, values.ident(task.get("image_id")) or "")


def _video(task_id: str, response: dict[str, Any]) -> TaskSnapshot:
    """A finished video: its `video_urls`, the cover as its image, no follow-ups."""
    videos = values.urls(response.get("video_urls"))
    if not videos:
        return _empty(task_id, "the video finished without any video")
    cover = values.url(response.get("image_url"))
    return TaskSnapshot(task_id, TaskState.SUCCESS, 100, image_url=cover, video_urls=videos)


def _success(task_id: str, response: dict[str, Any], task_image_id: str) -> TaskSnapshot:
    image = values.url(response.get("raw_image_url")) or values.url(response.get("image_url"))
    if not image:
        return _empty(task_id, "the task finished without an image")
    image_id = values.ident(response.get("image_id")) or task_image_id
    return TaskSnapshot(
        task_id,
        TaskState.SUCCESS,
        100,
        image_url=image,
        image_urls=values.urls(response.get("sub_image_urls")),
        buttons=parse_buttons(response.get("actions"), image_id),
    )


def _empty(task_id: str, reason: str) -> TaskSnapshot:
    """A task that finished with nothing to post."""
    return TaskSnapshot(task_id, TaskState.FAILURE, fail_reason=reason, error_kind=ErrorKind.FAILED)


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

"""APIMart's task, the flat answer of `GET /v1/midjourney/{task_id}`, read as a TaskSnapshot:
its status, images, buttons, a describe's prompts and a video's URLs. What the docs leave
open about these fields, and what is done about it, is listed in apimart.py."""

from __future__ import annotations

import re
from typing import Any

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.custom_ids import action_for
from bot.providers.tasks import KEYCAPS, TaskSnapshot, TaskState, classify_failure, split_prompts

STATES = {
    "NOT_START": TaskState.QUEUED,
    "SUBMITTED": TaskState.QUEUED,
    "IN_PROGRESS": TaskState.RUNNING,
    "MODAL": TaskState.MODAL,
    "SUCCESS": TaskState.SUCCESS,
    "FAILURE": TaskState.FAILURE,
    "CANCEL": TaskState.FAILURE,
}

# Midjourney's own labels. The Redo labels are read before the customId: a redo button may
# carry the same customId pattern as the upscale it repeats.
REDO_LABELS = {
    "Redo Upscale (Subtle)": Action.REDO_UPSCALE_SUBTLE,
    "Redo Upscale (Creative)": Action.REDO_UPSCALE_CREATIVE,
    "Redo Upscale (2x)": Action.REDO_UPSCALE_2X,
    "Redo Upscale (4x)": Action.REDO_UPSCALE_4X,
}
LABELS = {
    "🔄": Action.REROLL,
    "Vary (Strong)": Action.VARY_STRONG,
    "Vary (Subtle)": Action.VARY_SUBTLE,
    "Vary (Region)": Action.VARY_REGION,
    "Zoom Out 2x": Action.ZOOM_OUT_2X,
    "Zoom Out 1.5x": Action.ZOOM_OUT_1_5X,
    "Custom Zoom": Action.ZOOM_CUSTOM,
    "Make Square": Action.MAKE_SQUARE,
    "⬅️": Action.PAN_LEFT,
    "➡️": Action.PAN_RIGHT,
    "⬆️": Action.PAN_UP,
    "⬇️": Action.PAN_DOWN,
    "Upscale (Subtle)": Action.UPSCALE_SUBTLE,
    "Upscale (Creative)": Action.UPSCALE_CREATIVE,
    "Upscale (2x)": Action.UPSCALE_2X,
    "Upscale (4x)": Action.UPSCALE_4X,
}
INDEXED_LABEL = re.compile(r"^([UV])([1-4])$")


def parse_button(item: dict[str, Any]) -> Button:
    """One `{customId, label}` entry as a common Button; its customId is the handle."""
    custom_id = values.text(item.get("customId"))
    label = values.text(item.get("label"))
    action, index = REDO_LABELS.get(label), 0
    if action is None:
        action, index = action_for(custom_id)
    if action is Action.OTHER:
        indexed = INDEXED_LABEL.match(label)
        if indexed:
            action = Action.UPSCALE if indexed.group(1) == "U" else Action.VARIATION
            index = int(indexed.group(2))
        else:
            action = LABELS.get(label, Action.OTHER)
    return Button(action=action, handle=custom_id, index=index, label=label or action.value)


def parse_buttons(items: Any) -> tuple[Button, ...]:
    return tuple(
        parse_button(item)
        for item in values.items(items)
        if isinstance(item, dict) and values.text(item.get("customId"))
    )


def describe_prompts(data: dict[str, Any]) -> tuple[str, ...]:
    """A describe's suggestions, from `prompt` or `description`: the first numbered with
    keycaps, else the first with any text."""
    texts = [values.text(data.get(key)) for key in ("prompt", "description")]
    texts.sort(key=lambda text: not KEYCAPS.search(text))  # numbered first; stable
    return next(filter(None, map(split_prompts, texts)), ())


def video_urls(data: dict[str, Any]) -> tuple[str, ...]:
    """A video task's videos: `video_url`, then those of `video_urls` not already named."""
    found = (values.url(data.get("video_url")), *values.urls(data.get("video_urls")))
    return tuple(dict.fromkeys(url for url in found if url))


def parse_task(data: dict[str, Any], task_id: str = "") -> TaskSnapshot:
    """The flat answer of `GET /v1/midjourney/{task_id}` as a TaskSnapshot; `task_id` is the
    id the task was fetched by, else the answer's own `id`."""
    status = values.text(data.get("status")).upper()
    state = STATES.get(status, TaskState.RUNNING)
    action = values.text(data.get("action")).upper()
    urls = values.urls(data.get("image_urls"))
    single = action == "UPSCALE" or len(urls) == 1
    image_url = (urls[0] if urls else None) if single else values.url(data.get("grid_image_url"))
    reason = None
    if state is TaskState.FAILURE:
        reason = values.text(data.get("fail_reason")) or status
    prompts: tuple[str, ...] = ()
    if state is TaskState.SUCCESS and "DESCRIBE" in (action, values.text(data.get("mode")).upper()):
        prompts = describe_prompts(data)
        if not prompts:
            state, reason = TaskState.FAILURE, "the describe finished without any prompt"
    videos = video_urls(data)
    if state is TaskState.SUCCESS and action == "VIDEO" and not videos:
        state, reason = TaskState.FAILURE, "the video finished without any video"
    return TaskSnapshot(
        task_id=task_id or values.ident(data.get("id")) or "",
        state=state,
        progress=100 if state is TaskState.SUCCESS else values.progress(data.get("progress")),
        image_url=image_url,
        image_urls=() if single else urls,
        buttons=() if action == "VIDEO" else parse_buttons(data.get("buttons")),
        prompts=prompts,
        video_urls=videos,
        fail_reason=reason,
        error_kind=classify_failure(reason) if reason is not None else None,
    )

"""midjourney-proxy's Task JSON (a fetch answer, a list item, a notifyHook body) read as a
TaskSnapshot: its status, images, buttons, a describe's prompts and a video's URLs. What the
sources leave open about these fields, and what is done about it, is listed in agicto.py."""

from __future__ import annotations

from typing import Any

from bot.domain import Button
from bot.providers import values
from bot.providers.custom_ids import action_for
from bot.providers.tasks import TaskSnapshot, TaskState, classify_failure, split_prompts

STATES = {
    "NOT_START": TaskState.QUEUED,
    "SUBMITTED": TaskState.QUEUED,
    "IN_PROGRESS": TaskState.RUNNING,
    "MODAL": TaskState.MODAL,
    "SUCCESS": TaskState.SUCCESS,
    "FAILURE": TaskState.FAILURE,
    "CANCEL": TaskState.FAILURE,
}
NO_PROMPTS = "the describe finished without any prompt"
NO_VIDEO = "the video finished without any video"
VIDEO_ACTIONS = ("VIDEO", "VIDEO_EXTEND")  # trueai's task actions of an Animate and an extend
EXTEND_VERBS = ("animate_high_extend", "animate_low_extend")  # a video's buttons kept


def parse_buttons(raw: Any) -> tuple[Button, ...]:
    """The task's `buttons[]` as common Buttons; the handle is the customId, verbatim."""
    buttons = []
    for item in values.items(raw):
        item = values.mapping(item)
        custom_id = values.text(item.get("customId"))
        if not custom_id:
            continue
        action, index = action_for(custom_id)
        label = values.text(item.get("label")) or values.text(item.get("emoji")) or action.value
        buttons.append(Button(action=action, handle=custom_id, index=index, label=label))
    return tuple(buttons)


def tile_urls(raw: Any) -> tuple[str, ...]:
    """trueai's `imageUrls[{url, thumbnail}]` (plain strings are read too); also its
    `videoUrls`, which have the same shape."""
    items = values.items(raw)
    return values.urls([item.get("url") if isinstance(item, dict) else item for item in items])


def video_urls(data: dict[str, Any]) -> tuple[str, ...]:
    """A task's videos: trueai's `videoUrl`, then those of `videoUrls` not already named."""
    found = (values.url(data.get("videoUrl")), *tile_urls(data.get("videoUrls")))
    return tuple(dict.fromkeys(url for url in found if url))


def is_extend(button: Button) -> bool:
    """An Extend (High/Low motion) button, the only ones a video's result keeps."""
    return any(verb in button.handle for verb in EXTEND_VERBS)


def describe_prompts(data: dict[str, Any]) -> tuple[str, ...]:
    """A describe's suggestions: `properties.finalPrompt`, which every variant sets, else
    `promptEn` (novicezk and trueai's non-Discord accounts set it to the same text)."""
    final = values.text(values.mapping(data.get("properties")).get("finalPrompt"))
    return split_prompts(final or values.text(data.get("promptEn")))


def parse_task(data: dict[str, Any], task_id: str = "") -> TaskSnapshot:
    """A proxy Task JSON as a snapshot; `task_id` is the id the task was asked for by, else
    the JSON's own `id`."""
    status = values.text(data.get("status"))
    state = STATES.get(status, TaskState.RUNNING)
    if state is TaskState.MODAL and data.get("remixAutoSubmit") is True:
        state = TaskState.QUEUED  # trueai: confirmed, not yet taken by its queue
    reason = None
    if state is TaskState.FAILURE:
        reason = (
            values.text(data.get("failReason")) or values.text(data.get("description")) or status
        )
    action = values.text(data.get("action"))
    prompts: tuple[str, ...] = ()
    if state is TaskState.SUCCESS and action == "DESCRIBE":
        prompts = describe_prompts(data)
        if not prompts:
            state, reason = TaskState.FAILURE, NO_PROMPTS
    image_url = values.url(data.get("imageUrl"))
    image_urls = tile_urls(data.get("imageUrls"))
    buttons = parse_buttons(data.get("buttons"))
    videos = video_urls(data)
    if action in VIDEO_ACTIONS:
        if state is TaskState.SUCCESS and not videos:
            state, reason = TaskState.FAILURE, NO_VIDEO
        # trueai's `imageUrl` and `imageUrls` of a video are its videos again: not images.
        image_url = None if image_url in videos else image_url
        image_urls = ()
        buttons = tuple(button for button in buttons if is_extend(button))
    return TaskSnapshot(
        task_id=task_id or values.ident(data.get("id")) or "",
        state=state,
        progress=100 if state is TaskState.SUCCESS else values.progress(data.get("progress")),
        image_url=image_url,
        image_urls=image_urls,
        buttons=buttons,
        prompts=prompts,
        video_urls=videos,
        fail_reason=reason,
        error_kind=classify_failure(reason) if reason is not None else None,
    )


def is_task(body: Any) -> bool:
    return isinstance(body, dict) and "id" in body and "status" in body

"""Jobs, actions and buttons: the bot's own vocabulary, free of Telegram and of any provider."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    NEW = "new"  # persisted, not yet sent to the provider
    SUBMITTING = "submitting"  # request sent, provider's answer not stored yet
    SUBMITTED = "submitted"  # provider task id stored, waiting for a result
    RUNNING = "running"  # provider reports progress
    SUCCEEDED = "succeeded"  # result known, not yet posted to the chat
    DELIVERED = "delivered"  # result posted: final
    FAILED = "failed"  # final

    @property
    def is_final(self) -> bool:
        return self in (JobStatus.DELIVERED, JobStatus.FAILED)

    @property
    def is_polled(self) -> bool:
        return self in (JobStatus.SUBMITTED, JobStatus.RUNNING)


class Action(StrEnum):
    """Midjourney's actions in common terms; providers map their own names onto these."""

    IMAGINE = "imagine"
    UPSCALE = "upscale"  # U1–U4 (index)
    VARIATION = "variation"  # V1–V4 (index)
    REROLL = "reroll"  # 🔄
    VARY_STRONG = "vary_strong"
    VARY_SUBTLE = "vary_subtle"
    VARY_REGION = "vary_region"
    ZOOM_OUT_2X = "zoom_out_2x"
    ZOOM_OUT_1_5X = "zoom_out_1_5x"
    ZOOM_CUSTOM = "zoom_custom"
    MAKE_SQUARE = "make_square"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    PAN_UP = "pan_up"
    PAN_DOWN = "pan_down"
    UPSCALE_SUBTLE = "upscale_subtle"
    UPSCALE_CREATIVE = "upscale_creative"
    UPSCALE_2X = "upscale_2x"
    UPSCALE_4X = "upscale_4x"
    REDO_UPSCALE_SUBTLE = "redo_upscale_subtle"
    REDO_UPSCALE_CREATIVE = "redo_upscale_creative"
    REDO_UPSCALE_2X = "redo_upscale_2x"
    REDO_UPSCALE_4X = "redo_upscale_4x"
    ANIMATE_HIGH = "animate_high"
    ANIMATE_LOW = "animate_low"
    EXTEND_HIGH = "extend_high"  # a video made longer
    EXTEND_LOW = "extend_low"
    DESCRIBE = "describe"  # four prompts for a photo
    BLEND = "blend"  # 2–5 photos into one grid
    OTHER = "other"  # offered by the provider, not known to the bot

    @property
    def needs_input(self) -> bool:
        """Actions that need a mask or a new prompt from the person before they can run."""
        return self in (Action.VARY_REGION, Action.ZOOM_CUSTOM)

    @property
    def runnable(self) -> bool:
        """Whether a tap can start this action as a plain follow-up job."""
        return not self.needs_input and self not in (Action.BLEND, Action.OTHER)

    @property
    def remixable(self) -> bool:
        """Follow-ups that Remix runs with an edited prompt, as Midjourney's Remix does."""
        return self in (
            Action.VARIATION,
            Action.REROLL,
            Action.VARY_STRONG,
            Action.VARY_SUBTLE,
            Action.PAN_LEFT,
            Action.PAN_RIGHT,
            Action.PAN_UP,
            Action.PAN_DOWN,
        )

    @property
    def is_video(self) -> bool:
        """Actions whose result is a video."""
        return self in (
            Action.ANIMATE_LOW,
            Action.ANIMATE_HIGH,
            Action.EXTEND_LOW,
            Action.EXTEND_HIGH,
        )

    @property
    def is_upscale(self) -> bool:
        """Actions whose result is one image at its full size."""
        return self.value.startswith(("upscale", "redo_upscale"))

    @property
    def once_per_result(self) -> bool:
        """Upscales give the same image every time, so a result's upscale button is used once."""
        return self in (
            Action.UPSCALE,
            Action.UPSCALE_SUBTLE,
            Action.UPSCALE_CREATIVE,
            Action.UPSCALE_2X,
            Action.UPSCALE_4X,
        )


@dataclass(frozen=True)
class Button:
    """A next action offered by the provider for a result.

    `handle` is the provider's own identifier (a customId, an action string, …); only the
    adapter that made it reads it. `label` is the provider's label, kept for `Action.OTHER`.
    """

    action: Action
    handle: str
    index: int = 0
    label: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"a": self.action.value, "h": self.handle, "i": self.index, "l": self.label}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Button:
        return cls(Action(data["a"]), str(data["h"]), int(data["i"]), str(data["l"]))


def with_animate(buttons: list[Button]) -> list[Button]:
    """An upscale's buttons with the bot's own Animate buttons, where the provider makes
    videos but does not offer them itself."""
    if any(button.action.is_video for button in buttons):
        return buttons
    return [*buttons, Button(Action.ANIMATE_LOW, ""), Button(Action.ANIMATE_HIGH, "")]


def describe_buttons(prompts: list[str] | tuple[str, ...]) -> list[Button]:
    """The bot's own buttons under a describe's answer: one imagine per prompt (1️⃣ …),
    then describe again."""
    imagines = [Button(Action.IMAGINE, "", n) for n in range(1, len(prompts) + 1)]
    return [*imagines, Button(Action.DESCRIBE, "")]


def buttons_to_json(buttons: list[Button] | tuple[Button, ...]) -> str:
    return json.dumps([b.to_dict() for b in buttons], ensure_ascii=False)


def buttons_from_json(text: str | None) -> list[Button]:
    return [Button.from_dict(d) for d in json.loads(text)] if text else []


@dataclass
class Job:
    """One provider task the bot asked for, from the tap or prompt to the posted result."""

    id: int
    user_id: int
    chat_id: int
    action: Action
    prompt: str
    provider: str
    status: JobStatus = JobStatus.NEW
    index: int = 0  # U/V index, or 0
    parent_id: int | None = None
    button_index: int | None = None  # which of the parent's buttons started this job
    request_message_id: int | None = None  # the prompt or the result whose button was tapped
    status_message_id: int | None = None
    result_message_id: int | None = None
    task_id: str | None = None
    progress: int = 0
    image_url: str | None = None
    image_urls: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    file_id: str | None = None  # Telegram's id of the posted image
    document_file_id: str | None = None  # Telegram's id of the original sent as a document
    speed: str | None = None  # the mode the person chose (fast, relax, turbo); None: MJ_MODE
    image_prompts: list[str] = field(default_factory=list)  # Telegram file ids of the photos
    prompts: list[str] = field(default_factory=list)  # what a describe suggested
    # Vary (Region): {"cells": [1 …], "grid": cells per side, "size": [width, height]}
    region: dict[str, Any] | None = None
    remix: bool = False  # runs with the prompt the person edited (Remix)
    video_urls: list[str] = field(default_factory=list)  # an Animate's videos
    error_kind: str | None = None
    error: str | None = None
    attempts: int = 0  # consecutive errors of this job's calls (polls, deliveries, submits)
    misses: int = 0  # consecutive polls that did not find the task
    sender_chat_id: int | None = None  # asked for on behalf of this chat (anonymous admins)
    hook_token: str | None = None  # names the job in the URL its provider calls back
    locale: str = "en"
    # Credits reserved for this job (see credits.py): from the day's free ones, and bought.
    cost_free: int = 0
    cost_paid: int = 0
    copy_of: int | None = None  # a result posted again from /history: the job it copies
    created_at: float = 0.0
    updated_at: float = 0.0

"""A provider task as the bot sees it: its state, what the provider can do, and the common
kind of a failure read from the provider's free text. Free of HTTP and of any one provider."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Button
from bot.providers.errors import ErrorKind


class TaskState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    MODAL = "modal"  # the provider waits for a mask or prompt
    SUCCESS = "success"
    FAILURE = "failure"

    @property
    def is_final(self) -> bool:
        return self in (TaskState.SUCCESS, TaskState.FAILURE)


class Capability(StrEnum):
    DESCRIBE = "describe"
    BLEND = "blend"
    VIDEO = "video"
    VARY_REGION = "vary_region"
    CUSTOM_ZOOM = "custom_zoom"
    REMIX = "remix"  # variations, rerolls, vary and pan can run with an edited prompt
    BATCH_FETCH = "batch_fetch"
    WEBHOOK = "webhook"
    RECONCILE = "reconcile"  # find_task can tell whether a submit reached the provider


@dataclass(frozen=True)
class TaskSnapshot:
    """A provider task as the bot sees it, whatever the provider's JSON looked like."""

    task_id: str
    state: TaskState
    progress: int = 0  # 0–100
    image_url: str | None = None  # the image to post: the grid, or the single upscaled image
    image_urls: tuple[str, ...] = ()  # the four tiles, where the provider gives them
    buttons: tuple[Button, ...] = ()  # the next actions the provider offers, in its order
    prompts: tuple[str, ...] = ()  # a describe's suggested prompts, in the provider's order
    video_urls: tuple[str, ...] = ()  # an Animate's videos (the first is posted)
    fail_reason: str | None = None
    error_kind: ErrorKind | None = None  # why it failed, in common terms


# A blend's shapes, by aspect ratio, with the names midjourney-proxy, APIMart and TTApi use.
BLEND_DIMENSIONS = {"2:3": "PORTRAIT", "1:1": "SQUARE", "3:2": "LANDSCAPE"}
KEYCAPS = re.compile(r"(?:^|\s)[1-9]\ufe0f?\u20e3\s*")  # 1️⃣ … 9️⃣, as Midjourney numbers them


def split_prompts(text: str | None) -> tuple[str, ...]:
    """A describe's answer as its prompts: numbered by keycaps (`1️⃣ … 2️⃣ …`, on one line or
    many), else one per paragraph or line. Numbers and surrounding space are taken off."""
    text = (text or "").strip()
    if KEYCAPS.search(text):
        parts = KEYCAPS.split(text)
    else:
        parts = re.split(r"\n\s*\n", text) if "\n\n" in text else text.splitlines()
    return tuple(part.strip() for part in parts if part.strip())


MODERATION_HINTS = (
    "banned",
    "moderat",
    "violat",
    "sensitive",
    "community standards",
    "forbidden",
    "敏感",
)


def classify_failure(reason: str | None) -> ErrorKind:
    """The kind of a failed task from the provider's free-text reason."""
    text = (reason or "").lower()
    if any(hint in text for hint in MODERATION_HINTS):
        return ErrorKind.MODERATION
    if "balance" in text or "quota" in text or "insufficient" in text:
        return ErrorKind.BALANCE
    return ErrorKind.FAILED

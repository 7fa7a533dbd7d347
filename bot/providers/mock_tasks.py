"""What a mock task id says (kind, index, creation time, failure, the seed its picture is
drawn from, its shape) and what the task offers: the mock keeps no other state, so its
tasks survive a restart of the bot."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bot.domain import Action, Button
from bot.providers.errors import ErrorKind, ProviderError

ASPECT = re.compile(r"--(?:ar|aspect)\s+(\d+):(\d+)")
MAX_SIDE = 100  # the largest number an aspect ratio may have here

LABELS = {
    Action.REROLL: "🔄",
    Action.VARY_STRONG: "Vary (Strong)",
    Action.VARY_SUBTLE: "Vary (Subtle)",
    Action.VARY_REGION: "Vary (Region)",
    Action.ZOOM_OUT_2X: "Zoom Out 2x",
    Action.ZOOM_OUT_1_5X: "Zoom Out 1.5x",
    Action.ZOOM_CUSTOM: "Custom Zoom",
    Action.PAN_LEFT: "⬅️",
    Action.PAN_RIGHT: "➡️",
    Action.PAN_UP: "⬆️",
    Action.PAN_DOWN: "⬇️",
    Action.UPSCALE_SUBTLE: "Upscale (Subtle)",
    Action.UPSCALE_CREATIVE: "Upscale (Creative)",
    Action.EXTEND_LOW: "Extend (Low motion)",
    Action.EXTEND_HIGH: "Extend (High motion)",
}


def _button(action: Action, index: int = 0) -> Button:
    label = f"{action.value[0].upper()}{index}" if index else LABELS[action]
    return Button(action=action, handle=f"{action.value}:{index}", index=index, label=label)


GRID_BUTTONS = (
    *(_button(Action.UPSCALE, i) for i in range(1, 5)),
    _button(Action.REROLL),
    *(_button(Action.VARIATION, i) for i in range(1, 5)),
)
EDIT_BUTTONS = tuple(
    _button(action)
    for action in (
        Action.VARY_STRONG,
        Action.VARY_SUBTLE,
        Action.VARY_REGION,
        Action.ZOOM_OUT_2X,
        Action.ZOOM_OUT_1_5X,
        Action.ZOOM_CUSTOM,
        Action.PAN_LEFT,
        Action.PAN_RIGHT,
        Action.PAN_UP,
        Action.PAN_DOWN,
    )
)
UPSCALED_BUTTONS = (*EDIT_BUTTONS, _button(Action.UPSCALE_SUBTLE), _button(Action.UPSCALE_CREATIVE))
VIDEO_BUTTONS = (_button(Action.EXTEND_LOW), _button(Action.EXTEND_HIGH))
KINDS = (
    {Action.IMAGINE, Action.DESCRIBE, Action.BLEND}
    | {action for action in Action if action.is_video}
    | {b.action for b in GRID_BUTTONS + UPSCALED_BUTTONS}
)
# A describe's four prompts: a subject, a way of drawing it, a light; picked by the task id.
SUBJECTS = ("a quiet harbour town", "a fox in tall grass", "an old library", "a desert road")
STYLES = ("watercolor", "35mm film photograph", "flat vector illustration", "oil painting")
LIGHTS = ("at golden hour", "in soft fog", "under neon lights", "on a rainy night")


@dataclass(frozen=True)
class MockTask:
    """What a task id says."""

    id: str
    kind: Action
    index: int
    created: float  # seconds since the epoch
    fails: bool
    seed: str = ""  # what the picture is drawn from: an upscale shares its grid's
    shape: tuple[int, int] = (1, 1)  # the aspect ratio, from the prompt's --ar

    @property
    def single_image(self) -> bool:
        """Upscales give one image; every other kind gives a 2×2 grid."""
        return self.kind.value.startswith("upscale")

    @property
    def tag(self) -> str:
        return f"{self.kind.value} {self.index or ''}".strip()

    @property
    def buttons(self) -> tuple[Button, ...]:
        if self.kind is Action.UPSCALE:
            return UPSCALED_BUTTONS
        return EDIT_BUTTONS if self.single_image else GRID_BUTTONS

    def image_url(self, n: int = 0) -> str:
        """n = 0: the grid or the single image; 1–4: a grid's tiles."""
        return f"mock://{self.id}/{n}.png"


def new_task_id(
    kind: Action, index: int, now: float, fails: bool, seed: str, shape: tuple[int, int]
) -> str:
    task_id = f"{kind.value}.{index}.{int(now * 1000)}.{seed}-{shape[0]}x{shape[1]}"
    return f"{task_id}.fail" if fails else task_id


def parse_task_id(task_id: str) -> MockTask:
    parts = task_id.split(".")
    try:
        if len(parts) not in (4, 5) or parts[4:] not in ([], ["fail"]):
            raise ValueError
        kind, index, created_ms = Action(parts[0]), int(parts[1]), int(parts[2])
        if kind not in KINDS or not 0 <= index <= 4:
            raise ValueError
        seed, _, shape = parts[3].partition("-")  # ids made before shapes have none
        width, height = (int(side) for side in shape.split("x")) if shape else (1, 1)
        if not seed or not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            raise ValueError
    except ValueError:
        raise ProviderError(ErrorKind.INVALID, f"unknown task id {task_id[:80]!r}") from None
    return MockTask(task_id, kind, index, created_ms / 1000, len(parts) == 5, seed, (width, height))


def shape_of(prompt: str | None) -> tuple[int, int] | None:
    """The prompt's `--ar w:h`, if it has one the mock can draw."""
    match = ASPECT.search(prompt or "")
    if not match:
        return None
    width, height = int(match[1]), int(match[2])
    return (width, height) if 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE else None


def descriptions(task_id: str) -> tuple[str, ...]:
    """Four different prompts, the same for the same task."""
    rng = random.Random(task_id)
    subjects, styles, lights = (rng.sample(words, 4) for words in (SUBJECTS, STYLES, LIGHTS))
    return tuple(
        f"{subject}, {style}, {light} --ar 3:2"
        for subject, style, light in zip(subjects, styles, lights, strict=True)
    )

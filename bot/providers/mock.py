"""An offline provider that draws placeholder images, for trying the bot without an account.

It keeps no state worth losing: a task id says what the task is and when it started
(`<action>.<index>.<start in ms>.<random>`), so tasks carry on across a restart of the bot.
A prompt with the word "fail" in it gives a failed task.
"""

from __future__ import annotations

import asyncio
import io
import re
import secrets
import time
from collections.abc import Callable
from typing import ClassVar

from PIL import Image, ImageDraw

from bot.domain import Action, Button
from bot.providers.base import (
    ErrorKind,
    Provider,
    ProviderError,
    TaskSnapshot,
    TaskState,
)

SIDE = 1024
FAIL = re.compile(r"\bfail\b", re.IGNORECASE)
URL = re.compile(r"^mock://([a-z_0-9]+\.\d\.\d+\.[0-9a-f]+)/([0-4])\.png$")

GRID_BUTTONS = (
    *(Button(Action.UPSCALE, f"upscale:{i}", i, f"U{i}") for i in range(1, 5)),
    Button(Action.REROLL, "reroll:0", 0, "🔄"),
    *(Button(Action.VARIATION, f"variation:{i}", i, f"V{i}") for i in range(1, 5)),
)
UPSCALED_BUTTONS = tuple(
    Button(action, f"{action.value}:0")
    for action in (
        Action.UPSCALE_SUBTLE,
        Action.UPSCALE_CREATIVE,
        Action.VARY_SUBTLE,
        Action.VARY_STRONG,
        Action.ZOOM_OUT_2X,
        Action.ZOOM_OUT_1_5X,
        Action.PAN_LEFT,
        Action.PAN_RIGHT,
        Action.PAN_UP,
        Action.PAN_DOWN,
    )
)
SINGLE_IMAGE = (Action.UPSCALE, Action.UPSCALE_SUBTLE, Action.UPSCALE_CREATIVE)


class MockProvider(Provider):
    name: ClassVar[str] = "mock"
    default_url: ClassVar[str] = "mock://"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        mode: str = "fast",
        timeout: float = 30.0,
        duration: float = 8.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__("http://127.0.0.1", api_key, mode=mode, timeout=timeout)
        self.duration = duration
        self.clock = clock
        self.prompts: dict[str, str] = {}  # drawn on the picture while the bot runs

    def _new_task(self, action: Action, index: int, prompt: str) -> str:
        started = int(self.clock() * 1000)
        task_id = f"{action.value}.{index}.{started}.{secrets.token_hex(3)}"
        self.prompts[task_id] = prompt
        return task_id

    async def imagine(self, prompt: str) -> str:
        return self._new_task(Action.IMAGINE, 0, prompt)

    async def act(self, parent_task_id: str, button: Button) -> str:
        if not self.supports(button.action):
            raise ProviderError(ErrorKind.UNSUPPORTED, f"mock cannot {button.action}")
        prompt = self.prompts.get(parent_task_id, "")
        return self._new_task(button.action, button.index, prompt)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        action, started = parse_task_id(task_id)
        elapsed = self.clock() - started / 1000
        progress = int(100 * elapsed / self.duration)
        if progress <= 0:
            return TaskSnapshot(task_id, TaskState.QUEUED)
        if progress < 100:
            return TaskSnapshot(task_id, TaskState.RUNNING, progress)
        if FAIL.search(self.prompts.get(task_id, "")):
            return TaskSnapshot(
                task_id,
                TaskState.FAILURE,
                fail_reason="the mock provider fails prompts with the word 'fail'",
                error_kind=ErrorKind.FAILED,
            )
        single = action in SINGLE_IMAGE
        return TaskSnapshot(
            task_id,
            TaskState.SUCCESS,
            100,
            image_url=f"mock://{task_id}/0.png",
            image_urls=() if single else tuple(f"mock://{task_id}/{n}.png" for n in range(1, 5)),
            buttons=UPSCALED_BUTTONS if single else GRID_BUTTONS,
        )

    async def download(self, url: str, limit: int = 0) -> bytes:
        match = URL.match(url)
        if not match:
            raise ProviderError(ErrorKind.INVALID, f"not a mock image: {url[:80]}")
        task_id, tile = match.group(1), int(match.group(2))
        action, _ = parse_task_id(task_id)
        tiles = 1 if tile or action in SINGLE_IMAGE else 4
        prompt = self.prompts.get(task_id, "")
        return await asyncio.to_thread(render, task_id, tiles, prompt)


def parse_task_id(task_id: str) -> tuple[Action, int]:
    """(action, start time in ms) of a mock task id."""
    try:
        action, _, started, _ = task_id.split(".")
        return Action(action), int(started)
    except ValueError:
        raise ProviderError(ErrorKind.INVALID, f"unknown mock task {task_id[:40]}") from None


def render(seed: str, tiles: int, prompt: str) -> bytes:
    """A PNG of `tiles` (1 or 4) numbered gradients, with the prompt written at the bottom."""
    image = Image.new("RGB", (SIDE, SIDE))
    draw = ImageDraw.Draw(image)
    columns = 2 if tiles == 4 else 1
    cell = SIDE // columns
    hue = sum(map(ord, seed)) % 256
    for n in range(tiles):
        x, y = (n % columns) * cell, (n // columns) * cell
        for row in range(0, cell, 8):
            shade = row * 160 // cell
            color = ((hue + 60 * n) % 256, 80 + shade, min(255, 200 - shade + 30 * n))
            draw.rectangle((x, y + row, x + cell - 1, y + row + 7), fill=color)
        if tiles > 1:
            draw.text((x + 16, y + 12), str(n + 1), fill="white", font_size=48)
    if prompt:
        draw.rectangle((0, SIDE - 48, SIDE, SIDE), fill=(0, 0, 0))
        draw.text((16, SIDE - 40), prompt[:90], fill="white", font_size=24)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()

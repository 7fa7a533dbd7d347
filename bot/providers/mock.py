"""An offline provider that draws placeholder images, for trying the bot without an account.

Nothing is stored: a task id says all there is to know about its task (mock_tasks.py), so
tasks survive a restart of the bot. The id is `<kind>.<index>.<created ms>.<seed>-<w>x<h>
[.fail]`, e.g. `upscale.2.1732180000000.ab12cd-3x2`; a task is queued for the first eighth
of `duration`, runs, and ends when `duration` seconds have passed since it was created. A
prompt with the word "fail" in it gives a task that ends in FAILURE. Prompts are kept in
memory only to draw them on the pictures; after a restart the pictures come without them.

Images are `mock://<task id>/<n>.png` (0: the grid or the single image, 1–4: a grid's tiles)
and `download()` draws them; they cannot be fetched any other way. Nothing outlives the
process but the task ids, so a `ref` is not kept and there is no RECONCILE.

An Animate gives a short animated GIF (`mock://<task id>/video.gif`), from any finished
image, with Extend buttons that give another. A describe answers four prompts picked by its
task id; a blend gives a grid like an imagine, and so do Vary (Region), which wants a PNG
mask, Custom Zoom, which wants a prompt with `--zoom`, and a remixed follow-up (its prompt is
the one given). The photos and masks handed over are not looked at.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.providers.base import MAX_IMAGE_BYTES, ErrorKind, Provider, ProviderError
from bot.providers.mock_pictures import animation, render
from bot.providers.mock_tasks import (
    VIDEO_BUTTONS,
    MockTask,
    descriptions,
    new_task_id,
    parse_task_id,
    shape_of,
)
from bot.providers.tasks import Capability, TaskSnapshot, TaskState

PNG_URI = "data:image/png;base64,"
QUEUED_SHARE = 0.125  # part of a task's duration spent queued
FAIL_PATTERN = re.compile(r"\bfail\b", re.IGNORECASE)
FAIL_REASON = 'Mock failure: the prompt contains the word "fail"'
IMAGE_URL = re.compile(r"mock://([^/]+)/([0-4])\.png")
VIDEO_URL = re.compile(r"mock://([^/]+)/video\.gif")


class MockProvider(Provider):
    name = "mock"
    default_url = "mock://"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax", "turbo")  # accepted; all take as long
    # Accepted; the pictures do not show them.
    inline_images: ClassVar[frozenset[Action]] = frozenset(
        {Action.IMAGINE, Action.DESCRIBE, Action.BLEND, Action.VARY_REGION}
    )
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.DESCRIBE,
            Capability.BLEND,
            Capability.VARY_REGION,
            Capability.CUSTOM_ZOOM,
            Capability.REMIX,
            Capability.VIDEO,
        }
    )

    def __init__(
        self,
        base_url: str = default_url,
        api_key: str = "",
        *,
        duration: float = 8.0,
        clock: Callable[[], float] = time.time,
        **options: Any,
    ) -> None:
        super().__init__(base_url, api_key, **options)
        self.duration = duration
        self.clock = clock
        self._prompts: dict[str, str] = {}

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[str] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        if not prompt.strip():
            raise ProviderError(ErrorKind.INVALID, "the prompt is empty")
        return self._start(Action.IMAGINE, 0, prompt)

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return self._start(Action.DESCRIBE, 0, None)

    async def blend(
        self,
        images: Sequence[str],
        shape: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        if not 2 <= len(images) <= self.max_blend_images:
            raise ProviderError(ErrorKind.INVALID, f"a blend takes 2–5 images, not {len(images)}")
        return self._start(Action.BLEND, 0, f"blend of {len(images)} images --ar {shape}")

    async def act(
        self,
        parent_task_id: str,
        button: Button,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
        prompt: str | None = None,
        mask: str | None = None,
        image: str | None = None,
    ) -> str:
        parent = await self.fetch(parent_task_id)
        offered = {b.handle: b for b in parent.buttons}
        if button.action.is_video and parent.state is TaskState.SUCCESS and parent.image_url:
            offered[button.handle] = button  # Animate: the bot's own button on an image
        chosen = offered.get(button.handle)
        if chosen is None:
            raise ProviderError(
                ErrorKind.INVALID, f"task {parent_task_id} offers no {button.handle!r}"
            )
        if chosen.action is Action.VARY_REGION and not (mask or "").startswith(PNG_URI):
            raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a PNG mask")
        if chosen.action is Action.ZOOM_CUSTOM and "--zoom" not in (prompt or ""):
            raise ProviderError(ErrorKind.INVALID, "Custom Zoom needs a prompt with --zoom")
        prompt = prompt or self._prompts.get(parent_task_id)
        return self._start(chosen.action, chosen.index, prompt, parse_task_id(parent_task_id))

    def _start(
        self, kind: Action, index: int, prompt: str | None, parent: MockTask | None = None
    ) -> str:
        """A new task: drawn from its grid's tile where it upscales one, shaped by its
        prompt's --ar, else by its parent."""
        fails = prompt is not None and FAIL_PATTERN.search(prompt) is not None
        upscale = parent is not None and kind is Action.UPSCALE
        seed = parent.seed if parent is not None and upscale else secrets.token_hex(3)
        shape = shape_of(prompt) or (parent.shape if parent else (1, 1))
        task_id = new_task_id(kind, index, self.clock(), fails, seed, shape)
        if prompt is not None:
            self._prompts[task_id] = prompt
        return task_id

    async def fetch(self, task_id: str) -> TaskSnapshot:
        task = parse_task_id(task_id)
        elapsed = max(0.0, self.clock() - task.created)
        if elapsed < self.duration * QUEUED_SHARE:
            return TaskSnapshot(task_id, TaskState.QUEUED)
        if elapsed < self.duration:
            progress = max(1, min(99, int(100 * elapsed / self.duration)))
            return TaskSnapshot(task_id, TaskState.RUNNING, progress)
        if task.fails:
            return TaskSnapshot(
                task_id,
                TaskState.FAILURE,
                100,
                fail_reason=FAIL_REASON,
                error_kind=ErrorKind.FAILED,
            )
        if task.kind is Action.DESCRIBE:
            return TaskSnapshot(task_id, TaskState.SUCCESS, 100, prompts=descriptions(task_id))
        if task.kind.is_video:
            video = f"mock://{task_id}/video.gif"
            return TaskSnapshot(
                task_id, TaskState.SUCCESS, 100, video_urls=(video,), buttons=VIDEO_BUTTONS
            )
        return TaskSnapshot(
            task_id,
            TaskState.SUCCESS,
            100,
            image_url=task.image_url(),
            image_urls=() if task.single_image else tuple(task.image_url(n) for n in range(1, 5)),
            buttons=task.buttons,
        )

    async def download(self, url: str, limit: int = MAX_IMAGE_BYTES) -> bytes:
        """Draw the image (or the animation) behind one of this provider's `mock://` URLs."""
        video = VIDEO_URL.fullmatch(url)
        if video:
            return await asyncio.to_thread(animation, parse_task_id(video[1]).id)
        match = IMAGE_URL.fullmatch(url)
        task = parse_task_id(match[1]) if match else None
        n = int(match[2]) if match else 0
        if task is None or (task.single_image and n):
            raise ProviderError(ErrorKind.INVALID, f"not a mock image URL: {url[:120]!r}")
        data = await asyncio.to_thread(render, task, n, self._prompts.get(task.id))
        if len(data) > limit:
            raise ProviderError(ErrorKind.INVALID, f"image larger than {limit} bytes")
        return data

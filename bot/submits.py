"""Getting a job accepted by the provider once, and only once.

From the moment a submit may go out until its answer is stored, the job is SUBMITTING in the
database: after a crash nobody can know whether the provider has it. Such a job is never
sent again. Its task id is taken from memory (an answer whose write failed), or asked of the
provider where it can find a task by the name the submit carried (Capability.RECONCILE);
otherwise the job fails with an apology.

Where the provider calls back (webhook mode), each job gets an unguessable token, stored
with it before its first submit, and every submit carries `{hook_url}/{token}`.

A job's image prompts are made ready (fetched from Telegram, published where the provider
takes URLs) before it becomes SUBMITTING: trouble there is not the provider's, and nothing
has gone out.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain import Action, Job, JobStatus
from bot.flows.region import mask_png
from bot.outage import ProviderHealth
from bot.prompt_images import PHOTO_TYPE, PromptImages
from bot.prompts import blend_shape
from bot.providers.base import ErrorKind, Provider, ProviderError, data_uri
from bot.providers.tasks import Capability, TaskSnapshot
from bot.store import Database

log = logging.getLogger(__name__)

RECONCILE_ATTEMPTS = 5
MASK_TYPE = "image/png"
UNCONFIRMED = "unconfirmed"  # cut off by a restart
UNCLEAR = "unclear"  # the provider's answer did not say


@dataclass(frozen=True)
class Accepted:
    task_id: str
    finished: TaskSnapshot | None = None  # the task, where the provider answered it at once


@dataclass(frozen=True)
class Again:
    """Not decided: ask again later (the job's state allows it)."""

    error: ProviderError


@dataclass(frozen=True)
class Refused:
    kind: str
    detail: str


Outcome = Accepted | Again | Refused


def job_ref(job: Job) -> str:
    """The name a job's submit carries, for providers that can find a task by it."""
    return f"mjbot-{job.id}-{int(job.created_at)}"


class Submitter:
    def __init__(
        self,
        db: Database,
        provider: Provider,
        calls: asyncio.Semaphore,
        health: ProviderHealth,
        *,
        submit_timeout: float,
        hook_url: str | None = None,
        images: PromptImages | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`hook_url`: where the provider's callbacks go, the job's token appended; `images`
        fetches the photos of jobs that have image prompts."""
        self.db = db
        self.provider = provider
        self.calls = calls  # the bound on requests to the provider, shared with polls
        self.health = health
        self.submit_timeout = submit_timeout
        self.hook_url = hook_url
        self.images = images
        self.clock = clock
        self._task_ids: dict[int, str] = {}  # provider answers not stored yet
        self._unsure: dict[int, tuple[str, str]] = {}  # why a submit's outcome is unknown

    async def submit(self, job: Job) -> Outcome:
        """Send a NEW job. A provider that surely did not take it is asked again until it
        has refused for `submit_timeout` seconds."""
        try:
            prompt, images, mask = await self._inputs(job)
        except ProviderError as exc:
            if exc.kind.transient and self.clock() - job.created_at < self.submit_timeout:
                await self.db.jobs.update(job, attempts=job.attempts + 1)
                return Again(exc)
            return Refused(exc.kind, exc.detail)
        async with self.calls:
            token = job.hook_token or (secrets.token_urlsafe(24) if self.hook_url else None)
            await self.db.jobs.update(job, status=JobStatus.SUBMITTING, hook_token=token)
            try:
                answer = await self._send(job, prompt, images, mask)
            except ProviderError as exc:
                error: ProviderError | None = exc
            except Exception as exc:
                log.exception("job %d: submit broke after the request may have gone out", job.id)
                error = ProviderError(ErrorKind.UNAVAILABLE, repr(exc), maybe_done=True)
            else:
                error = None
        if error is None:
            self.health.answered()
            return await self._store(job, answer)
        if error.maybe_done:
            self._unsure[job.id] = (UNCLEAR, error.detail)
            return await self.settle(job)
        if not error.kind.transient:
            self.health.answered()
            return Refused(error.kind, error.detail)
        self.health.failed(error)
        if self.clock() - job.created_at >= self.submit_timeout:
            return Refused(error.kind, f"not accepted in time: {error.detail}")
        await self.db.jobs.update(job, status=JobStatus.NEW, attempts=job.attempts + 1)
        return Again(error)

    async def settle(self, job: Job) -> Outcome:
        """A SUBMITTING job: the task id if we have it or the provider can find it."""
        task_id = self._task_ids.get(job.id)
        if task_id is None and Capability.RECONCILE in self.provider.capabilities:
            try:
                async with self.calls:
                    task_id = await self.provider.find_task(job_ref(job))
            except ProviderError as exc:
                if exc.kind.transient and job.attempts + 1 < RECONCILE_ATTEMPTS:
                    await self.db.jobs.update(job, attempts=job.attempts + 1)
                    return Again(exc)
                log.warning("job %d: the provider cannot tell whether it has it: %s", job.id, exc)
            if task_id is not None:
                log.info("job %d: the provider has it as task %s", job.id, task_id)
        if task_id is None:
            kind, detail = self._unsure.pop(job.id, (UNCONFIRMED, "cut off while submitting"))
            return Refused(kind, detail)
        return await self._store(job, task_id)

    def forget(self, job_id: int) -> None:
        self._task_ids.pop(job_id, None)
        self._unsure.pop(job_id, None)

    async def _inputs(self, job: Job) -> tuple[str, list[str], str | None]:
        """The prompt, the images and the mask to send: images (and a mask) inline as
        `data:` URIs where the provider takes them so, else URLs of copies (an imagine's
        images put in its prompt)."""
        inline = job.action in self.provider.inline_images
        mask = None
        if job.region is not None:
            png = await asyncio.to_thread(
                mask_png, tuple(job.region["size"]), job.region["cells"], job.region["grid"]
            )
            mask = data_uri(png, MASK_TYPE) if inline else await self._publish(png, MASK_TYPE)
        if not job.image_prompts:
            return job.prompt, [], mask
        if self.images is None:
            raise ProviderError(ErrorKind.UNSUPPORTED, "image prompts cannot be fetched")
        images = await self.images.fetch(job.image_prompts)
        if inline:
            return job.prompt, [data_uri(image) for image in images], mask
        urls = [await self._publish(image, PHOTO_TYPE) for image in images]
        if job.action is Action.IMAGINE:
            return " ".join([*urls, job.prompt]), [], mask
        return job.prompt, urls, mask

    async def _publish(self, data: bytes, content_type: str) -> str:
        if self.images is None:
            raise ProviderError(ErrorKind.UNSUPPORTED, "files cannot be published")
        return await self.images.publish(data, content_type)

    async def _send(
        self, job: Job, prompt: str, images: list[str], mask: str | None
    ) -> str | TaskSnapshot:
        ref = job_ref(job)
        hook = f"{self.hook_url}/{job.hook_token}" if self.hook_url and job.hook_token else None
        if job.action is Action.IMAGINE:
            return await self.provider.imagine(
                prompt, images=images, ref=ref, hook=hook, speed=job.speed
            )
        if job.action is Action.DESCRIBE and images:
            return await self.provider.describe(images[0], ref=ref, hook=hook, speed=job.speed)
        if job.action is Action.BLEND:
            shape = blend_shape(prompt) or "1:1"
            return await self.provider.blend(images, shape, ref=ref, hook=hook, speed=job.speed)
        parent = await self.db.jobs.get(job.parent_id or 0)
        if parent is None or parent.task_id is None or job.button_index is None:
            raise ProviderError(ErrorKind.INVALID, "parent job or button is gone")
        button = parent.buttons[job.button_index]
        given: dict[str, str | None] = {}
        if button.action.needs_input or job.remix:
            given = {"prompt": prompt, "mask": mask}
        elif button.action.is_video:
            given = {"prompt": prompt, "image": parent.image_url}
        return await self.provider.act(
            parent.task_id, button, ref=ref, hook=hook, speed=job.speed, **given
        )

    async def _store(self, job: Job, answer: str | TaskSnapshot) -> Accepted:
        """Store the task id; a provider that answered with the finished task hands it on."""
        task_id = answer.task_id if isinstance(answer, TaskSnapshot) else answer
        self._task_ids[job.id] = task_id  # kept until stored, should the write fail
        await self.db.jobs.update(job, status=JobStatus.SUBMITTED, task_id=task_id, attempts=0)
        self.forget(job.id)
        return Accepted(task_id, answer if isinstance(answer, TaskSnapshot) else None)

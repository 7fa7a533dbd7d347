"""What each answer does to a job: the tracker's steps once a submit, a poll or a callback
has answered (tracker.py schedules them).

A success is stored, then posted; a failure is stored (its refund, credits.py), then told;
a task still running is shown (progress and preview are not stored: a restart polls them
again) and polled again when the pacer says. A job's own troubles (a task not found, a
delivery that failed) are tried again after an exponential, jittered backoff, within bounds:
`MISSING_LIMIT` misses, `DELIVERY_ATTEMPTS` deliveries. Only waiting for the provider ends
at the job's deadline: a result that is ready is still posted.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from typing import Protocol

from bot.domain import Action, Button, Job, JobStatus, describe_buttons, with_animate
from bot.outage import ProviderHealth
from bot.pacing import Pacer
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from bot.status_edits import StatusEdits
from bot.store import Database
from bot.submits import Accepted, Again, Outcome

log = logging.getLogger(__name__)

MAX_BACKOFF = 120.0
DELIVERY_ATTEMPTS = 8
MISSING_LIMIT = 5  # polls in a row that do not find the task before it counts as lost
TELEGRAM_STEPS = 16  # deliveries and failure notices under way at once
TIMEOUT = "timeout"
DELIVERY = "delivery"
WAITING = (JobStatus.NEW, JobStatus.SUBMITTED, JobStatus.RUNNING)


class DeliveryError(Exception):
    """Posting a result failed; `retry` says whether trying again later may help."""

    def __init__(self, detail: str, *, retry: bool) -> None:
        super().__init__(detail)
        self.retry = retry


class Notifier(Protocol):
    """What the tracker needs from the Telegram side."""

    async def progress(self, job: Job, trouble: bool = False) -> None: ...
    async def deliver(self, job: Job) -> None: ...
    async def failed(self, job: Job, reason: str | None = None) -> None: ...


class Steps:
    def __init__(
        self,
        db: Database,
        provider: Provider,
        notifier: Notifier,
        *,
        edits: StatusEdits,
        pace: Pacer,
        health: ProviderHealth,
        poll_interval: float,
        job_timeout: float,
        hook_url: str | None,
        again: Callable[[Job, float], None],
        done: Callable[[Job], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`again(job, delay)`: the job's next turn; `done(job)`: it is finished, forget it."""
        self.db = db
        self.provider = provider
        self.notifier = notifier
        self.edits = edits
        self.pace = pace
        self.health = health
        self.poll_interval = poll_interval
        self.job_timeout = job_timeout
        self.hook_url = hook_url
        self.again = again
        self.done = done
        self.clock = clock
        self._telegram = asyncio.Semaphore(TELEGRAM_STEPS)

    async def submitted(self, job: Job, outcome: Outcome) -> None:
        if isinstance(outcome, Accepted):
            log.info(
                "job %d submitted to %s as task %s", job.id, self.provider.name, outcome.task_id
            )
            if outcome.finished is not None:
                await self.apply(job, outcome.finished)
                return
            self.pace.started(job.id, self.clock())
            self.again(job, self._poll_delay(job))
        elif isinstance(outcome, Again) and job.status is JobStatus.NEW:
            await self._trouble(job)  # asked again each interval: the breaker paces refusals
            await self._retry(job, outcome.error, self.poll_interval)
        elif isinstance(outcome, Again):
            await self._retry(job, outcome.error, self.backoff(job.attempts))
        else:
            await self.fail(job, outcome.kind, outcome.detail)

    async def poll_failed(self, job: Job, error: ProviderError) -> None:
        await self.db.jobs.update(job, attempts=job.attempts + 1)
        await self._trouble(job)
        await self._retry(job, error, self._poll_delay(job, failed=True))

    async def missing(self, job: Job, detail: str) -> None:
        """A task the provider does not know (yet): wait a little, then give up."""
        if job.misses + 1 >= MISSING_LIMIT:
            await self.fail(job, ErrorKind.INVALID, detail)
            return
        await self.db.jobs.update(job, misses=job.misses + 1)
        await self._retry(job, ProviderError(ErrorKind.INVALID, detail), self.backoff(job.misses))

    async def apply(self, job: Job, snapshot: TaskSnapshot) -> None:
        if snapshot.state is TaskState.SUCCESS:
            await self.db.jobs.update(
                job,
                status=JobStatus.SUCCEEDED,
                progress=100,
                image_url=snapshot.image_url,
                image_urls=list(snapshot.image_urls),
                prompts=list(snapshot.prompts),
                video_urls=list(snapshot.video_urls),
                buttons=self._buttons(job, snapshot),
                attempts=0,
                misses=0,
            )
            log.info("job %d finished at %s", job.id, self.provider.name)
            await self.deliver(job)
        elif snapshot.state is TaskState.FAILURE:
            kind = snapshot.error_kind or ErrorKind.FAILED
            await self.fail(job, kind, snapshot.fail_reason, reason=snapshot.fail_reason)
        elif snapshot.state is TaskState.MODAL:
            await self.fail(job, ErrorKind.UNSUPPORTED, "the provider asks for more input")
        else:
            status = JobStatus.RUNNING if snapshot.state is TaskState.RUNNING else job.status
            preview = snapshot.image_url or job.image_url  # what it looks like so far
            changed = (status, snapshot.progress, preview) != (
                job.status,
                job.progress,
                job.image_url,
            )
            if status is not job.status or job.attempts or job.misses:
                await self.db.jobs.update(
                    job,
                    status=status,
                    progress=snapshot.progress,
                    image_url=preview,
                    attempts=0,
                    misses=0,
                )
            else:  # progress and preview alone are not stored: after a restart, polled again
                job.progress, job.image_url = snapshot.progress, preview
            self.edits.progress(job, changed)
            self.pace.observe(job, snapshot.progress, self.clock())
            await self._later(job, self._poll_delay(job))

    def _buttons(self, job: Job, snapshot: TaskSnapshot) -> list[Button]:
        """The result's buttons: the provider's, with the bot's own where it has them (a
        describe's numbers, Animate where the provider makes videos but lists no button)."""
        if job.action is Action.DESCRIBE:
            return describe_buttons(snapshot.prompts)
        buttons = list(snapshot.buttons)
        if job.action.is_upscale and Capability.VIDEO in self.provider.capabilities:
            return with_animate(buttons)
        return buttons

    async def _trouble(self, job: Job) -> None:
        """Once the outage has been noticed, say so in this job's status message."""
        if self.health.noticed:
            self.edits.trouble(job)

    async def deliver(self, job: Job) -> None:
        try:
            async with self._telegram:
                await self.notifier.deliver(job)
        except (ProviderError, DeliveryError) as exc:
            retry = exc.retry if isinstance(exc, DeliveryError) else exc.kind.transient
            if not retry or job.attempts + 1 >= DELIVERY_ATTEMPTS:
                await self.fail(job, DELIVERY, str(exc))
            else:
                await self.db.jobs.update(job, attempts=job.attempts + 1)
                await self._retry(job, exc, self.backoff(job.attempts))
            return
        if job.status is not JobStatus.DELIVERED:
            await self.db.jobs.update(job, status=JobStatus.DELIVERED)
        self.done(job)
        log.info("job %d delivered", job.id)

    async def fail(
        self, job: Job, kind: str, detail: str | None, *, reason: str | None = None
    ) -> None:
        """End `job` and tell the chat; `reason` is the provider's words for the person.
        The person is told even when the failure cannot be stored."""
        try:
            await self.db.jobs.update(
                job, status=JobStatus.FAILED, error_kind=str(kind), error=detail
            )
        except Exception:
            log.exception("job %d: its failure could not be stored", job.id)
            job.error_kind = str(kind)
        self.done(job)
        log.warning(
            "job %d failed: provider=%s task=%s kind=%s detail=%s",
            job.id,
            self.provider.name,
            job.task_id,
            kind,
            detail,
        )
        try:
            async with self._telegram:
                await self.notifier.failed(job, reason)
        except Exception:
            log.exception("could not tell the chat that job %d failed", job.id)

    def _poll_delay(self, job: Job, *, failed: bool = False) -> float:
        deadline = job.created_at + self.job_timeout
        hooked = self.hook_url is not None and job.hook_token is not None
        return self.pace.delay(job, self.clock(), deadline, failed=failed, hooked=hooked)

    def backoff(self, attempts: int) -> float:
        """For a job's own troubles (not found, delivery, broken steps): exponential and
        jittered, `poll_interval` after the first, doubling."""
        delay = min(self.poll_interval * 2 ** max(0, attempts - 1), MAX_BACKOFF)
        return delay * random.uniform(0.5, 1.5)

    async def _retry(self, job: Job, error: Exception, delay: float) -> None:
        log.info("job %d: %s; retrying in %.1fs", job.id, error, delay)
        await self._later(job, delay)

    async def _later(self, job: Job, delay: float) -> None:
        """The job's next step after `delay`, unless its deadline has passed. A result that
        is ready is still posted and a cut-off submit still settled: only waiting for the
        provider ends at the deadline."""
        if job.status in WAITING and self.expired(job):
            await self.fail(job, TIMEOUT, "deadline passed")
        else:
            self.again(job, delay)

    def expired(self, job: Job) -> bool:
        return self.clock() > job.created_at + self.job_timeout

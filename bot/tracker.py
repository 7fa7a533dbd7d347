"""The one scheduler that carries every unfinished job: submit, poll, deliver.

A heap of (due time, job id) and one loop: no sleeping coroutine per job. Due polls are
batched where the provider has a batch query; provider calls are bounded by the provider's
concurrency; errors back off with jitter; every job has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from bot.domain import Action, Job, JobStatus
from bot.providers.base import ErrorKind, Provider, ProviderError, TaskSnapshot, TaskState
from bot.store import Database

log = logging.getLogger(__name__)

MAX_BACKOFF = 120.0
DELIVERY_ATTEMPTS = 8
MISSING_LIMIT = 5  # polls in a row that do not find the task before it counts as lost
TIMEOUT = "timeout"
UNCONFIRMED = "unconfirmed"
UNCLEAR = "unclear"


class DeliveryError(Exception):
    """Posting a result failed; `retry` says whether trying again later may help."""

    def __init__(self, detail: str, *, retry: bool) -> None:
        super().__init__(detail)
        self.retry = retry


class Notifier(Protocol):
    """What the tracker needs from the Telegram side."""

    async def progress(self, job: Job) -> None: ...
    async def deliver(self, job: Job) -> None: ...
    async def failed(self, job: Job, reason: str | None = None) -> None: ...


class Tracker:
    def __init__(
        self,
        db: Database,
        provider: Provider,
        notifier: Notifier,
        *,
        poll_interval: float,
        job_timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.provider = provider
        self.notifier = notifier
        self.poll_interval = poll_interval
        self.job_timeout = job_timeout
        self.clock = clock
        self.jobs: dict[int, Job] = {}  # every unfinished job, by id
        self._heap: list[tuple[float, int]] = []
        self._wake = asyncio.Event()
        self._calls = asyncio.Semaphore(provider.concurrency)
        self._work: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Resume every unfinished job, then run the loop."""
        for job in await self.db.jobs.unfinished():
            if job.status is JobStatus.SUBMITTING:
                # The request may or may not have reached the provider: never send it twice.
                await self._fail(job, UNCONFIRMED, "interrupted between submit and answer")
            else:
                self.add(job)
        log.info("tracker started with %d unfinished jobs", len(self.jobs))
        self._loop = asyncio.create_task(self._run(), name="tracker")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop taking new steps; let the steps under way finish for up to `grace` seconds,
        so that a result being posted is also marked as posted."""
        if self._loop:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        if self._work:
            _, late = await asyncio.wait(self._work, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def add(self, job: Job, delay: float = 0.0) -> None:
        """Track `job` (new or resumed); its next step is due after `delay` seconds."""
        self.jobs[job.id] = job
        heapq.heappush(self._heap, (self.clock() + delay, job.id))
        self._wake.set()

    # --- the loop ---------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            due = self._pop_due()
            if not due:
                await self._sleep_until_next()
                continue
            polls: list[Job] = []
            for job in due:
                if job.status is JobStatus.SUCCEEDED:
                    self._spawn(self._deliver(job), [job])
                elif job.status is JobStatus.NEW and self._expired(job):
                    failing = self._fail(job, TIMEOUT, "deadline passed before submitting")
                    self._spawn(failing, [job])
                elif job.status is JobStatus.NEW:
                    self._spawn(self._submit(job), [job])
                elif job.status.is_polled:
                    # Polled even past its deadline: the result may be there (after downtime).
                    polls.append(job)
            size = max(1, self.provider.batch_size)
            for start in range(0, len(polls), size):
                batch = polls[start : start + size]
                self._spawn(self._poll(batch), batch)

    def _pop_due(self) -> list[Job]:
        """Jobs whose step is due. When a poll is due, polls due within half an interval
        come along, so that batches fill up instead of trickling one by one."""
        now = self.clock()
        horizon = now + self.poll_interval / 2
        due: dict[int, Job] = {}
        early: list[tuple[float, int]] = []
        while self._heap and self._heap[0][0] <= horizon:
            when, job_id = heapq.heappop(self._heap)
            job = self.jobs.get(job_id)
            if job is None or job_id in due:
                continue
            if when <= now:
                due[job_id] = job
            else:
                early.append((when, job_id))
        polling = any(job.status.is_polled for job in due.values())
        for when, job_id in early:
            job = self.jobs[job_id]
            if polling and job.status.is_polled:
                due[job_id] = job
            else:
                heapq.heappush(self._heap, (when, job_id))
        return list(due.values())

    async def _sleep_until_next(self) -> None:
        self._wake.clear()
        timeout = max(0.0, self._heap[0][0] - self.clock()) if self._heap else None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    def _spawn(self, step: Coroutine[Any, Any, None], jobs: list[Job]) -> None:
        task = asyncio.create_task(step)
        self._work.add(task)
        task.add_done_callback(lambda done: self._finished(done, jobs))

    def _finished(self, task: asyncio.Task[None], jobs: list[Job]) -> None:
        """A step that broke on something unforeseen: log it and try its jobs again later,
        so that no job is left behind until the next restart."""
        self._work.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        log.error(
            "tracker step for jobs %s failed", [j.id for j in jobs], exc_info=task.exception()
        )
        for job in jobs:
            if job.id in self.jobs:
                self.add(job, MAX_BACKOFF)

    # --- steps ------------------------------------------------------------------------

    async def _submit(self, job: Job) -> None:
        try:
            async with self._calls:
                # From here until the answer is stored, a restart cannot know what happened.
                await self.db.jobs.update(job, status=JobStatus.SUBMITTING)
                task_id = await self._send(job)
        except ProviderError as exc:
            if exc.maybe_done:
                await self._fail(job, UNCLEAR, exc.detail)
            elif exc.kind.transient:
                await self.db.jobs.update(job, status=JobStatus.NEW, attempts=job.attempts + 1)
                await self._retry(job, exc)
            else:
                await self._fail(job, exc.kind, exc.detail)
            return
        await self.db.jobs.update(job, status=JobStatus.SUBMITTED, task_id=task_id, attempts=0)
        log.info("job %d submitted to %s as task %s", job.id, self.provider.name, task_id)
        self.add(job, self.poll_interval)

    async def _send(self, job: Job) -> str:
        if job.action is Action.IMAGINE:
            return await self.provider.imagine(job.prompt)
        parent = await self.db.jobs.get(job.parent_id or 0)
        if parent is None or parent.task_id is None or job.button_index is None:
            raise ProviderError(ErrorKind.INVALID, "parent job or button is gone")
        return await self.provider.act(parent.task_id, parent.buttons[job.button_index])

    async def _poll(self, jobs: list[Job]) -> None:
        task_ids = [job.task_id or "" for job in jobs]
        try:
            async with self._calls:
                if len(jobs) == 1:
                    snapshots = [await self.provider.fetch(task_ids[0])]
                else:
                    snapshots = await self.provider.fetch_many(task_ids)
        except ProviderError as exc:
            for job in jobs:
                if exc.kind is ErrorKind.INVALID and len(jobs) == 1:
                    await self._missing(job, exc.detail)
                else:
                    await self.db.jobs.update(job, attempts=job.attempts + 1)
                    await self._retry(job, exc)
            return
        found = {snapshot.task_id: snapshot for snapshot in snapshots}
        for job in jobs:
            snapshot = found.get(job.task_id or "")
            if snapshot is None:
                await self._missing(job, "the provider does not list the task")
            else:
                await self._apply(job, snapshot)

    async def _missing(self, job: Job, detail: str) -> None:
        """A task the provider does not know (yet): wait a little, then give up."""
        if job.attempts + 1 >= MISSING_LIMIT:
            await self._fail(job, ErrorKind.INVALID, detail)
            return
        await self.db.jobs.update(job, attempts=job.attempts + 1)
        await self._retry(job, ProviderError(ErrorKind.INVALID, detail))

    async def _apply(self, job: Job, snapshot: TaskSnapshot) -> None:
        if snapshot.state is TaskState.SUCCESS:
            await self.db.jobs.update(
                job,
                status=JobStatus.SUCCEEDED,
                progress=100,
                image_url=snapshot.image_url,
                image_urls=list(snapshot.image_urls),
                buttons=list(snapshot.buttons),
                attempts=0,
            )
            log.info("job %d finished at %s", job.id, self.provider.name)
            await self._deliver(job)
        elif snapshot.state is TaskState.FAILURE:
            kind = snapshot.error_kind or ErrorKind.FAILED
            await self._fail(job, kind, snapshot.fail_reason, reason=snapshot.fail_reason)
        elif snapshot.state is TaskState.MODAL:
            await self._fail(job, ErrorKind.UNSUPPORTED, "the provider asks for more input")
        else:
            status = JobStatus.RUNNING if snapshot.state is TaskState.RUNNING else job.status
            if (status, snapshot.progress) != (job.status, job.progress) or job.attempts:
                await self.db.jobs.update(
                    job, status=status, progress=snapshot.progress, attempts=0
                )
                await self.notifier.progress(job)
            await self._later(job, self.poll_interval)

    async def _deliver(self, job: Job) -> None:
        try:
            await self.notifier.deliver(job)
        except (ProviderError, DeliveryError) as exc:
            retry = exc.retry if isinstance(exc, DeliveryError) else exc.kind.transient
            if not retry or job.attempts + 1 >= DELIVERY_ATTEMPTS:
                await self._fail(job, "delivery", str(exc))
            else:
                await self.db.jobs.update(job, attempts=job.attempts + 1)
                await self._retry(job, exc)
            return
        if job.status is not JobStatus.DELIVERED:
            await self.db.jobs.update(job, status=JobStatus.DELIVERED)
        self.jobs.pop(job.id, None)
        log.info("job %d delivered", job.id)

    async def _fail(
        self, job: Job, kind: str, detail: str | None, *, reason: str | None = None
    ) -> None:
        """End `job` and tell the chat; `reason` is the provider's words for the person."""
        await self.db.jobs.update(job, status=JobStatus.FAILED, error_kind=str(kind), error=detail)
        self.jobs.pop(job.id, None)
        log.warning(
            "job %d failed: provider=%s task=%s kind=%s detail=%s",
            job.id,
            self.provider.name,
            job.task_id,
            kind,
            detail,
        )
        try:
            await self.notifier.failed(job, reason)
        except Exception:
            log.exception("could not tell the chat that job %d failed", job.id)

    async def _retry(self, job: Job, error: Exception) -> None:
        """Try again after an exponential, jittered delay."""
        delay = min(self.poll_interval * 2 ** max(0, job.attempts - 1), MAX_BACKOFF)
        delay *= random.uniform(0.5, 1.5)
        log.info("job %d: %s; retrying in %.1fs", job.id, error, delay)
        await self._later(job, delay)

    async def _later(self, job: Job, delay: float) -> None:
        """The job's next step after `delay`, unless its deadline has passed. A result that is
        ready is still posted: only waiting for the provider ends at the deadline."""
        if job.status is not JobStatus.SUCCEEDED and self._expired(job):
            await self._fail(job, TIMEOUT, "deadline passed")
        else:
            self.add(job, delay)

    def _expired(self, job: Job) -> bool:
        return self.clock() > job.created_at + self.job_timeout

"""The one scheduler that carries every unfinished job: submit (submits.py), poll, deliver.

A queue of due times (schedule.py) and one loop: no sleeping coroutine per job. Polls are
paced by each task's expected end (pacing.py) and batched where the provider has a batch
query; provider calls are bounded by the provider's concurrency, and each job's delivery and
edits run as steps of their own, so that one slow chat or image holds back no other job.

A provider's errors are the provider's: its circuit breaker (outage.py) holds back every
call while it is open, and the jobs keep their place; no job backs off on its own for them.

Where the provider calls back (webhook mode), a callback is a hint: its snapshot waits for
the job's next turn, which it brings forward to now, and is then applied as a poll answer
would be. Polls go on, seldom, to catch a callback that was lost (pacing.py).

Every step leaves the job as the database has it (the store changes memory only after a
commit), but for a running task's progress and preview: those are shown, not stored, and a
restart polls them again. A step that breaks on something unforeseen is tried again a bounded
number of times within the job's deadline, then the job fails with a message. A submit whose
request may have reached the provider is never sent again (submits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from bot.domain import Action, Button, Job, JobStatus, describe_buttons, with_animate
from bot.hints import Hints
from bot.outage import COOL_DOWN, ProviderHealth
from bot.pacing import Pacer
from bot.prompt_images import PromptImages
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from bot.schedule import DueQueue
from bot.status_edits import StatusEdits
from bot.store import Database
from bot.submits import UNCLEAR, Accepted, Again, Outcome, Submitter

log = logging.getLogger(__name__)

MAX_BACKOFF = 120.0
DELIVERY_ATTEMPTS = 8
MISSING_LIMIT = 5  # polls in a row that do not find the task before it counts as lost
BREAK_LIMIT = 5  # unforeseen errors in one job's life before it is given up
OUTAGE_NOTICE = 20.0  # seconds of failing provider calls before the people waiting are told
TELEGRAM_STEPS = 16  # deliveries and failure notices under way at once
STOP_GRACE = 10.0
TIMEOUT = "timeout"
INTERNAL = "internal"
DELIVERY = "delivery"
CHAT_CLOSED = "chat_closed"
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


class Tracker:
    def __init__(
        self,
        db: Database,
        provider: Provider,
        notifier: Notifier,
        *,
        poll_interval: float,
        job_timeout: float,
        submit_timeout: float = 300.0,
        http_timeout: float = 30.0,
        hook_url: str | None = None,
        images: PromptImages | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`hook_url`: where the provider is to call back (the job's token appended);
        None where it does not or the bot has no public URL. `images` fetches image prompts."""
        self.db = db
        self.provider = provider
        self.notifier = notifier
        self.poll_interval = poll_interval
        self.job_timeout = job_timeout
        self.submit_timeout = submit_timeout
        self.http_timeout = http_timeout
        self.clock = clock
        self.health = ProviderHealth(
            provider.name,
            notice_after=min(OUTAGE_NOTICE, submit_timeout / 3),
            clock=clock,
            cool_down=min(COOL_DOWN, poll_interval),
        )
        self.pace = Pacer(poll_interval, mode=provider.mode, grid=provider.batch_size > 1)
        self.jobs: dict[int, Job] = {}  # every unfinished job, by id
        self._queue = DueQueue()
        self._wake = asyncio.Event()
        self._calls = asyncio.Semaphore(provider.concurrency)
        self.hook_url = hook_url
        self.submits = Submitter(
            db,
            provider,
            self._calls,
            self.health,
            submit_timeout=submit_timeout,
            hook_url=hook_url,
            images=images,
            clock=clock,
        )
        self._telegram = asyncio.Semaphore(TELEGRAM_STEPS)
        self._work: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None
        self._breaks: dict[int, int] = {}  # job id → unforeseen errors so far
        self.edits = StatusEdits(notifier, lambda edit: self._spawn(edit, []))
        self.hints = Hints()

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Resume every unfinished job, then run the loop. A job found SUBMITTING was cut
        off between sending and storing the answer: it is reconciled, never sent again."""
        for job in await self.db.jobs.unfinished():
            self.add(job)
        log.info("tracker started with %d unfinished jobs", len(self.jobs))
        self._loop = asyncio.create_task(self._run(), name="tracker")

    async def stop(self, grace: float | None = None) -> None:
        """Stop taking new steps; let the steps under way finish. The default grace outlasts
        a provider request, so a submit in flight gets its answer stored."""
        if grace is None:
            grace = max(STOP_GRACE, self.http_timeout + 5)
        if self._loop:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        if self._work:
            _, late = await asyncio.wait(self._work, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def abandon(self, job: Job, detail: str) -> None:
        """End a new job before anything is sent: its chat is closed to the bot, so there
        is nobody to show the result to (and nobody to tell)."""
        await self.db.jobs.update(
            job, status=JobStatus.FAILED, error_kind=CHAT_CLOSED, error=detail
        )
        log.warning("job %d failed: kind=%s detail=%s", job.id, CHAT_CLOSED, detail)

    def add(self, job: Job, delay: float = 0.0) -> None:
        """Track `job` (new or resumed); its next step is due after `delay` seconds, or at
        once when a callback waits for it."""
        self.jobs[job.id] = job
        self._queue.put(job.id, self.clock() + (0.0 if job.id in self.hints else delay))
        self._wake.set()

    def hint(self, job_id: int, snapshot: TaskSnapshot) -> bool:
        """A callback from the provider about the job (hints.py): applied at the job's next
        turn, which comes now unless a step of the job is under way. False (and nothing
        changes) when it is about another task than the job's."""
        job = self.jobs.get(job_id)
        if job is None:
            return True  # finished already
        if not self.hints.offer(job, snapshot):
            return False
        if job_id in self._queue:
            self.add(job)
        return True

    # --- the loop ---------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            if self.health.take_notice():
                self._tell_of_outage()
            due = self._pop_due()
            if not due:
                await self._sleep_until_next()
                continue
            polls: list[Job] = []
            for job in due:
                if job.status is JobStatus.SUCCEEDED:
                    self._spawn(self._deliver(job), [job])
                elif job.status is JobStatus.SUBMITTING:
                    self._spawn(self._settle(job), [job])
                elif job.status is JobStatus.NEW and self._expired(job):
                    failing = self._fail(job, TIMEOUT, "deadline passed before submitting")
                    self._spawn(failing, [job])
                elif job.status is JobStatus.NEW:
                    if self.health.admit():
                        self._spawn(self._submit(job), [job])
                    else:
                        self._hold(job)
                elif job.status.is_polled and (hint := self.hints.take(job)):
                    self._spawn(self._apply(job, hint), [job])
                elif job.status.is_polled:
                    # Polled even past its deadline: the result may be there (after downtime).
                    polls.append(job)
                else:
                    self._forget(job)
            size = max(1, self.provider.batch_size)
            for start in range(0, len(polls), size):
                batch = polls[start : start + size]
                if self.health.admit():
                    self._spawn(self._poll(batch), batch)
                else:
                    for job in batch:
                        self._hold(job)

    def _hold(self, job: Job) -> None:
        """The breaker holds back the job's call: the job keeps its place and goes when the
        provider answers again, unless it may not wait that long."""
        now = self.clock()
        if job.status is JobStatus.NEW and now - job.created_at >= self.submit_timeout:
            detail = "not accepted in time: the provider is not answering"
            self._spawn(self._fail(job, ErrorKind.UNAVAILABLE, detail), [job])
        elif self._expired(job):
            detail = "deadline passed while the provider was not answering"
            self._spawn(self._fail(job, TIMEOUT, detail), [job])
        else:
            self._queue.hold(job.id, now, self.health.reopens_at)

    def _release(self) -> None:
        """After a provider call: if the breaker is closed, the jobs it held go now."""
        if self._queue.holding and self.health.closed:
            self._queue.release()
            self._wake.set()

    def _pop_due(self) -> list[Job]:
        now = self.clock()
        horizon = now + self.poll_interval / 2
        ids = self._queue.pop_due(now, horizon, lambda job_id: self.jobs[job_id].status.is_polled)
        return [self.jobs[job_id] for job_id in ids]

    async def _sleep_until_next(self) -> None:
        """Until the next entry is due or a wake. Not wait_for: on Python 3.11 it swallows a
        cancel that comes with a wake, and `stop` would wait for ever."""
        self._wake.clear()
        wakes = [t for t in (self._queue.next_time(), self.health.notice_at()) if t is not None]
        timeout = max(0.0, min(wakes) - self.clock()) if wakes else None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    def _spawn(self, step: Coroutine[Any, Any, None], jobs: list[Job]) -> None:
        task = asyncio.create_task(step)
        self._work.add(task)
        task.add_done_callback(lambda done: self._finished(done, jobs))

    def _finished(self, task: asyncio.Task[None], jobs: list[Job]) -> None:
        """A step that broke on something unforeseen: log it and try its jobs again later,
        a bounded number of times, then fail them with a message."""
        self._work.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        log.error("tracker step for jobs %s failed", [j.id for j in jobs], exc_info=error)
        for job in jobs:
            if job.id not in self.jobs:
                continue
            breaks = self._breaks[job.id] = self._breaks.get(job.id, 0) + 1
            if breaks >= BREAK_LIMIT:
                kind = {JobStatus.SUBMITTING: UNCLEAR, JobStatus.SUCCEEDED: DELIVERY}
                detail = f"a step broke {breaks} times, the last: {error!r}"
                self._spawn(self._fail(job, kind.get(job.status, INTERNAL), detail), [])
            elif self._expired(job) and job.status in WAITING:
                self._spawn(self._fail(job, TIMEOUT, f"deadline passed after {error!r}"), [])
            else:
                self.add(job, self._backoff(breaks))

    # --- submitting (submits.py) ----------------------------------------------------

    async def _submit(self, job: Job) -> None:
        outcome = await self.submits.submit(job)
        self._release()
        await self._submitted(job, outcome)

    async def _settle(self, job: Job) -> None:
        await self._submitted(job, await self.submits.settle(job))

    async def _submitted(self, job: Job, outcome: Outcome) -> None:
        if isinstance(outcome, Accepted):
            log.info(
                "job %d submitted to %s as task %s", job.id, self.provider.name, outcome.task_id
            )
            if outcome.finished is not None:
                await self._apply(job, outcome.finished)
                return
            self.pace.started(job.id, self.clock())
            self.add(job, self._poll_delay(job))
        elif isinstance(outcome, Again) and job.status is JobStatus.NEW:
            await self._trouble(job)  # asked again each interval: the breaker paces refusals
            await self._retry(job, outcome.error, self.poll_interval)
        elif isinstance(outcome, Again):
            await self._retry(job, outcome.error, self._backoff(job.attempts))
        else:
            await self._fail(job, outcome.kind, outcome.detail)

    # --- polling ----------------------------------------------------------------------

    async def _poll(self, jobs: list[Job]) -> None:
        task_ids = [job.task_id or "" for job in jobs]
        try:
            async with self._calls:
                if len(jobs) == 1:
                    snapshots = [await self.provider.fetch(task_ids[0])]
                else:
                    snapshots = await self.provider.fetch_many(task_ids)
        except ProviderError as exc:
            if exc.kind.transient:
                self.health.failed(exc)
            else:
                self.health.answered()
                self._release()
            for job in jobs:
                if exc.kind is ErrorKind.INVALID and len(jobs) == 1:
                    self._spawn(self._missing(job, exc.detail), [job])
                else:
                    self._spawn(self._poll_failed(job, exc), [job])
            return
        self.health.answered()
        self._release()
        found = {snapshot.task_id: snapshot for snapshot in snapshots}
        for job in jobs:
            snapshot = found.get(job.task_id or "")
            if snapshot is None:
                self._spawn(self._missing(job, "the provider does not list the task"), [job])
            else:
                self._spawn(self._apply(job, snapshot), [job])

    async def _poll_failed(self, job: Job, error: ProviderError) -> None:
        await self.db.jobs.update(job, attempts=job.attempts + 1)
        await self._trouble(job)
        await self._retry(job, error, self._poll_delay(job, failed=True))

    async def _missing(self, job: Job, detail: str) -> None:
        """A task the provider does not know (yet): wait a little, then give up."""
        if job.misses + 1 >= MISSING_LIMIT:
            await self._fail(job, ErrorKind.INVALID, detail)
            return
        await self.db.jobs.update(job, misses=job.misses + 1)
        await self._retry(job, ProviderError(ErrorKind.INVALID, detail), self._backoff(job.misses))

    async def _apply(self, job: Job, snapshot: TaskSnapshot) -> None:
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
            await self._deliver(job)
        elif snapshot.state is TaskState.FAILURE:
            kind = snapshot.error_kind or ErrorKind.FAILED
            await self._fail(job, kind, snapshot.fail_reason, reason=snapshot.fail_reason)
        elif snapshot.state is TaskState.MODAL:
            await self._fail(job, ErrorKind.UNSUPPORTED, "the provider asks for more input")
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

    # --- the chat side ----------------------------------------------------------------

    async def _trouble(self, job: Job) -> None:
        """Once the outage has been noticed, say so in this job's status message."""
        if self.health.noticed:
            self.edits.trouble(job)

    def _tell_of_outage(self) -> None:
        log.warning(
            "provider %s: telling the people waiting that it is not answering", self.provider.name
        )
        self.edits.outage(job for job in list(self.jobs.values()) if job.status in WAITING)

    async def _deliver(self, job: Job) -> None:
        try:
            async with self._telegram:
                await self.notifier.deliver(job)
        except (ProviderError, DeliveryError) as exc:
            retry = exc.retry if isinstance(exc, DeliveryError) else exc.kind.transient
            if not retry or job.attempts + 1 >= DELIVERY_ATTEMPTS:
                await self._fail(job, DELIVERY, str(exc))
            else:
                await self.db.jobs.update(job, attempts=job.attempts + 1)
                await self._retry(job, exc, self._backoff(job.attempts))
            return
        if job.status is not JobStatus.DELIVERED:
            await self.db.jobs.update(job, status=JobStatus.DELIVERED)
        self._forget(job)
        log.info("job %d delivered", job.id)

    async def _fail(
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
        self._forget(job)
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

    def _forget(self, job: Job) -> None:
        self.jobs.pop(job.id, None)
        self._breaks.pop(job.id, None)
        self._queue.discard(job.id)
        self.submits.forget(job.id)
        self.pace.forget(job.id)
        self.edits.forget(job.id)
        self.hints.forget(job.id)

    # --- timing -----------------------------------------------------------------------

    def _poll_delay(self, job: Job, *, failed: bool = False) -> float:
        deadline = job.created_at + self.job_timeout
        hooked = self.hook_url is not None and job.hook_token is not None
        return self.pace.delay(job, self.clock(), deadline, failed=failed, hooked=hooked)

    def _backoff(self, attempts: int) -> float:
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
        if job.status in WAITING and self._expired(job):
            await self._fail(job, TIMEOUT, "deadline passed")
        else:
            self.add(job, delay)

    def _expired(self, job: Job) -> bool:
        return self.clock() > job.created_at + self.job_timeout

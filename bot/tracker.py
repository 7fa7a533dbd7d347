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

What each answer does to its job is steps.py. Every step leaves the job as the database
has it (the store changes memory only after a commit), but for a running task's progress and
preview. A step that breaks on something unforeseen is tried again a bounded
number of times within the job's deadline, then the job fails with a message. A submit whose
request may have reached the provider is never sent again (submits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from bot.domain import Job, JobStatus
from bot.hints import Hints
from bot.outage import COOL_DOWN, ProviderHealth
from bot.pacing import Pacer
from bot.prompt_images import PromptImages
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import TaskSnapshot
from bot.schedule import DueQueue
from bot.status_edits import StatusEdits
from bot.steps import DELIVERY, TIMEOUT, WAITING, Notifier, Steps
from bot.store import Database
from bot.submits import UNCLEAR, Submitter

log = logging.getLogger(__name__)

BREAK_LIMIT = 5  # unforeseen errors in one job's life before it is given up
OUTAGE_NOTICE = 20.0  # seconds of failing provider calls before the people waiting are told
STOP_GRACE = 10.0
INTERNAL = "internal"
CHAT_CLOSED = "chat_closed"


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
        self._work: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None
        self._breaks: dict[int, int] = {}  # job id → unforeseen errors so far
        self.edits = StatusEdits(notifier, lambda edit: self._spawn(edit, []))
        self.hints = Hints()
        self.steps = Steps(
            db,
            provider,
            notifier,
            edits=self.edits,
            pace=self.pace,
            health=self.health,
            poll_interval=poll_interval,
            job_timeout=job_timeout,
            hook_url=hook_url,
            again=self.add,
            done=self._forget,
            clock=clock,
        )

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
                    self._spawn(self.steps.deliver(job), [job])
                elif job.status is JobStatus.SUBMITTING:
                    self._spawn(self._settle(job), [job])
                elif job.status is JobStatus.NEW and self.steps.expired(job):
                    failing = self.steps.fail(job, TIMEOUT, "deadline passed before submitting")
                    self._spawn(failing, [job])
                elif job.status is JobStatus.NEW:
                    if self.health.admit():
                        self._spawn(self._submit(job), [job])
                    else:
                        self._hold(job)
                elif job.status.is_polled and (hint := self.hints.take(job)):
                    self._spawn(self.steps.apply(job, hint), [job])
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
            self._spawn(self.steps.fail(job, ErrorKind.UNAVAILABLE, detail), [job])
        elif self.steps.expired(job):
            detail = "deadline passed while the provider was not answering"
            self._spawn(self.steps.fail(job, TIMEOUT, detail), [job])
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
                self._spawn(self.steps.fail(job, kind.get(job.status, INTERNAL), detail), [])
            elif self.steps.expired(job) and job.status in WAITING:
                self._spawn(self.steps.fail(job, TIMEOUT, f"deadline passed after {error!r}"), [])
            else:
                self.add(job, self.steps.backoff(breaks))

    # --- submitting (submits.py) ----------------------------------------------------

    async def _submit(self, job: Job) -> None:
        outcome = await self.submits.submit(job)
        self._release()
        await self.steps.submitted(job, outcome)

    async def _settle(self, job: Job) -> None:
        await self.steps.submitted(job, await self.submits.settle(job))

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
                    self._spawn(self.steps.missing(job, exc.detail), [job])
                else:
                    self._spawn(self.steps.poll_failed(job, exc), [job])
            return
        self.health.answered()
        self._release()
        found = {snapshot.task_id: snapshot for snapshot in snapshots}
        for job in jobs:
            snapshot = found.get(job.task_id or "")
            if snapshot is None:
                self._spawn(self.steps.missing(job, "the provider does not list the task"), [job])
            else:
                self._spawn(self.steps.apply(job, snapshot), [job])

    def _tell_of_outage(self) -> None:
        log.warning(
            "provider %s: telling the people waiting that it is not answering", self.provider.name
        )
        self.edits.outage(job for job in list(self.jobs.values()) if job.status in WAITING)

    def _forget(self, job: Job) -> None:
        self.jobs.pop(job.id, None)
        self._breaks.pop(job.id, None)
        self._queue.discard(job.id)
        self.submits.forget(job.id)
        self.pace.forget(job.id)
        self.edits.forget(job.id)
        self.hints.forget(job.id)

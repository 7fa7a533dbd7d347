"""The tracker's state machine against a scripted provider and a recording notifier."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.domain import Action, Button, Job, JobStatus
from bot.outage import JITTER, MAX_COOL_DOWN, OPEN_AFTER, ProviderHealth
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from bot.steps import DeliveryError
from bot.store import Database
from bot.submits import job_ref
from bot.tracker import BREAK_LIMIT, Tracker

GRID = (Button(Action.UPSCALE, "u1", 1, "U1"),)


class ScriptedProvider(Provider):
    """Answers from queues the test fills; an empty queue means success."""

    name = "scripted"
    default_url = "http://127.0.0.1:9"
    batch_size = 10

    def __init__(self) -> None:
        super().__init__(self.default_url, "key")
        self.submit_answers: list[Exception] = []
        self.fetch_answers: list[Exception | TaskSnapshot] = []
        self.submitted: list[str] = []
        self.batches: list[list[str]] = []

    async def imagine(self, prompt: str, **_: object) -> str:
        if self.submit_answers:
            raise self.submit_answers.pop(0)
        self.submitted.append(prompt)
        return f"t{len(self.submitted)}"

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        self.batches.append(task_ids)
        return [await self.fetch(task_id) for task_id in task_ids]

    async def fetch(self, task_id: str) -> TaskSnapshot:
        if self.fetch_answers:
            answer = self.fetch_answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return TaskSnapshot(task_id, TaskState.SUCCESS, 100, "http://img/x.png", (), GRID)


class RecordingNotifier:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, str | None]] = []
        self.delivery_errors: list[DeliveryError] = []
        self.changed = asyncio.Condition()

    async def _record(self, event: str, job: Job, extra: str | None = None) -> None:
        async with self.changed:
            self.events.append((event, job.id, extra))
            self.changed.notify_all()

    async def progress(self, job: Job, trouble: bool = False) -> None:
        await self._record("trouble" if trouble else "progress", job, str(job.progress))

    async def deliver(self, job: Job) -> None:
        if self.delivery_errors:
            raise self.delivery_errors.pop(0)
        await self._record("delivered", job)

    async def failed(self, job: Job, reason: str | None = None) -> None:
        await self._record("failed", job, job.error_kind)

    async def wait(self, predicate: Callable[[], bool]) -> None:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(predicate), 10)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "jobs.db")
    await database.users.remember(1, None, "Ann", "en")
    await database.chats.remember(1, "private", None)
    yield database
    await database.close()


@pytest.fixture
def provider() -> ScriptedProvider:
    return ScriptedProvider()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
async def make_tracker(
    db: Database, provider: ScriptedProvider, notifier: RecordingNotifier
) -> AsyncIterator[Callable[..., Tracker]]:
    made: list[Tracker] = []

    def make(**options: float) -> Tracker:
        settings = {"poll_interval": 0.01, "job_timeout": 30.0, **options}
        tracker = Tracker(db, provider, notifier, **settings)
        made.append(tracker)
        return tracker

    yield make
    for tracker in made:
        await tracker.stop()


async def new_job(db: Database, prompt: str = "a cat", **fields: object) -> Job:
    job = Job(id=0, user_id=1, chat_id=1, action=Action.IMAGINE, prompt=prompt, provider="x")
    await db.jobs.create(job)
    if fields:
        await db.jobs.update(job, **fields)
    return job


def ended(notifier: RecordingNotifier, job: Job) -> Callable[[], bool]:
    return lambda: any(e[1] == job.id and e[0] in ("delivered", "failed") for e in notifier.events)


async def test_job_goes_from_new_to_delivered(db, provider, notifier, make_tracker) -> None:
    provider.fetch_answers = [
        TaskSnapshot("t1", TaskState.QUEUED),
        TaskSnapshot("t1", TaskState.RUNNING, 40),
        TaskSnapshot("t1", TaskState.RUNNING, 40),
    ]
    job = await new_job(db)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    stored = await db.jobs.get(job.id)
    assert stored.status is JobStatus.DELIVERED
    assert stored.task_id == "t1"
    assert stored.buttons == list(GRID)
    # Progress is reported when it changes, not on every poll.
    assert [e for e in notifier.events if e[0] == "progress"] == [("progress", job.id, "40")]
    assert provider.submitted == ["a cat"]


async def test_transient_submit_errors_are_retried(db, provider, notifier, make_tracker) -> None:
    provider.submit_answers = [
        ProviderError(ErrorKind.RATE_LIMITED, "429"),
        ProviderError(ErrorKind.UNAVAILABLE, "connection refused"),
    ]
    job = await new_job(db)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events
    assert provider.submitted == ["a cat"]


async def test_submit_that_may_have_happened_is_not_repeated(
    db, provider, notifier, make_tracker
) -> None:
    provider.submit_answers = [
        ProviderError(ErrorKind.UNAVAILABLE, "read timeout", maybe_done=True)
    ]
    job = await new_job(db)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    assert notifier.events == [("failed", job.id, "unclear")]
    assert provider.submitted == []


async def test_permanent_submit_error_fails_the_job(db, provider, notifier, make_tracker) -> None:
    provider.submit_answers = [ProviderError(ErrorKind.BALANCE, "402")]
    job = await new_job(db)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    assert notifier.events == [("failed", job.id, "balance")]
    assert (await db.jobs.get(job.id)).status is JobStatus.FAILED


async def test_restart_resumes_and_never_resubmits(db, provider, notifier, make_tracker) -> None:
    fresh = await new_job(db, "never sent")
    interrupted = await new_job(db, "interrupted", status=JobStatus.SUBMITTING)
    running = await new_job(db, "running", status=JobStatus.RUNNING, task_id="t-old")
    finished = await new_job(
        db,
        "finished",
        status=JobStatus.SUCCEEDED,
        task_id="t-done",
        image_url="http://img/done.png",
    )
    done = await new_job(db, "done", status=JobStatus.DELIVERED, task_id="t-x")
    tracker = make_tracker()
    await tracker.start()
    jobs = (fresh, interrupted, running, finished)
    await notifier.wait(lambda: all(ended(notifier, job)() for job in jobs))
    assert ("failed", interrupted.id, "unconfirmed") in notifier.events
    assert not any(event[1] == done.id for event in notifier.events)
    assert provider.submitted == ["never sent"]
    statuses = {job.id: (await db.jobs.get(job.id)).status for job in (*jobs, done)}
    assert statuses == {
        fresh.id: JobStatus.DELIVERED,
        interrupted.id: JobStatus.FAILED,
        running.id: JobStatus.DELIVERED,
        finished.id: JobStatus.DELIVERED,
        done.id: JobStatus.DELIVERED,
    }


async def test_polls_are_batched(db, provider, notifier, make_tracker) -> None:
    jobs = [
        await new_job(db, f"p{n}", status=JobStatus.SUBMITTED, task_id=f"t{n}") for n in range(12)
    ]
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(lambda: all(ended(notifier, job)() for job in jobs))
    assert sorted(len(batch) for batch in provider.batches) == [2, 10]


async def test_poll_errors_back_off_then_succeed(db, provider, notifier, make_tracker) -> None:
    provider.fetch_answers = [
        ProviderError(ErrorKind.UNAVAILABLE, "502"),
        ProviderError(ErrorKind.UNAVAILABLE, "not JSON"),
    ]
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events


async def test_task_failure_and_unknown_task(db, provider, notifier, make_tracker) -> None:
    provider.fetch_answers = [
        TaskSnapshot("t1", TaskState.FAILURE, fail_reason="banned", error_kind=ErrorKind.MODERATION)
    ] + [ProviderError(ErrorKind.INVALID, "no such task")] * 5
    failing = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, failing))
    lost = await new_job(db, status=JobStatus.SUBMITTED, task_id="t2")
    tracker.add(lost)
    await notifier.wait(ended(notifier, lost))
    assert ("failed", failing.id, "moderation") in notifier.events
    assert ("failed", lost.id, "invalid") in notifier.events


async def test_deadline_ends_a_job(db, provider, notifier, make_tracker) -> None:
    provider.fetch_answers = [TaskSnapshot("t1", TaskState.RUNNING, 10)] * 1000
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker(job_timeout=0.2)
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("failed", job.id, "timeout") in notifier.events


async def test_delivery_is_retried_then_given_up(db, provider, notifier, make_tracker) -> None:
    notifier.delivery_errors = [DeliveryError("network", retry=True)] * 2 + [
        DeliveryError("chat closed", retry=False)
    ]
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("failed", job.id, "delivery") in notifier.events
    assert (await db.jobs.get(job.id)).attempts == 2


async def test_stop_lets_a_delivery_under_way_finish(db, provider, notifier, make_tracker) -> None:
    gate = asyncio.Event()
    entered = asyncio.Event()
    deliver = notifier.deliver

    async def slow_deliver(job: Job) -> None:
        entered.set()
        await gate.wait()
        await deliver(job)

    notifier.deliver = slow_deliver  # type: ignore[method-assign]
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await asyncio.wait_for(entered.wait(), 10)
    stopping = asyncio.create_task(tracker.stop())
    gate.set()
    await stopping
    assert (await db.jobs.get(job.id)).status is JobStatus.DELIVERED


async def test_result_ready_after_a_long_downtime_is_still_posted(
    db, provider, notifier, make_tracker
) -> None:
    job = await new_job(db, status=JobStatus.RUNNING, task_id="t1")
    never_sent = await new_job(db, "never sent")
    tracker = make_tracker(job_timeout=0.0)  # both jobs are past their deadline at start
    await tracker.start()
    await notifier.wait(lambda: ended(notifier, job)() and ended(notifier, never_sent)())
    assert ("delivered", job.id, None) in notifier.events
    assert ("failed", never_sent.id, "timeout") in notifier.events
    assert provider.submitted == []


async def test_a_step_that_breaks_is_tried_again(
    db, provider, notifier, make_tracker, monkeypatch
) -> None:
    monkeypatch.setattr("bot.steps.MAX_BACKOFF", 0.01)
    provider.fetch_answers = [RuntimeError("database is locked")]  # not a ProviderError
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert provider.fetch_answers == []
    assert ("delivered", job.id, None) in notifier.events


async def test_a_step_that_keeps_breaking_ends_with_a_message(
    db, provider, notifier, make_tracker, monkeypatch
) -> None:
    monkeypatch.setattr("bot.steps.MAX_BACKOFF", 0.01)
    provider.fetch_answers = [OverflowError("cannot convert float infinity")] * 1000
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("failed", job.id, "internal") in notifier.events
    assert len(provider.fetch_answers) == 1000 - BREAK_LIMIT
    assert (await db.jobs.get(job.id)).status is JobStatus.FAILED


class FailingWrites:
    """Makes the store's next writes of a given status fail, as a locked database does."""

    def __init__(self, db: Database, status: JobStatus, times: int = 1) -> None:
        self.update = db.jobs.update
        self.status = status
        self.left = times
        db.jobs.update = self  # type: ignore[method-assign]

    async def __call__(self, job: Job, **changes: object) -> Job:
        if changes.get("status") is self.status and self.left:
            self.left -= 1
            raise sqlite3.OperationalError("database is locked")
        return await self.update(job, **changes)


async def test_memory_follows_the_store(db) -> None:
    job = await new_job(db)
    FailingWrites(db, JobStatus.SUBMITTING)
    with pytest.raises(sqlite3.OperationalError):
        await db.jobs.update(job, status=JobStatus.SUBMITTING)
    assert job.status is JobStatus.NEW
    stored = await db.jobs.get(job.id)
    assert stored.status is JobStatus.NEW


async def test_a_submit_answer_that_cannot_be_stored_at_once_is_kept(
    db, provider, notifier, make_tracker, monkeypatch
) -> None:
    monkeypatch.setattr("bot.steps.MAX_BACKOFF", 0.01)
    job = await new_job(db)
    FailingWrites(db, JobStatus.SUBMITTED, times=2)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events
    assert provider.submitted == ["a cat"]  # sent once, its answer stored on a later try
    assert (await db.jobs.get(job.id)).task_id == "t1"


async def test_a_submit_that_breaks_unforeseen_is_not_left_hanging(
    db, provider, notifier, make_tracker
) -> None:
    provider.submit_answers = [ValueError("Expecting value: line 1 column 1")]
    job = await new_job(db)
    tracker = make_tracker()
    await tracker.start()
    tracker.add(job)
    await notifier.wait(ended(notifier, job))
    assert notifier.events == [("failed", job.id, "unclear")]
    assert provider.submitted == []
    assert (await db.jobs.get(job.id)).status is JobStatus.FAILED


async def test_not_found_has_its_own_count(db, provider, notifier, make_tracker) -> None:
    provider.fetch_answers = [ProviderError(ErrorKind.UNAVAILABLE, "502")] * 4 + [
        ProviderError(ErrorKind.INVALID, "no such task")
    ]
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events


async def test_a_found_task_resets_the_not_found_count(
    db, provider, notifier, make_tracker
) -> None:
    missing = ProviderError(ErrorKind.INVALID, "no such task")
    running = TaskSnapshot("t1", TaskState.RUNNING, 10)
    provider.fetch_answers = [missing] * 4 + [running] + [missing] * 4
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events


class ReconcilingProvider(ScriptedProvider):
    """A provider that can find a task by the name its submit carried."""

    capabilities = frozenset({Capability.RECONCILE})

    def __init__(self, found: str | None) -> None:
        super().__init__()
        self.found = found
        self.asked: list[str] = []

    async def find_task(self, ref: str) -> str | None:
        self.asked.append(ref)
        return self.found


@pytest.mark.parametrize(("found", "outcome"), [("t9", "delivered"), (None, "failed")])
async def test_a_submit_cut_off_by_a_restart_is_reconciled(
    db, notifier, found: str | None, outcome: str
) -> None:
    provider = ReconcilingProvider(found)
    job = await new_job(db, status=JobStatus.SUBMITTING)
    tracker = Tracker(db, provider, notifier, poll_interval=0.01, job_timeout=30.0)
    await tracker.start()
    try:
        await notifier.wait(ended(notifier, job))
    finally:
        await tracker.stop()
    assert provider.asked == [job_ref(job)]
    assert provider.submitted == []
    stored = await db.jobs.get(job.id)
    if found:
        assert stored.task_id == found and stored.status is JobStatus.DELIVERED
    else:
        assert ("failed", job.id, "unconfirmed") in notifier.events


async def test_stop_waits_for_a_submit_in_flight(
    db, provider, notifier, make_tracker, monkeypatch
) -> None:
    monkeypatch.setattr("bot.tracker.STOP_GRACE", 0.05)
    sending = asyncio.Event()
    imagine = provider.imagine

    async def slow_imagine(prompt: str, **options: Any) -> str:
        sending.set()
        await asyncio.sleep(0.3)  # the provider taking its time to answer
        return await imagine(prompt, **options)

    provider.imagine = slow_imagine  # type: ignore[method-assign]
    job = await new_job(db)
    tracker = make_tracker(http_timeout=2.0)
    await tracker.start()
    tracker.add(job)
    await asyncio.wait_for(sending.wait(), 10)
    await tracker.stop()
    stored = await db.jobs.get(job.id)
    assert (stored.status, stored.task_id) == (JobStatus.SUBMITTED, "t1")


async def test_a_slow_delivery_holds_back_no_other_job(
    db, provider, notifier, make_tracker
) -> None:
    gate = asyncio.Event()
    deliver = notifier.deliver
    slow = await new_job(db, "p1", status=JobStatus.SUBMITTED, task_id="t1")
    quick = await new_job(db, "p2", status=JobStatus.SUBMITTED, task_id="t2")

    async def deliver_slowly(job: Job) -> None:
        if job.id == slow.id:
            await gate.wait()
        await deliver(job)

    notifier.deliver = deliver_slowly  # type: ignore[method-assign]
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, quick))
    assert provider.batches == [["t1", "t2"]]  # one batch, two deliveries side by side
    gate.set()
    await notifier.wait(ended(notifier, slow))


async def test_an_outage_is_shown_then_ends_the_job_in_bounded_time(
    db, provider, notifier, make_tracker, caplog
) -> None:
    provider.submit_answers = [ProviderError(ErrorKind.UNAVAILABLE, "connection refused")] * 1000
    job = await new_job(db)
    tracker = make_tracker(submit_timeout=0.6, job_timeout=600.0)
    with caplog.at_level(logging.INFO):
        await tracker.start()
        tracker.add(job)
        await notifier.wait(ended(notifier, job))
    assert ("failed", job.id, "unavailable") in notifier.events
    kinds = [event[0] for event in notifier.events]
    assert kinds.index("trouble") < kinds.index("failed")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("provider scripted is failing" in r.getMessage() for r in warnings)


async def test_recovery_is_logged_and_the_status_cleared(
    db, provider, notifier, make_tracker, caplog
) -> None:
    provider.fetch_answers = [ProviderError(ErrorKind.UNAVAILABLE, "502")] * 6
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker(submit_timeout=0.06)
    with caplog.at_level(logging.INFO):
        await tracker.start()
        await notifier.wait(ended(notifier, job))
    assert ("delivered", job.id, None) in notifier.events
    assert any("provider scripted answers again" in r.getMessage() for r in caplog.records)


# --- the poll policy, on a clock the test moves ----------------------------------------

START = 1_000_000.0  # a whole number of poll intervals, so that batch ticks fall on it


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


async def run_for(tracker: Tracker, clock: FakeClock, seconds: float, step: float) -> None:
    """Move the clock on `step` by `step`; each time, let the tracker do all that is due."""
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.now += step
        await asyncio.wait_for(settled(tracker), 10)


async def settled(tracker: Tracker) -> None:
    """Wake the loop and wait until nothing is due and no step is under way."""
    tracker._wake.set()
    while True:
        due = tracker._queue.next_time()
        if not tracker._work and (due is None or due > tracker.clock()):
            return
        await asyncio.sleep(0)


class TimedProvider(ScriptedProvider):
    """No batch query; a task takes `seconds` from START on the test's clock and reports its
    progress; every `failing`-th poll fails (0: none)."""

    batch_size = 1

    def __init__(self, clock: FakeClock, seconds: float, failing: int = 0) -> None:
        super().__init__()
        self.clock = clock
        self.seconds = seconds
        self.failing = failing
        self.polls: list[tuple[float, str, bool]] = []  # when, which task, whether it failed

    async def fetch(self, task_id: str) -> TaskSnapshot:
        failed = bool(self.fetch_answers) or (
            self.failing > 0 and (len(self.polls) + 1) % self.failing == 0
        )
        self.polls.append((self.clock(), task_id, failed))
        if failed:
            raise ProviderError(ErrorKind.UNAVAILABLE, "HTTP 502")
        elapsed = self.clock() - START
        if elapsed >= self.seconds:
            return TaskSnapshot(task_id, TaskState.SUCCESS, 100, "http://img/x.png", (), GRID)
        return TaskSnapshot(task_id, TaskState.RUNNING, int(100 * elapsed / self.seconds))


async def running_jobs(db: Database, count: int) -> list[Job]:
    return [
        await new_job(db, f"p{n}", status=JobStatus.RUNNING, task_id=f"t{n}", created_at=START)
        for n in range(count)
    ]


async def test_a_long_task_is_polled_sparsely_early_and_densely_near_its_end(db, notifier) -> None:
    clock = FakeClock()
    provider = TimedProvider(clock, seconds=45.0)
    (job,) = await running_jobs(db, 1)
    tracker = Tracker(db, provider, notifier, poll_interval=5.0, job_timeout=600, clock=clock)
    await tracker.start()
    try:
        await run_for(tracker, clock, 70.0, step=0.25)
    finally:
        await tracker.stop()
    times = [when - START for when, _, _ in provider.polls]
    assert ("delivered", job.id, None) in notifier.events
    assert len([t for t in times if t < 30]) <= 3  # every 5 s, that would be 6
    assert times[-1] - 45.0 <= 5.0 + 0.25  # posted within one interval of the task's end
    assert all(b - a <= 5.0 + 0.25 for a, b in zip(times[-3:-1], times[-2:], strict=True))


async def test_failed_polls_push_no_job_back(db, notifier) -> None:
    clock = FakeClock()
    provider = TimedProvider(clock, seconds=45.0, failing=3)
    (job,) = await running_jobs(db, 1)
    tracker = Tracker(db, provider, notifier, poll_interval=1.0, job_timeout=600, clock=clock)
    await tracker.start()
    try:
        await run_for(tracker, clock, 70.0, step=0.125)
    finally:
        await tracker.stop()
    assert ("delivered", job.id, None) in notifier.events
    times = [when - START for when, _, _ in provider.polls]
    failed = [n for n, (_, _, fails) in enumerate(provider.polls) if fails]
    assert len(failed) >= 5
    for n in failed[1:]:
        if n + 1 < len(times):  # the next poll comes no later than it would have anyway
            assert times[n + 1] - times[n] <= times[n] - times[n - 1] + 0.125
    assert times[-1] - 45.0 <= 1.0 + 0.5 + 0.125  # one interval, and one retry


async def test_a_run_of_provider_errors_holds_back_every_poll_until_a_probe_answers(
    db, notifier
) -> None:
    clock = FakeClock()
    provider = TimedProvider(clock, seconds=0.0)  # every task is done: only errors delay them
    provider.fetch_answers = [ProviderError(ErrorKind.UNAVAILABLE, "down")]  # until cleared
    jobs = await running_jobs(db, 4)
    tracker = Tracker(db, provider, notifier, poll_interval=1.0, job_timeout=600, clock=clock)
    await tracker.start()
    try:
        await run_for(tracker, clock, 60.0, step=0.1)
        failing = len(provider.polls)
        # Two rounds of 4 polls open the breaker; then one probe per cool-down (0.8 s at
        # the least, doubling): 7 at most in a minute. Each job on its own would poll 6 times.
        assert failing <= 2 * 4 + 7
        probes = [when for when, _, _ in provider.polls[8:]]
        assert len(set(probes)) == len(probes)  # one at a time
        assert not any(event[0] == "failed" for event in notifier.events)
        provider.fetch_answers = []
        await run_for(tracker, clock, 60.0, step=0.1)
    finally:
        await tracker.stop()
    assert all(("delivered", job.id, None) in notifier.events for job in jobs)
    answered = provider.polls[failing:]
    assert sorted(task for _, task, _ in answered) == ["t0", "t1", "t2", "t3"]  # once each
    assert len({when for when, _, _ in answered}) == 1  # all as soon as the probe answered


async def test_polls_of_a_batch_provider_meet_on_the_ticks(db, provider, notifier) -> None:
    clock = FakeClock()
    tracker = Tracker(db, provider, notifier, poll_interval=1.0, job_timeout=600, clock=clock)
    await tracker.start()
    try:
        for n in range(25):  # submitted 0.04 s apart: their polls fall due apart
            tracker.add(await new_job(db, f"p{n}"))
            await asyncio.wait_for(settled(tracker), 10)
            clock.now += 0.04
        await run_for(tracker, clock, 5.0, step=0.04)
    finally:
        await tracker.stop()
    assert len([e for e in notifier.events if e[0] == "delivered"]) == 25
    assert sorted(len(batch) for batch in provider.batches) == [5, 10, 10]


def test_the_breaker_opens_after_a_run_of_failures_and_a_probe_closes_it() -> None:
    clock = FakeClock()
    health = ProviderHealth("p", notice_after=20.0, clock=clock, cool_down=1.0)
    error = ProviderError(ErrorKind.UNAVAILABLE, "HTTP 502")
    for _ in range(OPEN_AFTER):
        assert health.admit()
        health.failed(error)
    assert not health.admit()
    clock.now += 1 + JITTER  # the longest first cool-down
    assert health.admit()  # the probe
    assert not health.admit()  # and only the probe
    health.failed(error)
    assert 2 * (1 - JITTER) <= health.reopens_at - clock.now <= 2 * (1 + JITTER)
    for _ in range(10):  # probes that fail keep it open for longer, up to MAX_COOL_DOWN
        clock.now = health.reopens_at
        assert health.admit()
        health.failed(error)
    assert health.reopens_at - clock.now <= MAX_COOL_DOWN * (1 + JITTER)
    clock.now = health.reopens_at
    assert health.admit()
    health.answered()
    assert health.closed and health.admit() and health.admit()


def test_a_probe_that_never_ends_lets_another_go() -> None:
    clock = FakeClock()
    health = ProviderHealth("p", notice_after=20.0, clock=clock, cool_down=1.0)
    for _ in range(OPEN_AFTER):
        health.failed(ProviderError(ErrorKind.UNAVAILABLE, "HTTP 502"))
    clock.now = health.reopens_at
    assert health.admit()  # the probe breaks: neither answer nor failure comes
    clock.now = health.reopens_at
    assert health.admit()


# --- callbacks ---------------------------------------------------------------------------

HOOKS = "http://127.0.0.1:9/provider"


def success(task_id: str) -> TaskSnapshot:
    return TaskSnapshot(task_id, TaskState.SUCCESS, 100, "http://img/x.png", (), GRID)


async def test_a_callback_that_beats_the_submit_answer_is_applied_after_it(
    db, provider, notifier, make_tracker
) -> None:
    provider.fetch_answers = [TaskSnapshot("t1", TaskState.RUNNING, 10)] * 20
    tracker = make_tracker(hook_url=HOOKS)
    job = await new_job(db)
    await tracker.start()
    tracker.add(job)
    assert tracker.hint(job.id, success("t1"))  # the task id is not known yet
    await notifier.wait(ended(notifier, job))
    assert notifier.events == [("delivered", job.id, None)]
    assert provider.batches == [] and len(provider.fetch_answers) == 20  # never polled
    stored = await db.jobs.get(job.id)
    assert stored.status is JobStatus.DELIVERED and stored.hook_token


async def test_a_callback_about_another_task_is_refused_and_a_late_one_undoes_nothing(
    db, provider, notifier, make_tracker
) -> None:
    provider.fetch_answers = [TaskSnapshot("t9", TaskState.RUNNING, 10)] * 20
    tracker = make_tracker(hook_url=HOOKS)
    job = await new_job(db, status=JobStatus.RUNNING, task_id="t9", hook_token="token")
    await tracker.start()
    assert tracker.hint(job.id, success("t8")) is False
    assert tracker.hint(job.id, success("t9"))
    assert tracker.hint(job.id, TaskSnapshot("t9", TaskState.RUNNING, 50))  # out of order
    await notifier.wait(ended(notifier, job))
    assert notifier.events == [("delivered", job.id, None)]
    assert tracker.hint(job.id, success("t9"))  # after the end: nothing to do

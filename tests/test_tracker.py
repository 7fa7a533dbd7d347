"""The tracker's state machine against a scripted provider and a recording notifier."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.domain import Action, Button, Job, JobStatus
from bot.providers.base import ErrorKind, Provider, ProviderError, TaskSnapshot, TaskState
from bot.store import Database
from bot.tracker import DeliveryError, Tracker

GRID = (Button(Action.UPSCALE, "u1", 1, "U1"),)


class ScriptedProvider(Provider):
    """Answers from queues the test fills; an empty queue means success."""

    name = "scripted"
    default_url = "http://127.0.0.1:9"
    batch_size = 10

    def __init__(self) -> None:
        super().__init__(self.default_url, "key")
        self.submit_answers: list[ProviderError] = []
        self.fetch_answers: list[ProviderError | TaskSnapshot] = []
        self.submitted: list[str] = []
        self.batches: list[list[str]] = []

    async def imagine(self, prompt: str) -> str:
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
            if isinstance(answer, ProviderError):
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

    async def progress(self, job: Job) -> None:
        await self._record("progress", job, str(job.progress))

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
    monkeypatch.setattr("bot.tracker.MAX_BACKOFF", 0.01)
    progress = notifier.progress
    broken = [RuntimeError("database is locked")]

    async def flaky_progress(job: Job) -> None:
        if broken:
            raise broken.pop()
        await progress(job)

    notifier.progress = flaky_progress  # type: ignore[method-assign]
    provider.fetch_answers = [TaskSnapshot("t1", TaskState.RUNNING, 50)]
    job = await new_job(db, status=JobStatus.SUBMITTED, task_id="t1")
    tracker = make_tracker()
    await tracker.start()
    await notifier.wait(ended(notifier, job))
    assert broken == []
    assert ("delivered", job.id, None) in notifier.events

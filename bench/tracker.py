"""How the one scheduler copes with many jobs in flight.

Runs the real Tracker and Database with an in-memory provider that answers at once (each
task needs POLLS polls) and a notifier that does nothing. Prints the time to resume N stored
jobs and the memory the tracker holds for them, then the time until all are delivered, polls
per second and polls per provider call (batching). Run: python bench/tracker.py
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import tracemalloc
from pathlib import Path

from bot.domain import Action, Button, Job
from bot.providers.base import Provider
from bot.providers.tasks import TaskSnapshot, TaskState
from bot.store import Database
from bot.tracker import Tracker

POLLS = 3
GRID = tuple(Button(Action.UPSCALE, f"u{i}", i) for i in range(1, 5))


class InstantProvider(Provider):
    name = "bench"
    default_url = "http://127.0.0.1:9"
    batch_size = 20

    def __init__(self) -> None:
        super().__init__(self.default_url, "key")
        self.polls: dict[str, int] = {}
        self.calls = 0

    async def imagine(self, prompt: str, **_: object) -> str:
        self.calls += 1
        task_id = f"t{len(self.polls)}"
        self.polls[task_id] = 0
        return task_id

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        self.calls += 1
        return [self._snapshot(task_id) for task_id in task_ids]

    async def fetch(self, task_id: str) -> TaskSnapshot:
        self.calls += 1
        return self._snapshot(task_id)

    def _snapshot(self, task_id: str) -> TaskSnapshot:
        self.polls[task_id] += 1
        if self.polls[task_id] >= POLLS:
            return TaskSnapshot(task_id, TaskState.SUCCESS, 100, "http://img", (), GRID)
        return TaskSnapshot(task_id, TaskState.RUNNING, 30 * self.polls[task_id])


class QuietNotifier:
    def __init__(self, expected: int) -> None:
        self.delivered = 0
        self.all_done = asyncio.Event()
        self.expected = expected

    async def progress(self, job: Job, trouble: bool = False) -> None:
        pass

    async def deliver(self, job: Job) -> None:
        self.delivered += 1
        if self.delivered == self.expected:
            self.all_done.set()

    async def failed(self, job: Job, reason: str | None = None) -> None:
        raise AssertionError(f"job {job.id} failed: {job.error}")


async def run(jobs: int, directory: Path) -> None:
    """N jobs waiting in the database, as after a restart: resume them all, run them all."""
    db = await Database.open(directory / f"bench-{jobs}.db")
    await db.users.remember(1, None, "Bench", "en")
    await db.chats.remember(1, "private", None)
    for n in range(jobs):
        job = Job(id=0, user_id=1, chat_id=1, action=Action.IMAGINE, prompt=f"p{n}", provider="b")
        await db.jobs.create(job)
    provider = InstantProvider()
    notifier = QuietNotifier(jobs)
    tracker = Tracker(db, provider, notifier, poll_interval=0.05, job_timeout=600)

    tracemalloc.start()
    started = time.perf_counter()
    await tracker.start()
    resumed = time.perf_counter() - started
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await asyncio.wait_for(notifier.all_done.wait(), 600)
    elapsed = time.perf_counter() - started
    await tracker.stop()
    await db.close()

    polls = sum(provider.polls.values())
    fetch_calls = provider.calls - jobs
    print(
        f"{jobs:>6} jobs: resumed in {resumed * 1000:5.0f} ms holding {held / jobs / 1024:4.1f} KiB"
        f" per job; all delivered in {elapsed:5.2f} s, {polls / elapsed:5.0f} polls/s,"
        f" {polls / fetch_calls:4.1f} polls per provider call"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        for jobs in (100, 1000, 5000):
            await run(jobs, Path(directory))


if __name__ == "__main__":
    asyncio.run(main())

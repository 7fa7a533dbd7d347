"""How soon results are posted, and how often the provider is asked, when polls fail.

Runs the real Tracker on an event loop whose clock jumps to the next timer whenever nothing
is ready (virtual time: every figure is in simulated seconds, no compression), with jobs kept
in memory and an in-process provider: JOBS imagine jobs arrive over ARRIVALS seconds, each
task takes 30–60 s and reports its progress in Midjourney-like steps, every request takes
LATENCY seconds and FAILING of the polls fail (seeded). Prints, for a provider without batch
query and one with batches of 20, at two poll intervals: the delay from a task's end to its
result being posted (p50, p95, max), the provider requests per job, per second of job time
and per tick (poll interval) in which any went out. Run: python bench/polling.py
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.domain import Action, Button, Job, JobStatus
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import TaskSnapshot, TaskState
from bot.tracker import Tracker

JOBS = 200
ARRIVALS = 120.0  # seconds over which the jobs arrive
SHORTEST, LONGEST = 30.0, 60.0  # seconds a task takes
STEP = 15  # progress is reported in steps of this many percent
LATENCY = 0.02  # seconds every provider request takes
FAILING = 0.3  # share of the polls that fail
SEED = 7
GRID = (Button(Action.UPSCALE, "u1", 1, "U1"),)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """Time stands still while there is work, and jumps to the next timer when there is
    none. Everything here runs on this loop: no thread, no real I/O."""

    def __init__(self) -> None:
        super().__init__()
        self._now = 0.0
        select = self._selector.select  # type: ignore[attr-defined]

        def jump(timeout: float | None) -> list[Any]:
            events = select(0)
            if not events:
                if timeout is None:
                    raise RuntimeError("nothing left to wait for")
                self._now += timeout
            return events

        self._selector.select = jump  # type: ignore[attr-defined]

    def time(self) -> float:
        return self._now


class MemoryJobs:
    """What the tracker needs of the job store, in memory."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.rows: dict[int, Job] = {}

    async def create(self, job: Job) -> Job:
        job.id = len(self.rows) + 1
        job.created_at = job.updated_at = self.clock()
        self.rows[job.id] = job
        return job

    async def get(self, job_id: int) -> Job | None:
        return self.rows.get(job_id)

    async def update(self, job: Job, **changes: Any) -> Job:
        for name, value in changes.items():
            setattr(job, name, value)
        job.updated_at = self.clock()
        return job

    async def unfinished(self) -> list[Job]:
        return [job for job in self.rows.values() if not job.status.is_final]


class MemoryDatabase:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.jobs = MemoryJobs(clock)


class TimedProvider(Provider):
    """Tasks that end at known times; FAILING of the polls fail."""

    name = "bench"
    default_url = "http://127.0.0.1:9"

    def __init__(self, clock: Callable[[], float], durations: dict[str, float], batch: int):
        super().__init__(self.default_url, "key")
        self.batch_size = batch  # type: ignore[misc]
        self.clock = clock
        self.durations = durations  # prompt → seconds its task takes
        self.rng = random.Random(SEED)
        self.tasks: dict[str, tuple[float, float]] = {}  # task id → (start, end)
        self.polls: list[tuple[float, int]] = []  # when each poll request went out, for how many

    async def imagine(self, prompt: str, **_: object) -> str:
        await asyncio.sleep(LATENCY)
        task_id = f"t{len(self.tasks) + 1}"
        self.tasks[task_id] = (self.clock(), self.clock() + self.durations[prompt])
        return task_id

    async def fetch(self, task_id: str) -> TaskSnapshot:
        return (await self.fetch_many([task_id]))[0]

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        self.polls.append((self.clock(), len(task_ids)))
        await asyncio.sleep(LATENCY)
        if self.rng.random() < FAILING:
            raise ProviderError(ErrorKind.UNAVAILABLE, "HTTP 502: bad gateway")
        return [self._snapshot(task_id) for task_id in task_ids]

    def _snapshot(self, task_id: str) -> TaskSnapshot:
        start, end = self.tasks[task_id]
        now = self.clock()
        if now >= end:
            return TaskSnapshot(task_id, TaskState.SUCCESS, 100, "http://img/x.png", (), GRID)
        progress = int(100 * (now - start) / (end - start)) // STEP * STEP
        return TaskSnapshot(task_id, TaskState.RUNNING, progress)


class TimingNotifier:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.delivered: dict[int, float] = {}  # job id → when its result was posted
        self.all_done = asyncio.Event()

    async def progress(self, job: Job, trouble: bool = False) -> None:
        pass

    async def deliver(self, job: Job) -> None:
        self.delivered[job.id] = self.clock()
        if len(self.delivered) == JOBS:
            self.all_done.set()

    async def failed(self, job: Job, reason: str | None = None) -> None:
        raise AssertionError(f"job {job.id} failed: {job.error}")


async def scenario(poll_interval: float, batch: int) -> None:
    loop = asyncio.get_running_loop()
    clock = loop.time
    plan = random.Random(SEED)
    arrivals = sorted(plan.uniform(0, ARRIVALS) for _ in range(JOBS))
    durations = {f"p{n}": plan.uniform(SHORTEST, LONGEST) for n in range(JOBS)}
    random.seed(SEED)  # the tracker's own jitter
    db = MemoryDatabase(clock)
    provider = TimedProvider(clock, durations, batch)
    notifier = TimingNotifier(clock)
    tracker = Tracker(
        db,  # type: ignore[arg-type]
        provider,
        notifier,
        poll_interval=poll_interval,
        job_timeout=900,
        clock=clock,
    )
    await tracker.start()
    jobs: list[Job] = []
    for n, arrival in enumerate(arrivals):
        await asyncio.sleep(max(0.0, arrival - clock()))
        job = Job(id=0, user_id=1, chat_id=1, action=Action.IMAGINE, prompt=f"p{n}", provider="b")
        jobs.append(await db.jobs.create(job))
        tracker.add(job)
    await notifier.all_done.wait()
    await tracker.stop()
    await provider.aclose()
    assert all(job.status is JobStatus.DELIVERED for job in jobs)

    ends = {task_id: end for task_id, (_, end) in provider.tasks.items()}
    delays = sorted(notifier.delivered[job.id] - ends[job.task_id or ""] for job in jobs)
    job_time = sum(notifier.delivered[job.id] - job.created_at for job in jobs)
    polls = len(provider.polls)
    ticks: Counter[int] = Counter()  # poll interval → requests in it
    tasks: Counter[int] = Counter()  # poll interval → task ids asked for in it
    for when, asked in provider.polls:
        ticks[math.floor(when / poll_interval)] += 1
        tasks[math.floor(when / poll_interval)] += asked
    least = sum(math.ceil(asked / batch) for asked in tasks.values())  # in full batches
    p95 = delays[math.ceil(0.95 * len(delays)) - 1]
    print(
        f"interval {poll_interval:g} s, batch {batch:>2}: posted after the task ended"
        f" p50 {statistics.median(delays):4.1f} s, p95 {p95:4.1f} s, max {delays[-1]:4.1f} s\n"
        f"    poll requests: {polls / JOBS:4.1f} per job, {polls / job_time:4.2f} per second of"
        f" job time, {polls / len(ticks):4.1f} per tick (interval) with any, where full batches"
        f" would take {least / len(ticks):4.1f} (most in one tick: {max(ticks.values())})"
    )


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    print(
        f"{JOBS} jobs over {ARRIVALS:g} s, tasks of {SHORTEST:g}–{LONGEST:g} s, progress in"
        f" steps of {STEP} %, {FAILING:.0%} of polls failing, {LATENCY * 1000:g} ms per request"
    )
    for poll_interval in (5.0, 1.0):
        for batch in (1, 20):
            loop = VirtualTimeLoop()
            try:
                loop.run_until_complete(scenario(poll_interval, batch))
            finally:
                loop.close()


if __name__ == "__main__":
    main()

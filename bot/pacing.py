"""When to poll a job next: seldom while its task is far from done, every poll interval near
its expected end.

A task is expected to end its action's typical duration after the provider took it; once the
provider reports progress p after e seconds, e × 100 / (p + STEP / 2) seconds after it
(Midjourney's progress comes in steps of about STEP %: a reported p is read as the middle of
its step). Only the first report of each p counts: the same p seen again later says nothing
new, and would push the expected end later with every poll. The next poll comes after half the
time still expected, no sooner than the poll interval and no later than the cap,
min(MAX_SPACING, SPARSE × poll interval), so that with the tiny intervals of the tests a job
is still polled every few intervals; and no later than the job's deadline. A task that runs
late is polled every interval.

A failed poll does not push its job back: it goes again at its normal cadence, and near the
end, where that is the poll interval, after RETRY seconds, so that a result it missed waits
half a second, not an interval. The provider's errors are paced by its circuit breaker
(outage.py), not here.

With a batch provider the polls go on the ticks of a grid of poll intervals, so that every
job due at a tick rides in the same requests.

A job whose provider calls back (webhook mode) learns of its end from the callback; its polls
only catch a callback that was lost. The first comes when half as long again as expected has
passed, the next every `safety` seconds (HOOKED poll intervals, at most MAX_HOOKED), never more
than HOOKED_CAP safety intervals apart, so that a lost callback delays a result, never loses it.
"""

from __future__ import annotations

import math

from bot.domain import Action, Job

USUAL = 45.0  # seconds an imagine, variation, reroll, vary, zoom or pan takes in fast mode
TYPICAL = {
    Action.UPSCALE: 10.0,
    Action.UPSCALE_SUBTLE: 30.0,
    Action.UPSCALE_CREATIVE: 30.0,
    Action.REDO_UPSCALE_SUBTLE: 30.0,
    Action.REDO_UPSCALE_CREATIVE: 30.0,
}
SPEED = {"turbo": 0.5, "fast": 1.0, "relax": 2.0}  # how much longer than fast a mode takes
MAX_SPACING = 15.0
SPARSE = 3  # early polls are at most this many poll intervals apart
RETRY = 0.5
STEP = 15  # % of Midjourney's progress steps
HOOKED_FIRST = 1.5  # with callbacks, the first poll after this many times the expected run
HOOKED = 10
MAX_HOOKED = 30.0
HOOKED_CAP = 4


class Pacer:
    def __init__(self, poll_interval: float, *, mode: str = "fast", grid: bool = False) -> None:
        self.poll_interval = poll_interval
        self.speed = SPEED.get(mode, 1.0)
        self.grid = grid
        self.cap = max(poll_interval, min(MAX_SPACING, SPARSE * poll_interval))
        self.safety = max(poll_interval, min(MAX_HOOKED, HOOKED * poll_interval))
        self._starts: dict[int, float] = {}  # job id → when the provider took its task
        self._ends: dict[int, float] = {}  # job id → when its task should end, by its progress
        self._seen: dict[int, int] = {}  # job id → the progress the estimate comes from

    def started(self, job_id: int, now: float) -> None:
        self._starts[job_id] = now

    def observe(self, job: Job, progress: int, now: float) -> None:
        """A poll found the task at `progress` %: expect its end at the pace so far."""
        if 0 < progress < 100 and self._seen.get(job.id) != progress:
            self._seen[job.id] = progress
            start = self._start(job)
            share = min(progress + STEP / 2, 99) / 100
            self._ends[job.id] = start + (now - start) / share

    def delay(
        self, job: Job, now: float, deadline: float, *, failed: bool = False, hooked: bool = False
    ) -> float:
        """Seconds until the job's next poll; `failed`: the last one got no answer;
        `hooked`: the provider calls back about the job."""
        end = self._ends.get(job.id)
        if end is None:
            end = self._start(job) + TYPICAL.get(job.action, USUAL) * self.speed
        last = max(deadline - now, self.poll_interval)
        if hooked:
            first = self._start(job) + (end - self._start(job)) * HOOKED_FIRST
            return min(max(first - now, self.safety), HOOKED_CAP * self.safety, last)
        spacing = min(max((end - now) / 2, self.poll_interval), self.cap, last)
        if failed and spacing <= self.poll_interval:
            return min(RETRY, spacing)
        if self.grid:
            tick = math.floor((now + spacing) / self.poll_interval) * self.poll_interval
            if tick > now:
                return tick - now
        return spacing

    def forget(self, job_id: int) -> None:
        self._starts.pop(job_id, None)
        self._ends.pop(job_id, None)
        self._seen.pop(job_id, None)

    def _start(self, job: Job) -> float:
        """Resumed jobs count from their creation: the submit followed it closely."""
        return self._starts.get(job.id, job.created_at)

"""When each job's next step is due: a heap with one valid entry per job.

Jobs held back while the provider takes no calls keep their place (when they first came
due): released, they are due at it again, so that they go first and in their order.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable


class DueQueue:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._due: dict[int, float] = {}  # job id → the time of its one valid heap entry
        self._held: dict[int, float] = {}  # job id → its place, while held back

    def put(self, job_id: int, when: float) -> None:
        """The job's next step is at `when`; an earlier entry for it no longer counts, and
        neither does a hold."""
        self._held.pop(job_id, None)
        self._push(job_id, when)

    def __contains__(self, job_id: int) -> bool:
        """Whether the job waits for a step (due or held), i.e. none is under way."""
        return job_id in self._due

    def discard(self, job_id: int) -> None:
        self._due.pop(job_id, None)
        self._held.pop(job_id, None)

    def hold(self, job_id: int, place: float, until: float) -> None:
        """The job came due at `place` but waits until `until`, or until released. Held
        again, it keeps its first place."""
        place = self._held.get(job_id, place)
        self._push(job_id, until)
        self._held[job_id] = place

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def release(self) -> None:
        """Every held job still waiting is due again at its place."""
        for job_id, place in self._held.items():
            if job_id in self._due:  # not taken out since
                self._push(job_id, place)
        self._held.clear()

    def next_time(self) -> float | None:
        """When the next entry is due (possibly one that no longer counts: a wake too many)."""
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float, horizon: float, joins: Callable[[int], bool]) -> list[int]:
        """The jobs due by `now`. When one of them `joins` (a poll), the others that join
        and are due by `horizon` come along, so that batches fill instead of trickling."""
        due = [job_id for _, job_id in self._pop_until(now)]
        if any(joins(job_id) for job_id in due):
            for when, job_id in self._pop_until(horizon):
                if joins(job_id):
                    due.append(job_id)
                else:
                    self._push(job_id, when)
        return due

    def _pop_until(self, horizon: float) -> list[tuple[float, int]]:
        """Takes out every job due by `horizon`, in order, with its time."""
        taken = []
        while self._heap and self._heap[0][0] <= horizon:
            when, job_id = heapq.heappop(self._heap)
            if self._due.get(job_id) != when:
                continue  # finished, or rescheduled since
            del self._due[job_id]
            taken.append((when, job_id))
        return taken

    def _push(self, job_id: int, when: float) -> None:
        self._due[job_id] = when
        heapq.heappush(self._heap, (when, job_id))

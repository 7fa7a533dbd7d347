"""What providers' callbacks said about jobs, kept until each job's next turn in the tracker.

A callback may come before the submit's answer is stored, so its task id is checked when the
job's task id is known: at once if it is, else when the hint is taken. A final word is not
undone by a progress report that arrives after it.
"""

from __future__ import annotations

import logging

from bot.domain import Job
from bot.providers.tasks import TaskSnapshot

log = logging.getLogger(__name__)


class Hints:
    def __init__(self) -> None:
        self._waiting: dict[int, TaskSnapshot] = {}  # job id → the latest word that counts

    def __contains__(self, job_id: int) -> bool:
        return job_id in self._waiting

    def offer(self, job: Job, snapshot: TaskSnapshot) -> bool:
        """Keep `snapshot` for `job`; False when it is about another task than the job's."""
        if job.task_id is not None and snapshot.task_id != job.task_id:
            return False
        kept = self._waiting.get(job.id)
        if kept is None or snapshot.state.is_final or not kept.state.is_final:
            self._waiting[job.id] = snapshot
        return True

    def take(self, job: Job) -> TaskSnapshot | None:
        hint = self._waiting.pop(job.id, None)
        if hint is not None and hint.task_id != job.task_id:
            log.warning("job %d: a callback about task %s ignored", job.id, hint.task_id)
            return None
        return hint

    def forget(self, job_id: int) -> None:
        self._waiting.pop(job_id, None)

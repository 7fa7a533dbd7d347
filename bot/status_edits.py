"""Keeping the status message of each waiting job current: its progress, and, once the
provider's outage has been noticed, that the provider is not answering.

Each edit runs as a step of its own, so that a poll never waits for Telegram; an edit still
under way makes the next one unnecessary (the next change shows the news).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Protocol

from bot.domain import Job

log = logging.getLogger(__name__)


class Progress(Protocol):
    async def progress(self, job: Job, trouble: bool = False) -> None: ...


class StatusEdits:
    def __init__(
        self, notifier: Progress, spawn: Callable[[Coroutine[Any, Any, None]], None]
    ) -> None:
        self.notifier = notifier
        self.spawn = spawn
        self._editing: set[int] = set()  # jobs with an edit under way
        self._troubled: set[int] = set()  # jobs whose status shows the outage

    def progress(self, job: Job, changed: bool) -> None:
        """After a provider's answer: show the progress if it changed, or if the status
        still tells of an outage that is over."""
        if changed or job.id in self._troubled:
            self._troubled.discard(job.id)
            self._edit(job)

    def trouble(self, job: Job) -> None:
        """The provider is not answering (and it has been noticed): say so, once."""
        if job.id not in self._troubled:
            self._troubled.add(job.id)
            self._edit(job, trouble=True)

    def outage(self, jobs: Iterable[Job]) -> None:
        for job in jobs:
            self.trouble(job)

    def forget(self, job_id: int) -> None:
        self._troubled.discard(job_id)

    def _edit(self, job: Job, trouble: bool = False) -> None:
        if job.id in self._editing:
            return
        self._editing.add(job.id)

        async def edit() -> None:
            try:
                await self.notifier.progress(job, trouble)
            except Exception:
                log.exception("job %d: status message not updated", job.id)
            finally:
                self._editing.discard(job.id)

        self.spawn(edit())

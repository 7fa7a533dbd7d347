"""Whether the provider is answering, as the tracker sees it from its calls.

The operator log gets one WARNING when calls start failing in a row and one INFO when the
provider answers again; the tracker asks `take_notice()` when to tell the people waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

WARN_AFTER = 3  # failed calls in a row before the operator is warned


class ProviderHealth:
    def __init__(self, name: str, *, notice_after: float, clock: Callable[[], float]) -> None:
        self.name = name
        self.notice_after = notice_after
        self.clock = clock
        self.failing_since: float | None = None
        self.failures = 0  # failed calls in a row
        self.noticed = False  # the people waiting have been told

    def failed(self, error: Exception) -> None:
        """A call that got no usable answer (connection refused, 5xx, timeout, 429)."""
        if self.failing_since is None:
            self.failing_since = self.clock()
        self.failures += 1
        if self.failures == WARN_AFTER:
            log.warning(
                "provider %s is failing: %d calls in a row, the last: %s",
                self.name,
                self.failures,
                error,
            )

    def answered(self) -> None:
        """A call the provider answered, whatever it said."""
        if self.failures >= WARN_AFTER and self.failing_since is not None:
            log.info(
                "provider %s answers again after %.0f s and %d failed calls",
                self.name,
                self.clock() - self.failing_since,
                self.failures,
            )
        self.failing_since = None
        self.failures = 0
        self.noticed = False

    def notice_at(self) -> float | None:
        """When the people waiting should hear of the outage; None if not due."""
        if self.failing_since is None or self.noticed:
            return None
        return self.failing_since + self.notice_after

    def take_notice(self) -> bool:
        """True once per outage, when it has lasted `notice_after` seconds."""
        due = self.notice_at()
        if due is None or self.clock() < due:
            return False
        self.noticed = True
        return True

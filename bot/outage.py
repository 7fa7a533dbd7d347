"""Whether the provider is answering, as the tracker sees it from its calls.

The operator log gets one WARNING when calls start failing in a row and one INFO when the
provider answers again; the tracker asks `take_notice()` when to tell the people waiting.

The same count is a circuit breaker, so that a provider's errors slow down the calls to that
provider, not each job on its own: after OPEN_AFTER failed calls in a row it opens and no
call goes for a cool-down (`cool_down` seconds, doubled per opening in a row up to
MAX_COOL_DOWN, jittered); then one call may go as a probe (half-open). An answer closes it, a
failed probe opens it again. A probe that never ends (it broke) lets another one go after
another cool-down.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

log = logging.getLogger(__name__)

WARN_AFTER = 3  # failed calls in a row before the operator is warned
OPEN_AFTER = 5  # failed calls in a row before the breaker opens
COOL_DOWN = 1.0  # seconds the breaker stays open the first time
MAX_COOL_DOWN = 30.0
JITTER = 0.2  # cool-downs vary by this share either way


class ProviderHealth:
    def __init__(
        self,
        name: str,
        *,
        notice_after: float,
        clock: Callable[[], float],
        cool_down: float = COOL_DOWN,
    ) -> None:
        self.name = name
        self.notice_after = notice_after
        self.clock = clock
        self.cool_down = cool_down
        self.failing_since: float | None = None
        self.failures = 0  # failed calls in a row
        self.noticed = False  # the people waiting have been told
        self.openings = 0  # times the breaker opened in a row
        self.reopens_at = 0.0  # while open: when the next probe may go
        self._probing = False  # a probe went out since the breaker last opened

    @property
    def closed(self) -> bool:
        return self.failures < OPEN_AFTER

    def admit(self) -> bool:
        """Whether a call may go now. Once the cool-down is over this call is the probe,
        and the next one waits for its answer or another cool-down."""
        if self.closed:
            return True
        if self.clock() < self.reopens_at:
            return False
        self._probing = True
        self.reopens_at = self.clock() + self._cool_down()
        return True

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
        # Calls that were under way when it opened fail too: only a probe opens it again.
        if self.failures == OPEN_AFTER or (self._probing and self.failures > OPEN_AFTER):
            self.openings += 1
            self._probing = False
            self.reopens_at = self.clock() + self._cool_down()

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
        self.openings = 0
        self._probing = False

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

    def _cool_down(self) -> float:
        seconds = min(self.cool_down * 2 ** max(0, self.openings - 1), MAX_COOL_DOWN)
        return seconds * random.uniform(1 - JITTER, 1 + JITTER)

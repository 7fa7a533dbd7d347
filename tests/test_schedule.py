"""When steps are due: the queue (one valid entry per job, polls batched within a horizon,
jobs held in their places) and the pacing of each job's polls."""

import pytest

from bot.domain import Action, Job
from bot.pacing import HOOKED_CAP, MAX_HOOKED, MAX_SPACING, RETRY, SPARSE, Pacer
from bot.schedule import DueQueue


def test_a_rescheduled_job_is_due_once_at_its_latest_time() -> None:
    queue = DueQueue()
    queue.put(1, 5.0)
    queue.put(1, 9.0)  # rescheduled: the entry at 5 no longer counts
    queue.put(2, 5.0)
    queue.put(2, 5.0)  # the same time twice is still one step
    assert queue.pop_due(6.0, 6.0, lambda _: False) == [2]
    assert queue.pop_due(10.0, 10.0, lambda _: False) == [1]
    assert queue.pop_due(99.0, 99.0, lambda _: False) == []


def test_polls_due_soon_join_a_due_poll_and_others_wait() -> None:
    queue = DueQueue()
    polls = {1, 2, 3}
    for job_id, when in ((1, 1.0), (2, 1.4), (3, 3.0), (4, 1.2)):
        queue.put(job_id, when)
    assert queue.pop_due(1.0, 1.5, polls.__contains__) == [1, 2]
    assert queue.pop_due(1.2, 1.7, polls.__contains__) == [4]  # not a poll: on time only
    queue.discard(3)
    assert queue.pop_due(5.0, 5.0, polls.__contains__) == []


def test_held_jobs_keep_their_place_and_go_first_when_released() -> None:
    queue = DueQueue()
    queue.hold(1, 1.0, until=10.0)
    queue.hold(2, 2.0, until=10.0)
    queue.put(3, 3.0)
    assert queue.pop_due(5.0, 5.0, lambda _: False) == [3]
    assert queue.pop_due(10.0, 10.0, lambda _: False) == [1, 2]
    queue.hold(2, 10.0, until=20.0)  # held again: still second in line
    queue.hold(1, 10.0, until=20.0)
    queue.put(4, 5.0)
    queue.hold(5, 4.0, until=12.0)
    assert queue.pop_due(12.0, 12.0, lambda _: False) == [4, 5]  # 5 goes (under way)
    queue.hold(6, 1.0, until=30.0)
    queue.put(6, 50.0)  # scheduled anew: no longer held
    assert queue.holding
    queue.release()
    assert not queue.holding
    assert queue.pop_due(13.0, 13.0, lambda _: False) == [1, 2]
    assert queue.pop_due(49.0, 49.0, lambda _: False) == []


# --- poll pacing -------------------------------------------------------------------------


def job(action: Action = Action.IMAGINE) -> Job:
    return Job(id=1, user_id=1, chat_id=1, action=action, prompt="p", provider="x")


def test_a_task_is_polled_sparsely_early_and_every_interval_near_its_end() -> None:
    pace = Pacer(5.0)
    imagine, upscale = job(), job(Action.UPSCALE)
    assert pace.delay(imagine, 0.0, 900.0) == MAX_SPACING  # 45 s to go
    assert pace.delay(upscale, 0.0, 900.0) == 5.0  # 10 s to go: half is one interval
    assert pace.delay(imagine, 30.0, 900.0) == 7.5
    assert pace.delay(imagine, 44.0, 900.0) == 5.0
    assert pace.delay(imagine, 80.0, 900.0) == 5.0  # late: every interval


def test_progress_tells_when_the_task_ends() -> None:
    pace = Pacer(5.0)
    task = job()
    pace.started(task.id, 10.0)
    pace.observe(task, 25, 40.0)  # after 30 s; read as 25 + STEP / 2 = 32.5 %
    end = 10.0 + 30.0 / 0.325
    assert pace.delay(task, 40.0, 900.0) == MAX_SPACING
    assert pace.delay(task, 80.0, 900.0) == pytest.approx((end - 80.0) / 2)
    pace.observe(task, 0, 95.0)  # no news: the estimate stands
    assert pace.delay(task, 95.0, 900.0) == 5.0


def test_the_same_progress_seen_again_does_not_move_the_expected_end() -> None:
    pace = Pacer(1.0)
    task = job()
    pace.started(task.id, 0.0)
    pace.observe(task, 75, 47.0)  # first seen at 47 s: the end is expected at 57 s
    pace.observe(task, 75, 55.0)  # still 75 % at 55 s: nothing new
    assert pace.delay(task, 55.0, 900.0) == 1.0  # near the end: every interval


def test_slower_modes_are_polled_later() -> None:
    fast, relax = Pacer(5.0), Pacer(5.0, mode="relax")
    assert fast.delay(job(), 40.0, 900.0) < relax.delay(job(), 40.0, 900.0)


def test_early_spacing_is_a_few_intervals_when_intervals_are_short() -> None:
    assert Pacer(0.05).delay(job(), 0.0, 900.0) == pytest.approx(SPARSE * 0.05)


def test_a_failed_poll_is_tried_again_soon_only_near_the_end() -> None:
    pace = Pacer(5.0)
    assert pace.delay(job(), 0.0, 900.0, failed=True) == MAX_SPACING
    assert pace.delay(job(), 44.0, 900.0, failed=True) == RETRY


def test_no_poll_is_planned_past_the_deadline() -> None:
    pace = Pacer(5.0)
    assert pace.delay(job(), 0.0, 8.0) == 8.0
    assert pace.delay(job(), 0.0, 2.0) == 5.0  # but never sooner than an interval


def test_batch_polls_fall_on_the_ticks() -> None:
    pace = Pacer(5.0, grid=True)
    assert pace.delay(job(), 1.5, 900.0) == pytest.approx(13.5)  # at 15, not 16.5
    assert pace.delay(job(), 40.25, 900.0) == pytest.approx(4.75)  # at 45


def test_with_callbacks_a_task_is_polled_only_after_it_should_have_ended() -> None:
    pace = Pacer(5.0)
    imagine, upscale = job(), job(Action.UPSCALE)
    assert pace.delay(imagine, 0.0, 900.0, hooked=True) == pytest.approx(67.5)  # 1.5 × 45 s
    assert pace.delay(upscale, 0.0, 900.0, hooked=True) == MAX_HOOKED  # 15 s: the safety
    assert pace.delay(imagine, 67.5, 900.0, hooked=True) == MAX_HOOKED  # late: every 30 s
    assert pace.delay(imagine, 0.0, 20.0, hooked=True) == 20.0  # not past the deadline


def test_with_callbacks_and_short_intervals_safety_polls_stay_a_few_intervals_apart() -> None:
    pace = Pacer(0.05)
    assert pace.delay(job(), 0.0, 900.0, hooked=True) == pytest.approx(HOOKED_CAP * 0.5)
    assert pace.delay(job(), 100.0, 900.0, hooked=True) == pytest.approx(0.5)

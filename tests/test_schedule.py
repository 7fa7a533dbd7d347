"""The queue of due times: one valid entry per job, polls batched within a horizon."""

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

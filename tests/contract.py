"""Helpers the provider contract tests share."""

from bot.providers.base import Provider
from bot.providers.tasks import TaskSnapshot, TaskState


async def finish(provider: Provider, task_id: str, polls: int = 20) -> TaskSnapshot:
    """Fetch until the task is final or waits for input (the fakes advance once per fetch)."""
    for _ in range(polls):
        snapshot = await provider.fetch(task_id)
        if snapshot.state.is_final or snapshot.state is TaskState.MODAL:
            return snapshot
    raise AssertionError(f"task {task_id} not final after {polls} fetches")

"""A burst of results with Telegram's flood limits enforced.

N people in N private chats each ask for a grid; the fake AGICTO holds every task until all
are running, then lets them all finish. The real Application posts the results through the
fake Bot API, which answers 429 like Telegram to a bot over its limits. Prints how long after
its task finished (the provider's first answer saying so) each result was posted — p50, p95,
and the last result after the last task — the 429s the bot got, and Telegram calls per job by
method. Run: python bench/burst.py [N]
"""

from __future__ import annotations

import asyncio
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import Bot
from tests.fakes.agicto import FakeAgicto
from tests.fakes.provider_base import FakeTask
from tests.fakes.telegram import TOKEN, FakeTelegram

POLL_INTERVAL = 1.0


class TimedAgicto(FakeAgicto):
    """Remembers when each task was first reported finished."""

    def __init__(self) -> None:
        super().__init__()
        self.finished: dict[str, float] = {}

    def poll(self, task: FakeTask) -> FakeTask:
        task = super().poll(task)
        if task.state == "success":
            self.finished.setdefault(task.id, time.monotonic())
        return task


async def run(jobs: int, directory: Path) -> None:
    telegram, provider = FakeTelegram(), TimedAgicto()
    await telegram.start()
    await provider.start()
    posted: dict[int, float] = {}
    send_photo = telegram._m_sendPhoto

    async def timed_send_photo(params: dict) -> dict:
        message = await send_photo(params)
        posted[message["chat"]["id"]] = time.monotonic()
        return message

    telegram._methods["sendphoto"] = timed_send_photo
    bot = Bot(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram.url,
            "MJ_PROVIDER": "agicto",
            "MJ_API_URL": provider.base_url,
            "MJ_API_KEY": provider.api_key,
            "DATABASE_URL": f"sqlite:///{directory / 'burst.db'}",
            "MJ_POLL_INTERVAL": str(POLL_INTERVAL),
            "MJ_HTTP_TIMEOUT": "10",
        }
    )
    await bot.start()
    telegram.enforce_limits()
    provider.hold = True
    users = range(10_000, 10_000 + jobs)
    for user_id in users:
        telegram.send_text(
            telegram.private_chat(user_id), telegram.user(user_id), f"/imagine {user_id}"
        )
    await telegram.wait_for(
        lambda: sum(t.state == "running" for t in provider.tasks.values()) == jobs, timeout=120
    )
    before = len(telegram.calls)
    provider.release()
    await telegram.wait_for(lambda: len(posted) == jobs, timeout=300)
    await telegram.wait_for(  # the clean-up, last in line
        lambda: all(m["deleted"] or "photo" in m for u in users for m in telegram.bot_messages(u)),
        timeout=300,
    )
    task_of_chat = {int(task.prompt): task.id for task in provider.tasks.values()}
    delays = sorted(posted[chat] - provider.finished[task_of_chat[chat]] for chat in users)
    last = max(posted.values()) - max(provider.finished.values())
    methods = collections.Counter(name for name, _ in telegram.calls if name != "getUpdates")
    after_release = collections.Counter(
        name for name, _ in telegram.calls[before:] if name != "getUpdates"
    )
    await bot.stop()
    await provider.stop()
    await telegram.stop()
    p95 = delays[int(0.95 * (len(delays) - 1))]
    print(
        f"{jobs} results: delay after the task finished p50 {statistics.median(delays):.2f} s,"
        f" p95 {p95:.2f} s; last result {last:.2f} s after the last task"
        f" (Telegram's limit allows {jobs / 30:.1f} s); 429s: {len(telegram.flooded)}"
    )
    per_job = ", ".join(f"{name} {count / jobs:.2f}" for name, count in sorted(methods.items()))
    print(f"Telegram calls per job: {per_job}")
    burst = ", ".join(f"{name} {count}" for name, count in sorted(after_release.items()))
    print(f"calls after the release: {burst}")


async def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as directory:
        await run(jobs, Path(directory))


if __name__ == "__main__":
    asyncio.run(main())

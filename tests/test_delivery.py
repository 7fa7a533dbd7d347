"""The progress bar, and how often a status message is edited."""

from pathlib import Path

from bot.delivery import Courier, progress_bar
from bot.domain import Action, Job, JobStatus
from bot.i18n import Translator, locales_dir
from bot.store import Database


def test_progress_bar() -> None:
    assert progress_bar(0) == "▱" * 10
    assert progress_bar(45) == "▰" * 4 + "▱" * 6
    assert progress_bar(100) == "▰" * 10


class RecordingBot:
    def __init__(self) -> None:
        self.edits: list[str] = []

    async def edit_message_text(
        self, text: str, chat_id: int, message_id: int, **_: object
    ) -> None:
        self.edits.append(text)


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_status_edits_are_throttled_and_skip_repeats(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite")
    bot, clock = RecordingBot(), Clock()
    translate = Translator(locales_dir())
    courier = Courier(bot, db, None, translate, edit_interval=3.0, clock=clock)  # type: ignore[arg-type]
    job = Job(
        id=1,
        user_id=1,
        chat_id=1,
        action=Action.IMAGINE,
        prompt="a cat",
        provider="mock",
        status=JobStatus.RUNNING,
        status_message_id=5,
    )
    for progress, now in [(10, 100.0), (20, 101.0), (20, 104.0), (30, 104.5), (30, 108.0)]:
        job.progress, clock.now = progress, now
        await courier.progress(job)
    await db.close()
    # 20% at 101 s comes too soon; 20% at 104 s is shown; 30% waits until 108 s.
    assert [text.splitlines()[-1] for text in bot.edits] == [
        f"{progress_bar(10)} 10%",
        f"{progress_bar(20)} 20%",
        f"{progress_bar(30)} 30%",
    ]

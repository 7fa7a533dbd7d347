"""The SQLite store: migrations, WAL, and jobs that read back as they were written."""

from pathlib import Path

from bot.domain import Action, Button, Job, JobStatus
from bot.migrations import MIGRATIONS
from bot.store import Database


async def test_migrations_run_once_and_wal_is_on(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.db"
    db = await Database.open(path)
    await db.close()
    db = await Database.open(path)  # a second start finds the schema up to date
    (version,) = await (await db.connection.execute("PRAGMA user_version")).fetchone()
    (mode,) = await (await db.connection.execute("PRAGMA journal_mode")).fetchone()
    await db.close()
    assert version == len(MIGRATIONS)
    assert mode == "wal"


async def test_job_round_trip_and_open_jobs(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    await db.users.remember(7, "ann", "Ann", "en")
    await db.chats.remember(-5, "group", "Artists")
    job = await db.jobs.create(
        Job(id=0, user_id=7, chat_id=-5, action=Action.IMAGINE, prompt="a cat", provider="mock")
    )
    buttons = [Button(Action.UPSCALE, "MJ::JOB::upsample::1::" + "f" * 36, 1, "U1")]
    await db.jobs.update(
        job,
        status=JobStatus.SUCCEEDED,
        task_id="42",
        image_urls=["http://a/1.png"],
        buttons=buttons,
    )
    child = await db.jobs.create(
        Job(
            id=0,
            user_id=7,
            chat_id=-5,
            action=Action.UPSCALE,
            index=1,
            prompt="a cat",
            provider="mock",
            parent_id=job.id,
            button_index=0,
        )
    )
    stored = await db.jobs.get(job.id)
    assert stored == job
    assert [j.id for j in await db.jobs.unfinished()] == [job.id, child.id]
    assert [j.id for j in await db.jobs.children(job.id, 0)] == [child.id]
    await db.jobs.update(job, status=JobStatus.DELIVERED)
    assert [j.id for j in await db.jobs.unfinished()] == [child.id]
    assert await db.users.first_name(7) == "Ann"
    assert await db.chats.everyone_may_press(-5) is False
    await db.close()

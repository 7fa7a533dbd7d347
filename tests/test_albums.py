"""Albums gathered from their parts: once per album, after the quiet period, across a
restart, and never twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.albums import AlbumPart, Albums
from bot.store import Database


def part(message_id: int, group: str = "g1", caption: str | None = None) -> AlbumPart:
    return AlbumPart(
        chat_id=5,
        message_id=message_id,
        media_group_id=group,
        user_id=9,
        file_id=f"file-{message_id}",
        private=True,
        locale="en",
        caption=caption,
        prompt=caption,
    )


class Recorder:
    """The hand-on: records each album; `called` is set once `expected` albums came."""

    def __init__(self, expected: int = 1, fail: bool = False) -> None:
        self.albums: list[list[int]] = []
        self.expected = expected
        self.fail = fail
        self.called = asyncio.Event()

    async def __call__(self, parts: list[AlbumPart]) -> None:
        self.albums.append([p.message_id for p in parts])
        if len(self.albums) >= self.expected:
            self.called.set()
        if self.fail:
            raise RuntimeError("the hand-on broke")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "albums.db")
    yield database
    await database.close()


async def test_an_album_is_handed_on_once_with_all_its_parts_in_order(db: Database) -> None:
    recorder = Recorder(expected=2)
    albums = Albums(db.albums, recorder, quiet=0.05)
    await albums.add(part(12))
    await albums.add(part(11, caption="a cat"))
    await albums.add(part(13))
    await albums.add(part(20, group="g2"))
    await asyncio.wait_for(recorder.called.wait(), 5)
    await albums.stop()
    assert sorted(recorder.albums) == [[11, 12, 13], [20]]
    assert await db.albums.groups() == []


async def test_an_album_cut_by_a_restart_is_taken_at_start(db: Database) -> None:
    before = Recorder()
    albums = Albums(db.albums, before, quiet=3600)  # stopped long before its quiet period ends
    await albums.add(part(1, caption="a dog"))
    await albums.add(part(2))
    await albums.stop()
    assert before.albums == []

    after = Recorder()
    resumed = Albums(db.albums, after, quiet=0.05)
    await resumed.resume()
    await asyncio.wait_for(after.called.wait(), 5)
    await resumed.stop()
    assert after.albums == [[1, 2]]


async def test_an_album_whose_hand_on_broke_is_kept_for_the_next_start(db: Database) -> None:
    broken = Recorder(fail=True)
    albums = Albums(db.albums, broken, quiet=0.01)
    await albums.add(part(7, caption="a bird"))
    await asyncio.wait_for(broken.called.wait(), 5)
    await albums.stop()
    assert await db.albums.groups() == [(5, "g1")]

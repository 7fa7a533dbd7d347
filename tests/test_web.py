"""The bot's HTTP server in this process: the Telegram route, media for providers, health."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from telegram.ext import Application
from yarl import URL

from bot.domain import Action, Job, JobStatus
from bot.media import TTL, Media, NoPublicUrl
from bot.store import Database, UpdateStore
from bot.web import SECRET_HEADER, WebServer
from tests.fakes.telegram import TOKEN

SECRET = "the-webhook-secret_42"
PNG = b"\x89PNG\r\n\x1a\n fake png"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class Served:
    server: WebServer
    telegram: Application
    db: Database
    media: Media
    clock: Clock
    url: str
    session: aiohttp.ClientSession


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    db = await Database.open(tmp_path / "bot.db")
    clock = Clock()
    media = Media(tmp_path / "media", None, clock=clock)
    telegram = Application.builder().token(TOKEN).updater(None).build()
    server = WebServer(telegram, db, media, SECRET)
    await server.start(0, "127.0.0.1")
    url = f"http://127.0.0.1:{server.port}"
    media.public_url = url
    async with aiohttp.ClientSession() as session:
        yield Served(server, telegram, db, media, clock, url, session)
    await server.stop()
    await db.close()


def update(update_id: int, text: str = "/help") -> dict:
    chat = {"id": 7, "type": "private", "first_name": "Ann"}
    user = {"id": 7, "is_bot": False, "first_name": "Ann"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
    return {"update_id": update_id, "message": message}


async def post(served: Served, body: object, headers: dict[str, str]) -> int:
    async with served.session.post(f"{served.url}/telegram", json=body, headers=headers) as answer:
        return answer.status


def queued(served: Served) -> list[int]:
    queue = served.telegram.update_queue
    return [queue.get_nowait().update_id for _ in range(queue.qsize())]


async def test_updates_without_the_secret_are_refused(served: Served) -> None:
    for headers in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET * 2}):
        assert await post(served, update(1), headers) == 403
    assert queued(served) == []
    # Refused unread: the id is not taken, so the real delivery still counts.
    assert await post(served, update(1), {SECRET_HEADER: SECRET}) == 200
    assert queued(served) == [1]


async def test_each_update_is_taken_once_even_after_a_restart(
    served: Served, tmp_path: Path
) -> None:
    right = {SECRET_HEADER: SECRET}
    for update_id in (5, 6, 5, 6, 7):
        assert await post(served, update(update_id), right) == 200
    assert queued(served) == [5, 6, 7]
    assert await post(served, {"no": "update"}, right) == 400
    assert await post(served, [1, 2], right) == 400

    again = await Database.open(tmp_path / "bot.db")
    try:
        assert not await again.updates.first_time(6)
        assert await again.updates.first_time(8)
    finally:
        await again.close()


async def test_seen_update_ids_are_pruned(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    try:
        assert await db.updates.first_time(1, now=1000.0)
        later = 1000.0 + UpdateStore.KEEP + UpdateStore.PRUNE_EVERY + 1
        assert await db.updates.first_time(2, now=later)
        (count,) = await (
            await db.connection.execute("SELECT COUNT(*) FROM seen_updates")
        ).fetchone()
        assert count == 1
    finally:
        await db.close()


async def test_no_telegram_route_without_a_webhook(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.db")
    telegram = Application.builder().token(TOKEN).updater(None).build()
    server = WebServer(telegram, db, Media(tmp_path / "media", None), None)
    await server.start(0, "127.0.0.1")
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"http://127.0.0.1:{server.port}/telegram", json=update(1)) as answer,
        ):
            assert answer.status == 404
    finally:
        await server.stop()
        await db.close()


@pytest.mark.parametrize(
    ("content_type", "ext"), [("image/png", "png"), ("image/jpeg", "jpg"), ("image/webp", "webp")]
)
async def test_media_is_served_with_its_type(served: Served, content_type: str, ext: str) -> None:
    url = await served.media.publish(PNG, content_type)
    token = url.rsplit("/", 1)[1].removesuffix(f".{ext}")
    assert url == f"{served.url}/media/{token}.{ext}"
    assert len(token) >= 32
    async with served.session.get(url) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == content_type
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert await answer.read() == PNG
    async with served.session.head(url) as answer:
        assert answer.status == 200
    for method in ("POST", "PUT", "DELETE"):
        async with served.session.request(method, url) as answer:
            assert answer.status == 405
    assert url != await served.media.publish(PNG, content_type)


async def test_media_expires_and_is_purged(served: Served) -> None:
    old = await served.media.publish(PNG, "image/png")
    served.clock.now += TTL - 60
    async with served.session.get(old) as answer:
        assert answer.status == 200
    served.clock.now += 120
    async with served.session.get(old) as answer:
        assert answer.status == 404
    assert list(served.media.directory.iterdir()) == []

    # Files nobody asks for again go when the next one is published.
    forgotten = await served.media.publish(PNG, "image/png")
    served.clock.now += TTL + 1
    fresh = await served.media.publish(PNG, "image/jpeg")
    names = [path.name for path in served.media.directory.iterdir()]
    assert names == [fresh.rsplit("/", 1)[1]]
    assert forgotten.rsplit("/", 1)[1] not in names


async def test_nothing_else_on_the_disk_is_reachable(served: Served, tmp_path: Path) -> None:
    url = await served.media.publish(PNG, "image/png")
    token = url.rsplit("/", 1)[1].removesuffix(".png")
    (tmp_path / "secret.png").write_bytes(b"not for providers")
    (served.media.directory / "notes.png.txt").write_bytes(b"no")
    paths = [
        "/media/../bot.db",
        "/media/..%2Fbot.db",
        "/media/..%2Fsecret.png",
        "/media/%2E%2E%2Fsecret.png",
        "/media/.%2E/secret.png",
        "/media/%2Ftmp%2Fsecret.png",
        f"/media/{token}.png%00.txt",
        f"/media/{token}",
        f"/media/{token}.txt",
        f"/media/{token}.jpg",  # the right token with another type
        f"/media/{token}.png/",
        "/media/notes.png.txt",
        "/media/" + "A" * 32 + ".png",
        "/media/",
        "/bot.db",
    ]
    for path in paths:
        async with served.session.get(URL(served.url + path, encoded=True)) as answer:
            assert answer.status == 404, path
            assert await answer.read() != b"not for providers"


async def test_publish_needs_a_public_url(tmp_path: Path) -> None:
    media = Media(tmp_path / "media", None)
    with pytest.raises(NoPublicUrl, match="PUBLIC_URL must be set"):
        await media.publish(PNG, "image/png")
    media.public_url = "https://bot.example.com"
    with pytest.raises(ValueError, match="image/gif"):
        await media.publish(b"GIF89a", "image/gif")
    assert not media.directory.exists()


async def test_health(served: Served) -> None:
    async with served.session.get(f"{served.url}/healthz") as answer:
        assert answer.status == 200
        assert await answer.json() == {
            "status": "ok",
            "database": True,
            "jobs_in_flight": 0,
            "oldest_job_age": None,
        }

    db = served.db
    await db.users.remember(7, "ann", "Ann", "en")
    await db.chats.remember(7, "private", None)
    made = [
        await db.jobs.create(
            Job(id=0, user_id=7, chat_id=7, action=Action.IMAGINE, prompt=p, provider="mock")
        )
        for p in ("one", "two", "three")
    ]
    await db.jobs.update(made[0], status=JobStatus.DELIVERED)
    await db.connection.execute(
        "UPDATE jobs SET created_at = created_at - 90 WHERE id = ?", (made[1].id,)
    )
    await db.connection.commit()
    async with served.session.get(f"{served.url}/healthz") as answer:
        assert answer.status == 200
        body = await answer.json()
    assert body["jobs_in_flight"] == 2
    assert 90 <= body["oldest_job_age"] < 120

    await db.close()
    async with served.session.get(f"{served.url}/healthz") as answer:
        assert answer.status == 503
        assert await answer.json() == {"status": "unavailable", "database": False}

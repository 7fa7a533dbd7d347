"""The flows table (a question asked, photos awaited, a picker) and the region grid's cells."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.flows.region import GRID, cell_box, gridded, mask_png
from bot.flows.store import BLEND, DESCRIBE, EDIT, REGION, TTL
from bot.prompts import PromptError, blend_shape, zoom_prompt
from bot.providers.tasks import split_prompts
from bot.store import Database


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "flows.db")
    yield database
    await database.close()


async def test_a_person_waits_for_photos_in_one_flow_per_chat(db: Database) -> None:
    first = await db.flows.start(DESCRIBE, -5, 7, 100, {"locale": "en"})
    second = await db.flows.start(BLEND, -5, 7, 101, {"photos": []})
    await db.flows.start(BLEND, -6, 7, 102)  # another chat: its own
    waiting = await db.flows.waiting(-5, 7)
    assert waiting is not None and (waiting.id, waiting.kind) == (second.id, BLEND)
    assert await db.flows.get(first.id) is None
    assert await db.flows.waiting(-5, 8) is None  # someone else waits for nothing


async def test_a_question_is_found_by_its_message_and_person_and_answered_once(
    db: Database,
) -> None:
    flow = await db.flows.start(EDIT, -5, 7, -42, {"prompt": "a cat"})
    await db.flows.move(flow.id, 300)
    assert await db.flows.by_message(EDIT, -5, -42, 7) is None
    assert await db.flows.by_message(EDIT, -5, 300, 8) is None
    assert await db.flows.by_message(REGION, -5, 300, 7) is None
    found = await db.flows.by_message(EDIT, -5, 300, 7)
    assert found is not None and found.data == {"prompt": "a cat"}
    assert await db.flows.answer(EDIT, -5, 300, 7) is True
    assert await db.flows.answer(EDIT, -5, 300, 7) is False


async def test_changes_are_kept_and_an_old_flow_is_over(db: Database) -> None:
    clock = Clock()
    db.flows.clock = clock
    flow = await db.flows.start(BLEND, 1, 1, 10, {"photos": []})
    flow.data["photos"].append("AgAC1")
    await db.flows.save(flow)
    kept = await db.flows.get(flow.id)
    assert kept is not None and kept.data["photos"] == ["AgAC1"]
    clock.now += TTL + 1
    assert await db.flows.get(flow.id) is None
    assert await db.flows.waiting(1, 1) is None


async def test_the_lock_serialises_one_key_and_forgets_it_after(db: Database) -> None:
    order: list[str] = []

    async def hold(name: str, key: object) -> None:
        async with db.flows.lock(key):
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(hold("a", 1), hold("b", 1), hold("c", (5, 7)))
    assert order.index("a out") < order.index("b in")
    assert db.flows._locks == {}


def test_cells_cover_the_image_exactly_once() -> None:
    for size in ((256, 256), (1023, 577), (5, 9)):
        covered = [[0] * size[0] for _ in range(size[1])]
        for cell in range(1, GRID * GRID + 1):
            left, top, right, bottom = cell_box(cell, size)
            for y in range(top, bottom):
                for x in range(left, right):
                    covered[y][x] += 1
        assert all(count == 1 for row in covered for count in row)


def test_the_mask_is_white_over_the_chosen_cells_only() -> None:
    mask = Image.open(io.BytesIO(mask_png((400, 300), [1, 16])))
    assert (mask.mode, mask.size) == ("L", (400, 300))
    assert mask.getpixel((0, 0)) == 255 and mask.getpixel((399, 299)) == 255
    assert mask.getpixel((200, 150)) == 0 and mask.getpixel((99, 75)) == 0


def test_the_gridded_copy_is_a_small_jpeg_and_tells_the_original_size() -> None:
    out = io.BytesIO()
    Image.new("RGB", (2048, 1536), "navy").save(out, "PNG")
    preview, size = gridded(out.getvalue())
    assert size == (2048, 1536)
    with Image.open(io.BytesIO(preview)) as image:
        assert (image.format, image.size) == ("JPEG", (1024, 768))


@pytest.mark.parametrize(
    ("text", "prompts"),
    [
        ("1️⃣ a fox, snow --ar 3:2\n\n2️⃣ a dog\n\n3️⃣ a cat\n\n4️⃣ a bird", 4),
        ("1️⃣ one 2️⃣ two 3️⃣ three 4️⃣ four", 4),
        ("first\n\nsecond\nstill second", 2),
        ("one\ntwo\nthree", 3),
        ("", 0),
    ],
)
def test_a_describe_answer_splits_into_its_prompts(text: str, prompts: int) -> None:
    found = split_prompts(text)
    assert len(found) == prompts
    assert all(part == part.strip() and "️⃣" not in part for part in found)


def test_blend_shapes_and_zoom_prompts() -> None:
    assert [blend_shape(t) for t in ("", "--ar 2:3", "—ar 3:2", "--ar 16:9", "a cat")] == [
        "1:1",
        "2:3",
        "3:2",
        None,
        None,
    ]
    assert zoom_prompt("a house") == "a house --zoom 2"
    assert zoom_prompt("a house --zoom 1.5") == "a house --zoom 1.5"
    with pytest.raises(PromptError):
        zoom_prompt("a house --zoom 3")

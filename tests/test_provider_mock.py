"""The offline mock provider: progress by the clock, Midjourney's buttons, real PNGs."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from bot.domain import Action, Button
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.mock import FAIL_REASON, MockProvider
from bot.providers.mock_pictures import CYRILLIC_END, LATIN_END, drawable
from bot.providers.mock_tasks import EDIT_BUTTONS, GRID_BUTTONS, UPSCALED_BUTTONS, parse_task_id
from bot.providers.tasks import TaskSnapshot, TaskState

DURATION = 10.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_732_180_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def mock(clock: Clock) -> AsyncIterator[MockProvider]:
    provider = MockProvider("mock://", "", duration=DURATION, clock=clock)
    yield provider
    await provider.aclose()


async def finished(mock: MockProvider, clock: Clock, task_id: str) -> TaskSnapshot:
    clock.now += DURATION
    return await mock.fetch(task_id)


async def upscaled(mock: MockProvider, clock: Clock, prompt: str = "a cat") -> str:
    grid = await mock.imagine(prompt)
    await finished(mock, clock, grid)
    return await mock.act(grid, GRID_BUTTONS[1])


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "PNG"
        return image.size


# --- progress -------------------------------------------------------------------------


async def test_queued_then_running_then_success(mock: MockProvider, clock: Clock) -> None:
    task = await mock.imagine("a cat")
    assert await mock.fetch(task) == TaskSnapshot(task, TaskState.QUEUED)
    clock.now += 1.0
    assert (await mock.fetch(task)).state is TaskState.QUEUED
    clock.now += 3.5
    running = await mock.fetch(task)
    assert (running.state, running.progress, running.buttons) == (TaskState.RUNNING, 45, ())
    clock.now += 5.4
    assert (await mock.fetch(task)).progress == 99
    clock.now += 0.1
    done = await mock.fetch(task)
    assert (done.state, done.progress) == (TaskState.SUCCESS, 100)
    assert done.image_url == f"mock://{task}/0.png"
    assert done.image_urls == tuple(f"mock://{task}/{n}.png" for n in (1, 2, 3, 4))


async def test_a_clock_behind_the_task_means_queued(mock: MockProvider, clock: Clock) -> None:
    task = await mock.imagine("a cat")
    clock.now -= 60
    assert (await mock.fetch(task)).state is TaskState.QUEUED


@pytest.mark.parametrize("prompt", ["please fail", "FAIL now", "a cat, fail. --ar 2:3"])
async def test_the_word_fail_fails_the_task(mock: MockProvider, clock: Clock, prompt: str) -> None:
    task = await mock.imagine(prompt)
    clock.now += 5
    assert (await mock.fetch(task)).state is TaskState.RUNNING
    failed = await finished(mock, clock, task)
    assert failed.state is TaskState.FAILURE
    assert (failed.fail_reason, failed.error_kind) == (FAIL_REASON, ErrorKind.FAILED)
    assert (failed.image_url, failed.buttons) == (None, ())


@pytest.mark.parametrize("prompt", ["failure", "it fails", "failing", "nofail", "a cat"])
async def test_fail_must_be_a_whole_word(mock: MockProvider, clock: Clock, prompt: str) -> None:
    task = await mock.imagine(prompt)
    assert (await finished(mock, clock, task)).state is TaskState.SUCCESS


async def test_empty_prompt_is_invalid(mock: MockProvider) -> None:
    with pytest.raises(ProviderError) as raised:
        await mock.imagine("  ")
    assert raised.value.kind is ErrorKind.INVALID


# --- buttons and follow-ups -----------------------------------------------------------


async def test_grid_buttons_are_midjourneys(mock: MockProvider, clock: Clock) -> None:
    done = await finished(mock, clock, await mock.imagine("a cat"))
    assert done.buttons == GRID_BUTTONS
    assert [(b.label, b.action, b.index, b.handle) for b in done.buttons] == [
        ("U1", Action.UPSCALE, 1, "upscale:1"),
        ("U2", Action.UPSCALE, 2, "upscale:2"),
        ("U3", Action.UPSCALE, 3, "upscale:3"),
        ("U4", Action.UPSCALE, 4, "upscale:4"),
        ("🔄", Action.REROLL, 0, "reroll:0"),
        ("V1", Action.VARIATION, 1, "variation:1"),
        ("V2", Action.VARIATION, 2, "variation:2"),
        ("V3", Action.VARIATION, 3, "variation:3"),
        ("V4", Action.VARIATION, 4, "variation:4"),
    ]


async def test_upscale_buttons(mock: MockProvider, clock: Clock) -> None:
    done = await finished(mock, clock, await upscaled(mock, clock))
    assert [(b.action, b.index, b.handle) for b in done.buttons] == [
        (Action.VARY_STRONG, 0, "vary_strong:0"),
        (Action.VARY_SUBTLE, 0, "vary_subtle:0"),
        (Action.VARY_REGION, 0, "vary_region:0"),
        (Action.ZOOM_OUT_2X, 0, "zoom_out_2x:0"),
        (Action.ZOOM_OUT_1_5X, 0, "zoom_out_1_5x:0"),
        (Action.ZOOM_CUSTOM, 0, "zoom_custom:0"),
        (Action.PAN_LEFT, 0, "pan_left:0"),
        (Action.PAN_RIGHT, 0, "pan_right:0"),
        (Action.PAN_UP, 0, "pan_up:0"),
        (Action.PAN_DOWN, 0, "pan_down:0"),
        (Action.UPSCALE_SUBTLE, 0, "upscale_subtle:0"),
        (Action.UPSCALE_CREATIVE, 0, "upscale_creative:0"),
    ]
    assert done.buttons[0].label == "Vary (Strong)"
    assert (done.image_url, done.image_urls) == (f"mock://{done.task_id}/0.png", ())


@pytest.mark.parametrize("button", GRID_BUTTONS, ids=lambda b: b.label)
async def test_act_on_a_grid(mock: MockProvider, clock: Clock, button: Button) -> None:
    grid = await mock.imagine("a cat")
    await finished(mock, clock, grid)
    task_id = await mock.act(grid, button)
    assert task_id.startswith(f"{button.action.value}.{button.index}.{int(clock.now * 1000)}.")
    done = await finished(mock, clock, task_id)
    expected = UPSCALED_BUTTONS if button.action is Action.UPSCALE else GRID_BUTTONS
    assert (done.state, done.buttons) == (TaskState.SUCCESS, expected)


@pytest.mark.parametrize("button", UPSCALED_BUTTONS, ids=lambda b: b.handle)
async def test_act_on_an_upscale(mock: MockProvider, clock: Clock, button: Button) -> None:
    upscale = await upscaled(mock, clock)
    await finished(mock, clock, upscale)
    mask = data_uri(b"\x89PNG", "image/png") if button.action is Action.VARY_REGION else None
    task_id = await mock.act(upscale, button, prompt="a door --zoom 2", mask=mask)
    assert parse_task_id(task_id).kind is button.action
    done = await finished(mock, clock, task_id)
    single = button.action in (Action.UPSCALE_SUBTLE, Action.UPSCALE_CREATIVE)
    assert done.buttons == (EDIT_BUTTONS if single else GRID_BUTTONS)
    assert len(done.image_urls) == (0 if single else 4)


async def test_animate_on_an_upscale_gives_a_looping_gif(mock: MockProvider, clock: Clock) -> None:
    upscale = await upscaled(mock, clock)
    await finished(mock, clock, upscale)
    task_id = await mock.act(upscale, Button(Action.ANIMATE_HIGH, ""), prompt="a cat")
    done = await finished(mock, clock, task_id)
    (video,) = done.video_urls
    data = await mock.download(video)
    assert data.startswith(b"GIF89a") and done.image_url is None
    assert [b.action for b in done.buttons] == [Action.EXTEND_LOW, Action.EXTEND_HIGH]


@pytest.mark.parametrize("action", [Action.VARY_REGION, Action.ZOOM_CUSTOM])
async def test_region_needs_a_mask_and_custom_zoom_a_zoom(
    mock: MockProvider, clock: Clock, action: Action
) -> None:
    upscale = await upscaled(mock, clock)
    await finished(mock, clock, upscale)
    button = next(b for b in UPSCALED_BUTTONS if b.action is action)
    with pytest.raises(ProviderError) as raised:
        await mock.act(upscale, button, prompt="a door")
    assert raised.value.kind is ErrorKind.INVALID


async def test_act_needs_a_finished_parent_that_offers_the_button(
    mock: MockProvider, clock: Clock
) -> None:
    grid = await mock.imagine("a cat")
    failing = await mock.imagine("fail")
    with pytest.raises(ProviderError) as raised:
        await mock.act(grid, GRID_BUTTONS[0])  # not finished yet
    assert raised.value.kind is ErrorKind.INVALID
    await finished(mock, clock, grid)
    for parent, button in [
        (grid, UPSCALED_BUTTONS[0]),  # a grid offers no Vary
        (grid, Button(Action.UPSCALE, "upscale:5", 5)),
        (failing, GRID_BUTTONS[0]),  # failed
        ("imagine.0.1.zz.extra.parts", GRID_BUTTONS[0]),
    ]:
        with pytest.raises(ProviderError) as raised:
            await mock.act(parent, button)
        assert raised.value.kind is ErrorKind.INVALID, (parent, button)
    assert (await mock.act(grid, GRID_BUTTONS[0])).startswith("upscale.1.")


# --- ids and restarts -----------------------------------------------------------------


@pytest.mark.parametrize(
    "task_id",
    [
        "nonsense",
        "",
        "imagine.0.123",
        "imagine.x.123.ab12cd",
        "imagine.0.soon.ab12cd",
        "upscale.5.123.ab12cd",
        "other.0.123.ab12cd",
        "vary_strong.0.123",
        "imagine.0.123.ab12cd.boom",
    ],
)
async def test_unknown_ids_are_invalid(mock: MockProvider, task_id: str) -> None:
    with pytest.raises(ProviderError) as raised:
        await mock.fetch(task_id)
    assert raised.value.kind is ErrorKind.INVALID


def test_the_id_says_what_the_task_is() -> None:
    task = parse_task_id("upscale.2.1732180000000.ab12cd")
    assert (task.kind, task.index, task.created, task.fails) == (
        Action.UPSCALE,
        2,
        1_732_180_000.0,
        False,
    )
    assert parse_task_id("imagine.0.1732180000000.ab12cd.fail").fails


async def test_tasks_survive_a_restart(mock: MockProvider, clock: Clock) -> None:
    grid = await mock.imagine("a cat")
    failing = await mock.imagine("fail")
    clock.now += 5
    before = await mock.fetch(grid)
    restarted = MockProvider("mock://", "", duration=DURATION, clock=clock)
    try:
        assert await restarted.fetch(grid) == before
        clock.now += DURATION
        assert (await restarted.fetch(grid)).buttons == GRID_BUTTONS
        assert (await restarted.fetch(failing)).state is TaskState.FAILURE
        upscale = await restarted.act(grid, GRID_BUTTONS[2])
        assert upscale.startswith("upscale.3.")
        assert png_size(await restarted.download(f"mock://{grid}/0.png")) == (1024, 1024)
    finally:
        await restarted.aclose()


# --- images ---------------------------------------------------------------------------


async def test_grid_and_tile_images(mock: MockProvider, clock: Clock) -> None:
    done = await finished(mock, clock, await mock.imagine("a cat"))
    assert done.image_url is not None
    grid = await mock.download(done.image_url)
    assert png_size(grid) == (1024, 1024)
    tiles = [await mock.download(url) for url in done.image_urls]
    assert [png_size(tile) for tile in tiles] == [(512, 512)] * 4
    assert len(set(tiles)) == 4
    assert await mock.download(done.image_url) == grid  # the same picture every time


async def test_upscale_image(mock: MockProvider, clock: Clock) -> None:
    done = await finished(mock, clock, await upscaled(mock, clock))
    assert done.image_url is not None
    assert png_size(await mock.download(done.image_url)) == (1024, 1024)


async def test_the_prompt_is_drawn_while_it_is_known(mock: MockProvider, clock: Clock) -> None:
    url = f"mock://{await mock.imagine('a lighthouse at dusk')}/0.png"
    restarted = MockProvider(duration=DURATION, clock=clock)
    try:
        assert await mock.download(url) != await restarted.download(url)
    finally:
        await restarted.aclose()


async def test_bad_image_urls(mock: MockProvider, clock: Clock) -> None:
    grid = await mock.imagine("a cat")
    upscale = await upscaled(mock, clock)
    for url in (
        "http://127.0.0.1/x.png",
        f"mock://{grid}/5.png",
        f"mock://{grid}/0.jpg",
        f"mock://{upscale}/1.png",  # an upscale has no tiles
        "mock://imagine.0.zz.ab12cd/0.png",
    ):
        with pytest.raises(ProviderError) as raised:
            await mock.download(url)
        assert raised.value.kind is ErrorKind.INVALID, url


async def test_download_limit(mock: MockProvider) -> None:
    url = f"mock://{await mock.imagine('a cat')}/0.png"
    with pytest.raises(ProviderError) as raised:
        await mock.download(url, limit=1000)
    assert raised.value.kind is ErrorKind.INVALID


async def test_a_ref_is_taken_but_no_task_can_be_found_by_it(
    mock: MockProvider, clock: Clock
) -> None:
    grid = await mock.imagine("a cat", ref="mjbot-1-1733000000")
    await finished(mock, clock, grid)
    assert await mock.act(grid, GRID_BUTTONS[0], ref="mjbot-2-1733000001")
    with pytest.raises(ProviderError) as caught:
        await mock.find_task("mjbot-1-1733000000")
    assert caught.value.kind is ErrorKind.UNSUPPORTED


async def test_pictures_have_the_prompts_shape_and_follow_ups_keep_it(
    mock: MockProvider, clock: Clock
) -> None:
    grid = await mock.imagine("a wide valley --ar 16:9")
    done = await finished(mock, clock, grid)
    assert png_size(await mock.download(done.image_url or "")) == (1024, 576)
    upscale = await finished(mock, clock, await mock.act(grid, GRID_BUTTONS[1]))
    assert png_size(await mock.download(upscale.image_url or "")) == (1024, 576)
    tall = await finished(mock, clock, await mock.imagine("a tower --ar 2:3"))
    assert png_size(await mock.download(tall.image_url or "")) == (682, 1024)  # two tiles


async def test_an_upscale_is_its_tile_drawn_large(mock: MockProvider, clock: Clock) -> None:
    grid = await mock.imagine("a cat")
    await finished(mock, clock, grid)
    upscale = await finished(mock, clock, await mock.act(grid, GRID_BUTTONS[1]))  # U2
    tile = Image.open(io.BytesIO(await mock.download(f"mock://{grid}/2.png"))).convert("RGB")
    large = Image.open(io.BytesIO(await mock.download(upscale.image_url or ""))).convert("RGB")
    # The same gradient: the top right corners (free of numbers and captions) agree.
    corner = tile.getpixel((tile.width - 3, 40))
    assert all(
        abs(a - b) <= 12 for a, b in zip(corner, large.getpixel((large.width - 5, 80)), strict=True)
    )
    other = Image.open(io.BytesIO(await mock.download(f"mock://{grid}/3.png"))).convert("RGB")
    assert other.getpixel((other.width - 3, 40)) != corner


def test_prompts_are_drawn_without_what_the_font_cannot_draw() -> None:
    assert drawable("кот  猫 a cat 🐈", CYRILLIC_END) == "кот a cat"
    assert drawable("кот 猫 a cat", LATIN_END) == "a cat"


async def test_cyrillic_and_cjk_prompts_draw(mock: MockProvider, clock: Clock) -> None:
    for prompt in ("кот в сапогах", "穿靴子的猫", "고양이"):
        done = await finished(mock, clock, await mock.imagine(prompt))
        assert png_size(await mock.download(done.image_url or "")) == (1024, 1024)

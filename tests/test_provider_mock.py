"""The offline mock provider: progress by the clock, Midjourney's buttons, real PNGs."""

import io

import pytest
from PIL import Image

from bot.domain import Action
from bot.providers.base import ErrorKind, ProviderError, TaskState
from bot.providers.mock import GRID_BUTTONS, UPSCALED_BUTTONS, MockProvider


class Clock:
    now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def clock_and_mock():
    clock = Clock()
    provider = MockProvider("mock://", "", duration=10, clock=clock)
    yield clock, provider
    await provider.aclose()


async def test_task_runs_by_the_clock(clock_and_mock) -> None:
    clock, mock = clock_and_mock
    task = await mock.imagine("a cat")
    assert (await mock.fetch(task)).state is TaskState.QUEUED
    clock.now += 4.5
    running = await mock.fetch(task)
    assert (running.state, running.progress) == (TaskState.RUNNING, 45)
    clock.now += 6
    done = await mock.fetch(task)
    assert done.state is TaskState.SUCCESS
    assert done.buttons == GRID_BUTTONS
    assert [b.action for b in done.buttons[:5]] == [Action.UPSCALE] * 4 + [Action.REROLL]
    assert len(done.image_urls) == 4


async def test_follow_ups_and_upscale_buttons(clock_and_mock) -> None:
    clock, mock = clock_and_mock
    grid = await mock.imagine("a cat")
    upscale = await mock.act(grid, GRID_BUTTONS[1])
    assert upscale.startswith("upscale.2.")
    clock.now += 11
    result = await mock.fetch(upscale)
    assert result.buttons == UPSCALED_BUTTONS
    assert result.image_urls == ()
    data = await mock.download(result.image_url)
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1024, 1024))


async def test_fail_word(clock_and_mock) -> None:
    clock, mock = clock_and_mock
    task = await mock.imagine("please FAIL this")
    clock.now += 11
    failed = await mock.fetch(task)
    assert (failed.state, failed.error_kind) == (TaskState.FAILURE, ErrorKind.FAILED)
    unaffected = await mock.imagine("failure is a word")
    clock.now += 11
    assert (await mock.fetch(unaffected)).state is TaskState.SUCCESS


async def test_tasks_survive_a_new_instance(clock_and_mock) -> None:
    clock, mock = clock_and_mock
    task = await mock.imagine("a cat")
    clock.now += 11
    restarted = MockProvider("mock://", "", duration=10, clock=clock)
    assert (await restarted.fetch(task)).state is TaskState.SUCCESS
    assert await restarted.download(f"mock://{task}/3.png")
    await restarted.aclose()


async def test_unknown_ids_and_urls(clock_and_mock) -> None:
    _, mock = clock_and_mock
    with pytest.raises(ProviderError) as raised:
        await mock.fetch("nonsense")
    assert raised.value.kind is ErrorKind.INVALID
    with pytest.raises(ProviderError):
        await mock.download("http://127.0.0.1/x.png")

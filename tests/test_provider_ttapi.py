"""Contract tests of the TTApi adapter against the fake TTApi, plus its parsing on the
documented JSON (providers.md §3.3, 3.4, 3.6, 3.9)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from PIL import Image

from bot.domain import Action, Button
from bot.flows.region import mask_png
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from bot.providers.ttapi import (
    NO_PROMPTS,
    TtapiProvider,
    button_for,
    error_kind,
    job_id_of,
    parse_components,
    parse_task,
)
from tests.contract import finish
from tests.fakes.provider_base import DESCRIBE_PROMPTS, FAIL_WORD, REFUSED_WORD, failing_get
from tests.fakes.ttapi import FakeTtapi
from tests.test_image_prompts import jpeg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

GRID_BUTTONS = [
    (Action.UPSCALE, "upsample1", 1),
    (Action.UPSCALE, "upsample2", 2),
    (Action.UPSCALE, "upsample3", 3),
    (Action.UPSCALE, "upsample4", 4),
    (Action.REROLL, "reroll", 0),
    (Action.VARIATION, "variation1", 1),
    (Action.VARIATION, "variation2", 2),
    (Action.VARIATION, "variation3", 3),
    (Action.VARIATION, "variation4", 4),
]
UPSCALED_BUTTONS = [
    (Action.VARY_STRONG, "high_variation", "vary_strong"),
    (Action.VARY_SUBTLE, "low_variation", "vary_subtle"),
    (Action.ZOOM_OUT_2X, "zoom_out_2", "zoom_out_2x"),
    (Action.ZOOM_OUT_1_5X, "zoom_out_1_5", "zoom_out_1_5x"),
    (Action.PAN_LEFT, "pan_left", "pan_left"),
    (Action.PAN_RIGHT, "pan_right", "pan_right"),
    (Action.PAN_UP, "pan_up", "pan_up"),
    (Action.PAN_DOWN, "pan_down", "pan_down"),
    (Action.UPSCALE_SUBTLE, "upscale_subtle", "upscale_subtle"),
    (Action.UPSCALE_CREATIVE, "upscale_creative", "upscale_creative"),
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTtapi]:
    server = FakeTtapi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def provider(fake: FakeTtapi) -> AsyncIterator[TtapiProvider]:
    adapter = TtapiProvider(fake.base_url, fake.api_key, timeout=1.0)
    yield adapter
    await adapter.aclose()


async def upscaled(provider: TtapiProvider) -> tuple[str, TaskSnapshot]:
    grid_id = await provider.imagine("a cat")
    grid = await finish(provider, grid_id)
    task_id = await provider.act(grid_id, grid.buttons[0])
    return task_id, await finish(provider, task_id)


def triples(snapshot: TaskSnapshot) -> list[tuple[Action, str, int]]:
    return [(b.action, b.handle, b.index) for b in snapshot.buttons]


# --- imagine and the grid -----------------------------------------------------------------


async def test_imagine_runs_to_a_grid_with_the_offered_buttons(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    task_id = await provider.imagine("a cat --ar 1:1")

    assert fake.submits_to("/midjourney/v1/imagine") == [
        {"prompt": "a cat --ar 1:1", "mode": "fast"}
    ]
    running = await provider.fetch(task_id)
    assert running.state is TaskState.RUNNING
    assert 0 < running.progress < 100
    assert running.buttons == ()
    done = await provider.fetch(task_id)
    assert done.state is TaskState.SUCCESS
    assert done.progress == 100
    task = fake.tasks[task_id]
    assert done.image_url == fake.image_url(task)
    assert done.image_urls == tuple(fake.tile_urls(task))
    assert triples(done) == GRID_BUTTONS
    assert [b.label for b in done.buttons] == [handle for _, handle, _ in GRID_BUTTONS]


@pytest.mark.parametrize("mode", ["relax", "turbo"])
async def test_mode_is_sent(fake: FakeTtapi, mode: str) -> None:
    provider = TtapiProvider(fake.base_url, fake.api_key, mode=mode, timeout=1.0)
    try:
        await provider.imagine("a cat")
    finally:
        await provider.aclose()
    assert fake.submits_to("/imagine")[0]["mode"] == mode


async def test_auth_goes_in_the_tt_api_key_header(provider: TtapiProvider) -> None:
    assert provider.http.headers["TT-API-KEY"] == "test-key"
    assert "Authorization" not in provider.http.headers


async def test_legacy_job_id_spelling(fake: FakeTtapi, provider: TtapiProvider) -> None:
    fake.legacy_job_id = True
    task_id = await provider.imagine("a cat")
    assert task_id in fake.tasks
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_legacy_actions_spelling(fake: FakeTtapi, provider: TtapiProvider) -> None:
    fake.legacy_actions = True
    done = await finish(provider, await provider.imagine("a cat"))
    assert triples(done) == GRID_BUTTONS
    assert done.image_url is not None


async def test_cdn_image_is_preferred_and_discord_image_is_the_fallback(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    first = await finish(provider, await provider.imagine("a cat"))
    assert first.image_url is not None and "source=discord" not in first.image_url
    fake.discord_only = True
    second = await finish(provider, await provider.imagine("a dog"))
    assert second.image_url is not None and second.image_url.endswith("?source=discord")
    assert (await provider.download(second.image_url)).startswith(PNG_SIGNATURE)


async def test_held_task_reports_progress_and_finishes_on_release(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    fake.hold = True
    fake.polls_to_finish = 4
    task_id = await provider.imagine("a cat")
    snapshots = [await provider.fetch(task_id) for _ in range(3)]
    assert [s.state for s in snapshots] == [TaskState.RUNNING] * 3
    assert [s.progress for s in snapshots] == [20, 40, 60]
    fake.release()
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_images_download_as_real_pngs(fake: FakeTtapi, provider: TtapiProvider) -> None:
    grid = await finish(provider, await provider.imagine("a cat"))
    assert grid.image_url is not None
    grid_png = await provider.download(grid.image_url)
    tile_png = await provider.download(grid.image_urls[0])
    assert grid_png.startswith(PNG_SIGNATURE) and tile_png.startswith(PNG_SIGNATURE)
    assert Image.open(io.BytesIO(grid_png)).size == (512, 512)
    assert Image.open(io.BytesIO(tile_png)).size == (256, 256)


# --- follow-ups ----------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "handle", "index"), GRID_BUTTONS)
async def test_grid_follow_up(
    fake: FakeTtapi, provider: TtapiProvider, action: Action, handle: str, index: int
) -> None:
    parent_id = await provider.imagine("a cat")
    grid = await finish(provider, parent_id)
    button = next(b for b in grid.buttons if b.handle == handle)

    task_id = await provider.act(parent_id, button)

    assert fake.submits_to("/midjourney/v1/action") == [{"jobId": parent_id, "action": handle}]
    task = fake.tasks[task_id]
    assert (task.kind, task.index, task.parent) == (action.value, index, parent_id)
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    if action is Action.UPSCALE:
        assert done.image_url == fake.image_url(task)
        assert done.image_urls == ()
        assert [(a, h) for a, h, _ in triples(done)] == [
            *((a, h) for a, h, _ in UPSCALED_BUTTONS),
            (Action.VARY_REGION, "inpaint"),
        ]
    else:
        assert triples(done) == GRID_BUTTONS


@pytest.mark.parametrize(("action", "handle", "kind"), UPSCALED_BUTTONS)
async def test_upscaled_follow_up(
    fake: FakeTtapi, provider: TtapiProvider, action: Action, handle: str, kind: str
) -> None:
    parent_id, parent = await upscaled(provider)
    button = next(b for b in parent.buttons if b.handle == handle)
    assert (button.action, button.index) == (action, 0)

    task_id = await provider.act(parent_id, button)

    assert fake.submits_to("/action")[-1] == {"jobId": parent_id, "action": handle}
    assert fake.tasks[task_id].kind == kind
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_unverified_zoom_spelling_is_sent_back_verbatim(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    fake.zoom_x_spelling = True
    parent_id, parent = await upscaled(provider)
    zoom = [b for b in parent.buttons if b.action is Action.ZOOM_OUT_2X]
    assert [b.handle for b in zoom] == ["zoom_out_2x"]

    task_id = await provider.act(parent_id, zoom[0])

    assert fake.submits_to("/action")[-1] == {"jobId": parent_id, "action": "zoom_out_2x"}
    assert fake.tasks[task_id].kind == "zoom_out_2x"


async def test_follow_up_on_unknown_parent_is_invalid(provider: TtapiProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.act("no-such-job", Button(Action.UPSCALE, "upsample1", 1))
    assert caught.value.kind is ErrorKind.INVALID
    assert "job not found" in caught.value.detail


async def test_follow_up_on_unfinished_parent_is_invalid(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    fake.hold = True
    parent_id = await provider.imagine("a cat")
    await provider.fetch(parent_id)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent_id, Button(Action.UPSCALE, "upsample1", 1))
    assert caught.value.kind is ErrorKind.INVALID
    assert fake.submits_to("/action") == []


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("auth", 401, "TT-API-KEY"),
        ("balance", 402, "insufficient quota"),
        ("moderation", 400, "prompt violation"),
        ("invalid", 400, "Parameter error"),
        ("rate_limited", 429, "Too many requests"),
        ("unavailable", 500, "Internal server error"),
    ],
)
async def test_submit_errors(
    fake: FakeTtapi, provider: TtapiProvider, kind: str, status: int, message: str
) -> None:
    fake.submit_errors = [kind]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind(kind)
    assert caught.value.detail.startswith(f"HTTP {status}:")
    assert message in caught.value.detail
    assert caught.value.maybe_done is (kind == "unavailable")
    assert fake.submits == []


async def test_wrong_key_is_auth_and_never_shown(fake: FakeTtapi) -> None:
    provider = TtapiProvider(fake.base_url, "wrong-secret-key", timeout=1.0)
    try:
        with pytest.raises(ProviderError) as submit:
            await provider.imagine("a cat")
        with pytest.raises(ProviderError) as fetch:
            await provider.fetch("x")
    finally:
        await provider.aclose()
    for caught in (submit, fetch):
        assert caught.value.kind is ErrorKind.AUTH
        assert caught.value.detail.startswith("HTTP 401:")
        assert "wrong-secret-key" not in str(caught.value)


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_fetch_faults_are_unavailable(
    fake: FakeTtapi, provider: TtapiProvider, fault: str
) -> None:
    task_id = await provider.imagine("a cat")
    fake.fetch_faults = failing_get(fault)
    with pytest.raises(ProviderError) as caught:
        await provider.fetch(task_id)
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert (await provider.fetch(task_id)).state is TaskState.RUNNING


async def test_fetch_rate_limited(fake: FakeTtapi, provider: TtapiProvider) -> None:
    task_id = await provider.imagine("a cat")
    fake.fetch_faults = ["429"]
    with pytest.raises(ProviderError) as caught:
        await provider.fetch(task_id)
    assert caught.value.kind is ErrorKind.RATE_LIMITED


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_submit_faults_may_have_been_done(
    fake: FakeTtapi, provider: TtapiProvider, fault: str
) -> None:
    fake.submit_faults = [fault]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.maybe_done


async def test_fetch_of_unknown_job_is_invalid_and_left_out_of_fetch_many(
    provider: TtapiProvider,
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.fetch("no-such-job")
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.detail.startswith("HTTP 404:")
    known = await provider.imagine("a cat")
    assert [s.task_id for s in await provider.fetch_many([known, "no-such-job"])] == [known]


async def test_failed_task(provider: TtapiProvider) -> None:
    done = await finish(provider, await provider.imagine(f"a cat {FAIL_WORD}"))
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == "Task failed: the image could not be generated"
    assert done.error_kind is ErrorKind.FAILED
    assert done.buttons == ()


async def test_refused_prompt_at_submit(fake: FakeTtapi, provider: TtapiProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.imagine(f"a {REFUSED_WORD} cat")
    assert caught.value.kind is ErrorKind.MODERATION
    assert "prompt violation" in caught.value.detail
    assert fake.tasks == {}


async def test_refused_prompt_failing_at_fetch(fake: FakeTtapi, provider: TtapiProvider) -> None:
    fake.moderation_at_fetch = True
    done = await finish(provider, await provider.imagine(f"a {REFUSED_WORD} cat"))
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == "prompt violation"
    assert done.error_kind is ErrorKind.MODERATION


def test_capabilities() -> None:
    provider = TtapiProvider("http://127.0.0.1:9", "k")
    assert provider.capabilities == {
        Capability.DESCRIBE,
        Capability.BLEND,
        Capability.VARY_REGION,
        Capability.WEBHOOK,
    }
    assert provider.inline_images == {Action.DESCRIBE, Action.BLEND, Action.VARY_REGION}
    assert provider.max_blend_images == 5
    assert provider.batch_size == 1
    assert provider.supports(Action.VARY_REGION)
    assert not provider.supports(Action.ZOOM_CUSTOM)


# --- parsing the documented JSON (providers.md §3, verbatim) -------------------------------


def test_submit_answers_in_both_spellings() -> None:
    new = {
        "status": "SUCCESS",
        "message": "success",
        "data": {"job_id": "c679a92e-dae0-462d-b70f-dcfeaf2189fa"},
    }
    legacy = {"status": "SUCCESS", "message": "success", "data": {"jobId": "b8bd3ff0-…"}}
    assert job_id_of(new) == "c679a92e-dae0-462d-b70f-dcfeaf2189fa"
    assert job_id_of(legacy) == "b8bd3ff0-…"
    assert job_id_of({"status": "FAILED", "message": "Parameter error", "data": None}) is None


# The tiles of the documented example, given the scheme that providers.md trims away.
TILES = ["https://…tl.png", "https://…tr.png", "https://…bl.png", "https://…br.png"]


def test_parse_success_example() -> None:
    answer = {
        "status": "SUCCESS",
        "message": "",
        "jobId": "c679a92e-…",
        "data": {
            "action": "imagine",
            "jobId": "c679a92e-…",
            "progress": "100",
            "prompt": "a cat",
            "quota": "2",
            "discordImage": "https://…png",
            "cdnImage": "https://…png",
            "width": 1024,
            "height": 1024,
            "hookUrl": None,
            "components": [
                "upsample1",
                "upsample2",
                "upsample3",
                "upsample4",
                "reroll",
                "variation1",
                "variation2",
                "variation3",
                "variation4",
            ],
            "seed": None,
            "images": TILES,
        },
    }
    snapshot = parse_task("c679a92e-…", answer)
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.progress == 100
    assert snapshot.image_url == "https://…png"
    assert snapshot.image_urls == tuple(TILES)
    assert triples(snapshot) == GRID_BUTTONS


def test_parse_in_progress_example() -> None:
    answer = {
        "status": "ON_QUEUE",
        "message": "",
        "jobId": "c679a92e-dae0-462d-b70f-dcfeaf2189fa",
        "data": {
            "action": "imagine",
            "jobId": "c679a92e-dae0-462d-b70f-dcfeaf2189fa",
            "progress": "45",
            "prompt": "a cat",
        },
    }
    snapshot = parse_task("c679a92e-dae0-462d-b70f-dcfeaf2189fa", answer)
    assert (snapshot.state, snapshot.progress) == (TaskState.RUNNING, 45)
    assert (snapshot.image_url, snapshot.image_urls, snapshot.buttons) == (None, (), ())


def test_parse_failure_example() -> None:
    answer = {
        "status": "FAILED",
        "message": "prompt violation",
        "jobId": "c679a92e-dae0-462d-b70f-dcfeaf2189fa",
        "data": None,
    }
    snapshot = parse_task("c679a92e-dae0-462d-b70f-dcfeaf2189fa", answer)
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.fail_reason == "prompt violation"
    assert snapshot.error_kind is ErrorKind.MODERATION


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("PENDING_QUEUE", TaskState.QUEUED),
        ("ON_QUEUE", TaskState.RUNNING),
        ("SUCCESS", TaskState.SUCCESS),
        ("FAILED", TaskState.FAILURE),
        ("SOMETHING_NEW", TaskState.RUNNING),
    ],
)
def test_status_mapping(status: str, state: TaskState) -> None:
    assert parse_task("t", {"status": status, "message": "", "data": None}).state is state


def test_quota_failure_is_balance() -> None:
    snapshot = parse_task("t", {"status": "FAILED", "message": "insufficient quota", "data": None})
    assert snapshot.error_kind is ErrorKind.BALANCE


def test_legacy_hook_actions_field_is_not_taken_for_next_actions() -> None:
    answer = {
        "status": "SUCCESS",
        "jobId": "f5850038-90a3-8a97-0476-107ea4b8dac4",
        "message": "success",
        "data": {"actions": "imagine", "progress": "100", "discordImage": "https://d/x.png"},
    }
    snapshot = parse_task("f5850038-90a3-8a97-0476-107ea4b8dac4", answer)
    assert snapshot.buttons == ()
    assert snapshot.image_url == "https://d/x.png"


@pytest.mark.parametrize(
    ("component", "action", "index"),
    [
        ("upsample3", Action.UPSCALE, 3),
        ("variation2", Action.VARIATION, 2),
        ("reroll", Action.REROLL, 0),
        ("high_variation", Action.VARY_STRONG, 0),
        ("low_variation", Action.VARY_SUBTLE, 0),
        ("upscale2", Action.UPSCALE_2X, 0),
        ("upscale4", Action.UPSCALE_4X, 0),
        ("upscale_subtle", Action.UPSCALE_SUBTLE, 0),
        ("upscale_creative", Action.UPSCALE_CREATIVE, 0),
        ("redo_upscale2", Action.REDO_UPSCALE_2X, 0),
        ("redo_upscale4", Action.REDO_UPSCALE_4X, 0),
        ("redo_upscale_subtle", Action.REDO_UPSCALE_SUBTLE, 0),
        ("redo_upscale_creative", Action.REDO_UPSCALE_CREATIVE, 0),
        ("zoom_out_2", Action.ZOOM_OUT_2X, 0),
        ("zoom_out_2x", Action.ZOOM_OUT_2X, 0),
        ("zoom_out_1_5", Action.ZOOM_OUT_1_5X, 0),
        ("zoom_out_1_5x", Action.ZOOM_OUT_1_5X, 0),
        ("pan_left", Action.PAN_LEFT, 0),
        ("pan_right", Action.PAN_RIGHT, 0),
        ("pan_up", Action.PAN_UP, 0),
        ("pan_down", Action.PAN_DOWN, 0),
        ("make_square", Action.MAKE_SQUARE, 0),
        ("upsample5", Action.OTHER, 0),
        ("animate_high", Action.OTHER, 0),
    ],
)
def test_component_mapping(component: str, action: Action, index: int) -> None:
    assert button_for(component) == Button(action, component, index, component)


def test_components_keep_order_and_skip_what_cannot_be_sent_back() -> None:
    buttons = parse_components(["reroll", None, "", {"x": 1}, "upsample1"])
    assert [b.handle for b in buttons] == ["reroll", "upsample1"]
    assert parse_components(None) == ()


@pytest.mark.parametrize(
    ("status", "message", "kind"),
    [
        (400, "Parameter error", ErrorKind.INVALID),
        (400, "prompt violation", ErrorKind.MODERATION),
        (400, "insufficient quota", ErrorKind.BALANCE),
        (401, "Unauthorized", ErrorKind.AUTH),
        (402, "insufficient quota", ErrorKind.BALANCE),
        (404, "job not found", ErrorKind.INVALID),
        (429, "Too many requests", ErrorKind.RATE_LIMITED),
        (499, "queue exhausted", ErrorKind.RATE_LIMITED),
        (500, "Internal server error", ErrorKind.UNAVAILABLE),
        (504, "timeout", ErrorKind.UNAVAILABLE),
        (200, "Parameter error", ErrorKind.INVALID),
    ],
)
def test_error_kinds(status: int, message: str, kind: ErrorKind) -> None:
    assert error_kind(status, message) is kind


@pytest.mark.parametrize(("status", "maybe_done"), [(500, True), (504, True), (499, False)])
def test_error_envelope_maybe_done(status: int, maybe_done: bool) -> None:
    provider = TtapiProvider("http://127.0.0.1:9", "k")
    body = {"status": "FAILED", "message": "Parameter error", "data": None}
    assert provider._error(status, body, "POST /x").maybe_done is maybe_done


def test_success_without_job_id_is_unavailable_and_maybe_done() -> None:
    provider = TtapiProvider("http://127.0.0.1:9", "k")
    error = provider._error(200, {"status": "SUCCESS", "message": "success", "data": {}}, "POST")
    assert error.kind is ErrorKind.UNAVAILABLE and error.maybe_done


# --- describe and blend (the cross-provider cases are in the shared contract tests) ---------

Submit = Callable[[TtapiProvider], Awaitable[object]]


async def test_describe_sends_the_data_uri_and_reads_the_prompts(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    image = data_uri(jpeg("red"))
    task_id = await provider.describe(image, ref="mjbot-1-1", speed="relax")
    # No mode in the describe body, and TTApi keeps no ref.
    assert fake.submits_to("/midjourney/v1/describe") == [{"base64": image}]
    assert fake.images_received == [[jpeg("red")]]
    assert (await provider.fetch(task_id)).prompts == ()  # nothing before it is done
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.prompts == DESCRIBE_PROMPTS


async def test_describe_calls_back_with_the_prompts(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    hook = "https://bot.example/hooks/ttapi/3"  # not on 127.0.0.1: recorded, not sent
    task_id = await provider.describe(data_uri(jpeg("red")), hook=hook)
    assert fake.submits_to("/describe")[0]["hookUrl"] == hook
    await finish(provider, task_id)
    url, last, _ = fake.callbacks[-1]
    assert url == hook
    snapshot = provider.read_callback(json.dumps(last).encode())
    assert (snapshot.task_id, snapshot.state) == (task_id, TaskState.SUCCESS)
    assert snapshot.prompts == DESCRIBE_PROMPTS


@pytest.mark.parametrize(
    ("shape", "dimensions"), [("2:3", "PORTRAIT"), ("1:1", "SQUARE"), ("3:2", "LANDSCAPE")]
)
async def test_blend_sends_prefixed_images_and_ends_as_a_grid(
    fake: FakeTtapi, provider: TtapiProvider, shape: str, dimensions: str
) -> None:
    images = [jpeg("red"), jpeg("green"), jpeg("blue")]
    hook = "https://bot.example/hooks/ttapi/4"
    task_id = await provider.blend([data_uri(i) for i in images], shape, hook=hook, speed="turbo")
    assert fake.submits_to("/midjourney/v1/blend") == [
        {
            "imgBase64Array": [data_uri(i) for i in images],
            "dimensions": dimensions,
            "mode": "turbo",
            "hookUrl": hook,
        }
    ]
    assert fake.images_received == [images]
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(fake.tasks[task_id])
    assert triples(done) == GRID_BUTTONS
    assert done.prompts == ()


async def test_blend_takes_the_default_mode(fake: FakeTtapi, provider: TtapiProvider) -> None:
    await provider.blend([data_uri(jpeg("red"))] * 2, "1:1")
    assert fake.submits_to("/blend")[0]["mode"] == "fast"


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.describe(data_uri(b"not an image")),
        lambda p: p.describe(""),
        lambda p: p.blend([data_uri(jpeg("red"))], "1:1"),
        lambda p: p.blend([data_uri(jpeg("red"))] * 6, "1:1"),
        lambda p: p.blend([data_uri(jpeg("red")), "bm90IGFuIGltYWdl"], "1:1"),
    ],
)
async def test_refused_images_are_invalid(
    fake: FakeTtapi, provider: TtapiProvider, call: Submit
) -> None:
    with pytest.raises(ProviderError) as caught:
        await call(provider)
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.detail.startswith("HTTP 400:")
    assert "Parameter error" in caught.value.detail
    assert fake.submits == []


def test_legacy_actions_spelling_tells_a_describe() -> None:
    answer = {
        "status": "SUCCESS",
        "message": "",
        "data": {"actions": "describe", "prompt": "1️⃣ a fox 2️⃣ a wolf"},
    }
    assert parse_task("j", answer).prompts == ("a fox", "a wolf")


def test_only_a_describe_has_prompts_and_one_without_any_fails() -> None:
    imagine = {"status": "SUCCESS", "message": "", "data": {"action": "imagine", "prompt": "x"}}
    assert parse_task("j", imagine).prompts == ()
    empty = {"status": "SUCCESS", "message": "", "data": {"action": "describe", "prompt": ""}}
    snapshot = parse_task("j", empty)
    assert snapshot.state is TaskState.FAILURE
    assert (snapshot.fail_reason, snapshot.error_kind) == (NO_PROMPTS, ErrorKind.FAILED)


# --- Vary (Region): /inpaint ----------------------------------------------------------------

MASK = mask_png((256, 256), [1, 6])


def region_of(snapshot: TaskSnapshot) -> Button:
    return next(b for b in snapshot.buttons if b.action is Action.VARY_REGION)


@pytest.mark.parametrize("hook", [None, "https://bot.example/hook/abc"])
async def test_vary_region_sends_the_bare_mask_to_inpaint_and_ends_as_a_grid(
    fake: FakeTtapi, provider: TtapiProvider, hook: str | None
) -> None:
    parent_id, parent = await upscaled(provider)
    mask = data_uri(MASK, "image/png")
    task_id = await provider.act(
        parent_id, region_of(parent), prompt="a red door", mask=mask, hook=hook
    )
    sent = {"jobId": parent_id, "mask": base64.b64encode(MASK).decode(), "prompt": "a red door"}
    assert fake.submits_to("/midjourney/v1/inpaint") == [
        {**sent, "hookUrl": hook} if hook else sent
    ]
    assert fake.masks_received == [MASK]
    task = fake.tasks[task_id]
    assert (task.kind, task.prompt, task.parent) == ("vary_region", "a red door", parent_id)
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert triples(done) == GRID_BUTTONS  # a grid, with no region button of its own


async def test_only_an_upscale_offers_vary_region(provider: TtapiProvider) -> None:
    parent_id, parent = await upscaled(provider)
    assert parent.buttons[-1] == Button(Action.VARY_REGION, "inpaint", 0, "Vary (Region)")
    subtle = next(b for b in parent.buttons if b.action is Action.UPSCALE_SUBTLE)
    redone = await finish(provider, await provider.act(parent_id, subtle))
    assert redone.state is TaskState.SUCCESS
    assert Action.VARY_REGION not in {b.action for b in redone.buttons}


async def test_inpaint_on_a_grid_is_invalid(fake: FakeTtapi, provider: TtapiProvider) -> None:
    _, parent = await upscaled(provider)
    grid_id = next(t.id for t in fake.tasks.values() if t.kind == "imagine")
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            grid_id, region_of(parent), prompt="a door", mask=data_uri(MASK, "image/png")
        )
    assert caught.value.kind is ErrorKind.INVALID
    assert fake.masks_received == []


@pytest.mark.parametrize(
    ("mask", "received"),
    [
        (data_uri(MASK, "image/jpeg"), []),  # a prefix other than the PNG one stays on
        (data_uri(b"not an image", "image/png"), [None]),
    ],
)
async def test_a_mask_ttapi_cannot_read_is_invalid(
    fake: FakeTtapi, provider: TtapiProvider, mask: str, received: list[None]
) -> None:
    parent_id, parent = await upscaled(provider)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent_id, region_of(parent), prompt="a door", mask=mask)
    assert caught.value.kind is ErrorKind.INVALID
    assert "Parameter error" in caught.value.detail
    assert fake.masks_received == received


async def test_vary_region_without_a_mask_is_not_sent(
    fake: FakeTtapi, provider: TtapiProvider
) -> None:
    parent_id, parent = await upscaled(provider)
    sent = len(fake.submits)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent_id, region_of(parent), prompt="a door")
    assert caught.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == sent


@pytest.mark.parametrize(
    ("field", "action", "offered"),
    [
        ("action", "upsample2", True),
        ("actions", "upsample4", True),
        ("action", "imagine", False),
        ("action", "upscale_creative", False),
    ],
)
def test_vary_region_follows_a_finished_upscale(field: str, action: str, offered: bool) -> None:
    answer = {"status": "SUCCESS", "message": "", "data": {field: action, "components": []}}
    assert (Action.VARY_REGION in {b.action for b in parse_task("j", answer).buttons}) is offered
    running = {"status": "ON_QUEUE", "message": "", "data": {field: action}}
    assert parse_task("j", running).buttons == ()

"""Contract tests of the APIMart adapter against the fake server, and its parsers on the
documented JSON (providers.md §1.10)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.domain import Action, Button
from bot.flows.region import mask_png
from bot.providers.apimart import ApimartProvider, error_kind, parse_error, parse_submit
from bot.providers.apimart_tasks import parse_button, parse_task
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from tests.contract import finish
from tests.fakes.apimart import FakeApimart
from tests.fakes.provider_base import DESCRIBE_PROMPTS, FAIL_WORD, REFUSED_WORD, failing_get
from tests.test_image_prompts import jpeg

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GRID_BUTTONS = [(Action.UPSCALE, i) for i in range(1, 5)]
GRID_BUTTONS += [(Action.REROLL, 0)] + [(Action.VARIATION, i) for i in range(1, 5)]
UPSCALED_BUTTONS = [
    (Action.VARY_STRONG, 0),
    (Action.VARY_SUBTLE, 0),
    (Action.VARY_REGION, 0),
    (Action.ZOOM_OUT_2X, 0),
    (Action.ZOOM_OUT_1_5X, 0),
    (Action.ZOOM_CUSTOM, 0),
    (Action.PAN_LEFT, 0),
    (Action.PAN_RIGHT, 0),
    (Action.PAN_UP, 0),
    (Action.PAN_DOWN, 0),
    (Action.UPSCALE_SUBTLE, 0),
    (Action.UPSCALE_CREATIVE, 0),
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeApimart]:
    server = FakeApimart()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def provider(fake: FakeApimart) -> AsyncIterator[ApimartProvider]:
    adapter = ApimartProvider(fake.base_url, fake.api_key, timeout=1.0)
    yield adapter
    await adapter.aclose()


async def grid(provider: ApimartProvider) -> TaskSnapshot:
    return await finish(provider, await provider.imagine("a red fox in the snow"))


async def upscaled(provider: ApimartProvider) -> TaskSnapshot:
    parent = await grid(provider)
    return await finish(provider, await provider.act(parent.task_id, parent.buttons[0]))


def button_of(snapshot: TaskSnapshot, action: Action, index: int = 0) -> Button:
    return next(b for b in snapshot.buttons if b.action is action and b.index == index)


# --- imagine, polling, grid ----------------------------------------------------------------


async def test_imagine_polls_to_a_grid_with_the_offered_buttons(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    fake.polls_to_finish = 3
    task_id = await provider.imagine("a red fox in the snow")
    assert fake.submits == [
        ("/v1/midjourney/generations", {"prompt": "a red fox in the snow", "speed": "fast"})
    ]

    first = await provider.fetch(task_id)
    assert first.state is TaskState.RUNNING
    assert first.progress == fake.progress(fake.tasks[task_id]) > 0
    assert first.buttons == ()

    done = await finish(provider, task_id)
    task = fake.tasks[task_id]
    assert done.state is TaskState.SUCCESS and done.progress == 100
    assert done.image_url == fake.image_url(task)
    assert done.image_urls == tuple(fake.tile_urls(task))
    assert [(b.action, b.index) for b in done.buttons] == GRID_BUTTONS
    assert done.buttons[0].handle == fake.custom_id(task, "upscale", 1)
    assert [b.label for b in done.buttons] == [
        *("U1", "U2", "U3", "U4"),
        "reroll",
        *("V1", "V2", "V3", "V4"),
    ]


@pytest.mark.parametrize("mode", ["relax", "turbo"])
async def test_mode_is_sent_as_speed(fake: FakeApimart, mode: str) -> None:
    adapter = ApimartProvider(fake.base_url, fake.api_key, mode=mode, timeout=1.0)
    try:
        await adapter.imagine("a lighthouse")
    finally:
        await adapter.aclose()
    assert fake.submits_to("/generations")[0]["speed"] == mode


async def test_the_grid_and_the_upscale_download_as_real_pngs(provider: ApimartProvider) -> None:
    done = await upscaled(provider)
    parent = await grid(provider)
    for url in (parent.image_url, parent.image_urls[2], done.image_url):
        assert url is not None
        assert (await provider.download(url)).startswith(PNG_MAGIC)


# --- follow-ups --------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "index"), GRID_BUTTONS)
async def test_grid_follow_ups_reach_their_endpoint(
    fake: FakeApimart, provider: ApimartProvider, action: Action, index: int
) -> None:
    parent = await grid(provider)
    button = button_of(parent, action, index)
    task_id = await provider.act(parent.task_id, button)

    path, body = fake.submits[-1]
    if action is Action.REROLL:
        assert path == "/v1/midjourney/generations/reroll"
        assert body == {"task_id": parent.task_id, "custom_id": button.handle, "speed": "fast"}
    else:
        assert path == f"/v1/midjourney/generations/{action.value}"
        assert body["task_id"] == parent.task_id and body["index"] == index
        assert "custom_id" not in body  # exclusive with index on /variation
    task = fake.tasks[task_id]
    assert (task.kind, task.index, task.parent) == (action.value, index, parent.task_id)


async def test_upscale_finishes_at_once_with_its_single_image(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await grid(provider)
    task_id = await provider.act(parent.task_id, button_of(parent, Action.UPSCALE, 3))
    assert fake.submits[-1] == (
        "/v1/midjourney/generations/upscale",
        {"task_id": parent.task_id, "index": 3},
    )

    done = await provider.fetch(task_id)  # the very first poll
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(fake.tasks[task_id])
    assert done.image_urls == ()
    assert [(b.action, b.index) for b in done.buttons] == UPSCALED_BUTTONS


UPSCALED_ROUTES = [
    (Action.VARY_STRONG, "high-variation", {"index": 1}, "vary_strong"),
    (Action.VARY_SUBTLE, "low-variation", {}, "vary_subtle"),
    (Action.ZOOM_OUT_2X, "zoom", {"zoom_ratio": 2}, "zoom_out_2x"),
    (Action.ZOOM_OUT_1_5X, "zoom", {"zoom_ratio": 1.5}, "zoom_out_1_5x"),
    (Action.PAN_LEFT, "pan", {"direction": "left"}, "pan_left"),
    (Action.PAN_RIGHT, "pan", {"direction": "right"}, "pan_right"),
    (Action.PAN_UP, "pan", {"direction": "up"}, "pan_up"),
    (Action.PAN_DOWN, "pan", {"direction": "down"}, "pan_down"),
]


@pytest.mark.parametrize(("action", "op", "fields", "kind"), UPSCALED_ROUTES)
async def test_upscaled_follow_ups_reach_their_endpoint(
    fake: FakeApimart,
    provider: ApimartProvider,
    action: Action,
    op: str,
    fields: dict[str, object],
    kind: str,
) -> None:
    parent = await upscaled(provider)
    button = button_of(parent, action)
    task_id = await provider.act(parent.task_id, button)

    path, body = fake.submits[-1]
    assert path == f"/v1/midjourney/generations/{op}"
    expected = {"task_id": parent.task_id, "speed": "fast", **fields}
    if action is not Action.VARY_STRONG:
        expected["custom_id"] = button.handle
    assert body == expected
    assert fake.tasks[task_id].kind == kind
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert [(b.action, b.index) for b in done.buttons] == GRID_BUTTONS


@pytest.mark.parametrize(
    "action",
    [Action.UPSCALE_SUBTLE, Action.UPSCALE_CREATIVE, Action.ZOOM_CUSTOM],
)
async def test_actions_without_a_route_are_unsupported(
    fake: FakeApimart, provider: ApimartProvider, action: Action
) -> None:
    parent = await upscaled(provider)
    count = len(fake.submits)
    with pytest.raises(ProviderError) as error:
        await provider.act(parent.task_id, button_of(parent, action))
    assert error.value.kind is ErrorKind.UNSUPPORTED
    assert len(fake.submits) == count


def test_supports_only_actions_with_a_documented_route(provider: ApimartProvider) -> None:
    assert provider.supports(Action.PAN_LEFT) and provider.supports(Action.VARY_STRONG)
    assert not provider.supports(Action.UPSCALE_SUBTLE)
    assert not provider.supports(Action.REDO_UPSCALE_2X)
    assert provider.supports(Action.VARY_REGION)  # /inpaint, then /modal with the mask
    assert not provider.supports(Action.ZOOM_CUSTOM)


async def test_pan_on_a_grid_is_refused(fake: FakeApimart, provider: ApimartProvider) -> None:
    parent = await grid(provider)
    forged = Button(Action.PAN_LEFT, "MJ::JOB::pan_left::1::x::SOLO")
    with pytest.raises(ProviderError) as error:
        await provider.act(parent.task_id, forged)
    assert error.value.kind is ErrorKind.INVALID
    assert "requires an upscaled task" in error.value.detail


async def test_follow_up_on_an_unknown_task_is_invalid(provider: ApimartProvider) -> None:
    with pytest.raises(ProviderError) as error:
        await provider.act("task_nope", Button(Action.UPSCALE, "MJ::JOB::upsample::1::x", 1))
    assert error.value.kind is ErrorKind.INVALID
    assert "HTTP 404" in error.value.detail and "code 3" in error.value.detail


async def test_follow_up_on_an_unfinished_task_is_invalid(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    fake.hold = True
    task_id = await provider.imagine("a slow painting")
    await provider.fetch(task_id)
    with pytest.raises(ProviderError) as error:
        await provider.act(task_id, Button(Action.VARIATION, "MJ::JOB::variation::2::x", 2))
    assert error.value.kind is ErrorKind.INVALID
    assert "code 4" in error.value.detail and "not in SUCCESS state" in error.value.detail


# --- Vary (Region) ------------------------------------------------------------------------

MASK = mask_png((256, 256), [6, 7])


@pytest.mark.parametrize("by_url", [False, True])
@pytest.mark.parametrize("wrapped", [False, True])
async def test_vary_region_is_an_inpaint_then_a_modal_with_the_mask(
    fake: FakeApimart, provider: ApimartProvider, wrapped: bool, by_url: bool
) -> None:
    fake.inpaint_wrapped = wrapped
    assert Action.VARY_REGION in provider.inline_images
    parent = await upscaled(provider)
    button = button_of(parent, Action.VARY_REGION)
    mask = fake.hosted(MASK) if by_url else data_uri(MASK, "image/png")
    task_id = await provider.act(parent.task_id, button, prompt="a red door", mask=mask)

    prefix = "/v1/midjourney/generations"
    assert fake.submits[-2:] == [
        (
            f"{prefix}/inpaint",
            {"task_id": parent.task_id, "custom_id": button.handle, "speed": "fast"},
        ),
        (
            f"{prefix}/modal",
            {"task_id": task_id, "prompt": "a red door", "mask_url": mask, "speed": "fast"},
        ),
    ]
    assert fake.masks_received == [MASK]
    task = fake.tasks[task_id]
    assert (task.kind, task.parent, task.prompt) == ("vary_region", parent.task_id, "a red door")
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(task)
    assert done.image_urls == tuple(fake.tile_urls(task))
    assert [(b.action, b.index) for b in done.buttons] == GRID_BUTTONS


async def test_a_region_without_a_prompt_keeps_the_parents(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    button = button_of(parent, Action.VARY_REGION)
    task_id = await provider.act(
        parent.task_id, button, mask=data_uri(MASK, "image/png"), speed="relax"
    )
    assert fake.submits[-1][1]["prompt"] == ""  # "empty → inherits the parent's prompt"
    assert fake.submits[-1][1]["speed"] == "relax"
    assert fake.tasks[task_id].prompt == "a red fox in the snow"


async def test_no_inpaint_is_started_without_a_mask(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    count = len(fake.submits)
    with pytest.raises(ProviderError) as error:
        await provider.act(parent.task_id, button_of(parent, Action.VARY_REGION), prompt="x")
    assert error.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == count


@pytest.mark.parametrize(
    ("mask", "kind", "text"),
    [
        ("data:image/png;base64," + "QUJD" * 8, ErrorKind.INVALID, "code 4"),
        ("https://elsewhere.example/mask.png", ErrorKind.INVALID, "code 4"),  # not fetchable
        (data_uri(MASK, "image/png"), ErrorKind.MODERATION, "code 24"),  # the prompt is refused
    ],
)
async def test_a_refused_modal_raises_and_leaves_the_inpaint_in_modal(
    fake: FakeApimart, provider: ApimartProvider, mask: str, kind: ErrorKind, text: str
) -> None:
    parent = await upscaled(provider)
    prompt = f"a {REFUSED_WORD} door" if kind is ErrorKind.MODERATION else "a red door"
    with pytest.raises(ProviderError) as error:
        await provider.act(
            parent.task_id, button_of(parent, Action.VARY_REGION), prompt=prompt, mask=mask
        )
    assert error.value.kind is kind and text in error.value.detail
    assert fake.submits[-1][0].endswith("/inpaint")  # /modal was refused
    (inpaint,) = [task for task in fake.tasks.values() if task.kind == "vary_region"]
    assert (await provider.fetch(inpaint.id)).state is TaskState.MODAL


async def test_vary_region_on_a_grid_is_refused(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await grid(provider)
    forged = Button(Action.VARY_REGION, "MJ::Inpaint::1::x::SOLO")
    with pytest.raises(ProviderError) as error:
        await provider.act(parent.task_id, forged, prompt="x", mask=data_uri(MASK, "image/png"))
    assert error.value.kind is ErrorKind.INVALID
    assert "requires an upscaled task" in error.value.detail
    assert fake.masks_received == []


async def test_the_fake_modal_wants_a_task_in_modal_and_a_mask(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    mask = data_uri(MASK, "image/png")
    region = await provider.act(
        parent.task_id, button_of(parent, Action.VARY_REGION), prompt="a red door", mask=mask
    )
    modal = "/v1/midjourney/generations/modal"
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(base_url=fake.base_url, headers=headers) as client:
        inpaint = await client.post(
            "/v1/midjourney/generations/inpaint", json={"task_id": parent.task_id}
        )
        waiting = inpaint.json()["task_id"]
        answers = [
            await client.post(modal, json={"task_id": task_id, "mask_url": mask})
            for task_id in (region, parent.task_id, "task_nope")
        ]
        unmasked = await client.post(modal, json={"task_id": waiting, "prompt": "a red door"})
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(400, 4), (400, 4), (404, 3)]
    assert "not in MODAL state" in answers[0].json()["description"]
    assert (unmasked.status_code, unmasked.json()["code"]) == (400, 4)
    assert (await provider.fetch(waiting)).state is TaskState.MODAL
    assert fake.masks_received == [MASK]


# --- Animate ------------------------------------------------------------------------------

MP4_BRAND = b"ftypisom"
VIDEO = "/v1/midjourney/generations/video"
ANIMATE = [(Action.ANIMATE_LOW, "low"), (Action.ANIMATE_HIGH, "high")]


def test_animate_is_supported_by_its_own_route(provider: ApimartProvider) -> None:
    assert Capability.VIDEO in provider.capabilities
    assert provider.supports(Action.ANIMATE_LOW) and provider.supports(Action.ANIMATE_HIGH)


@pytest.mark.parametrize(("action", "motion"), ANIMATE)
async def test_animate_sends_the_upscales_image_with_its_motion_and_gets_a_video(
    fake: FakeApimart, provider: ApimartProvider, action: Action, motion: str
) -> None:
    parent = await upscaled(provider)
    task_id = await provider.act(
        parent.task_id,
        Button(action, ""),  # the bot's own button
        prompt="a red fox in the snow --ar 3:2 --v 7",
        image=parent.image_url,
        speed="relax",
        hook="https://bot.example/provider/t1",
    )

    assert fake.submits[-1] == (
        VIDEO,
        {
            "image_urls": [parent.image_url],
            "prompt": "a red fox in the snow",
            "motion": motion,
            "batch_size": 1,
        },
    )
    task = fake.tasks[task_id]
    assert (task.kind, task.parent) == (f"animate_{motion}", parent.task_id)
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.video_urls == (fake.video_url(task),)
    assert done.buttons == () and done.prompts == ()
    assert (await provider.download(done.video_urls[0]))[4:12] == MP4_BRAND


async def test_animate_of_a_parent_without_prompt_text_names_the_upscale(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    button = Button(Action.ANIMATE_HIGH, "MJ::JOB::animate_high::1::h::SOLO")  # APIMart's own
    task_id = await provider.act(parent.task_id, button, prompt="--ar 1:1", image=None)

    body = {"task_id": parent.task_id, "index": 0, "motion": "high", "batch_size": 1}
    assert fake.submits[-1] == (VIDEO, body)
    assert fake.tasks[task_id].prompt == "a red fox in the snow"  # the task's own
    assert (await finish(provider, task_id)).video_urls == (fake.video_url(fake.tasks[task_id]),)


async def test_no_video_is_asked_for_without_the_image(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    count = len(fake.submits)
    for image in (None, "", "data:image/png;base64,QUJD"):
        with pytest.raises(ProviderError) as error:
            await provider.act(
                parent.task_id, Button(Action.ANIMATE_LOW, ""), prompt="a", image=image
            )
        assert error.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == count


@pytest.mark.parametrize(
    ("prompt", "kind", "text"),
    [
        ("a red fox", ErrorKind.INVALID, "requires an upscaled task"),  # a grid's image
        (f"a {REFUSED_WORD} fox", ErrorKind.MODERATION, "code 24"),
    ],
)
async def test_refused_videos_have_their_kind(
    fake: FakeApimart, provider: ApimartProvider, prompt: str, kind: ErrorKind, text: str
) -> None:
    parent = await upscaled(provider)
    image = parent.image_url if kind is ErrorKind.MODERATION else (await grid(provider)).image_url
    with pytest.raises(ProviderError) as error:
        await provider.act(
            parent.task_id, Button(Action.ANIMATE_HIGH, ""), prompt=prompt, image=image
        )
    assert error.value.kind is kind and text in error.value.detail
    assert not any(task.kind.startswith("animate") for task in fake.tasks.values())


async def test_a_video_that_fails_is_a_failure_with_the_reason(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    button = Button(Action.ANIMATE_LOW, "")
    task_id = await provider.act(parent.task_id, button, prompt=FAIL_WORD, image=parent.image_url)
    done = await finish(provider, task_id)
    assert done.state is TaskState.FAILURE and done.video_urls == ()
    assert done.fail_reason == fake.tasks[task_id].fail_reason


async def test_the_fake_video_route_checks_its_body(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    parent = await upscaled(provider)
    fake.hold = True
    running = await provider.imagine("a slow painting")
    fake.hold = False
    image = [parent.image_url]
    bodies = [
        {"motion": "low", "prompt": "a fox"},  # no image, no task
        {"image_urls": image},  # no prompt without task_id
        {"image_urls": image, "prompt": "a fox", "motion": "medium"},
        {"image_urls": ["https://elsewhere.example/fox.png"], "prompt": "a fox"},
        {"task_id": running},  # not finished
        {"task_id": parent.task_id, "index": 2},  # an upscale has one image
        {"task_id": "task_nope"},
    ]
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(base_url=fake.base_url, headers=headers) as client:
        answers = [await client.post(VIDEO, json=body) for body in bodies]
        batch = await client.post(VIDEO, json={"task_id": parent.task_id, "batch_size": 4})
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(400, 4)] * 6 + [(404, 3)]
    video = await finish(provider, parse_submit(batch.json()) or "")
    assert len(video.video_urls) == 4
    assert fake.tasks[video.task_id].kind == "animate_high"  # the documented default


ON_GRIDS = [Action.UPSCALE, Action.REROLL, Action.VARIATION]


@pytest.mark.parametrize("action", ON_GRIDS + [action for action, *_ in UPSCALED_ROUTES])
async def test_an_image_given_to_a_plain_follow_up_changes_nothing(
    fake: FakeApimart, provider: ApimartProvider, action: Action
) -> None:
    parent = await (grid(provider) if action in ON_GRIDS else upscaled(provider))
    button = next(b for b in parent.buttons if b.action is action)
    await provider.act(parent.task_id, button)
    await provider.act(parent.task_id, button, image=parent.image_url)
    assert fake.submits[-1] == fake.submits[-2]


# --- errors ------------------------------------------------------------------------------

SUBMIT_ERRORS = [
    ("auth", ErrorKind.AUTH),
    ("balance", ErrorKind.BALANCE),
    ("moderation", ErrorKind.MODERATION),
    ("invalid", ErrorKind.INVALID),
    ("rate_limited", ErrorKind.RATE_LIMITED),
    ("unavailable", ErrorKind.UNAVAILABLE),
]


@pytest.mark.parametrize("shape", ["description", "error"])
@pytest.mark.parametrize(("kind", "expected"), SUBMIT_ERRORS)
async def test_submit_errors_have_their_kind(
    fake: FakeApimart, provider: ApimartProvider, kind: str, expected: ErrorKind, shape: str
) -> None:
    fake.error_shape = shape
    fake.submit_errors.append(kind)
    with pytest.raises(ProviderError) as error:
        await provider.imagine("a quiet harbour")
    assert error.value.kind is expected
    assert error.value.maybe_done is (kind == "unavailable")  # a 502, not a 503
    answer = json.loads(fake.error_response(kind).text)
    message = answer.get("description") or answer["error"]["message"]
    assert message in error.value.detail
    assert fake.api_key not in error.value.detail
    assert fake.submits == []


async def test_a_wrong_key_is_auth_on_submit_and_fetch(fake: FakeApimart) -> None:
    adapter = ApimartProvider(fake.base_url, "wrong-key", timeout=1.0)
    try:
        for call in (adapter.imagine("a cat"), adapter.fetch("task_1")):
            with pytest.raises(ProviderError) as error:
                await call
            assert error.value.kind is ErrorKind.AUTH
            assert "wrong-key" not in error.value.detail
    finally:
        await adapter.aclose()


async def test_a_refused_prompt_is_moderation(fake: FakeApimart, provider: ApimartProvider) -> None:
    with pytest.raises(ProviderError) as error:
        await provider.imagine(f"a {REFUSED_WORD} scene")
    assert error.value.kind is ErrorKind.MODERATION
    assert "code 24" in error.value.detail


async def test_a_prompt_refused_while_running_fails_as_moderation(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    fake.refuse_while_running = True
    done = await finish(provider, await provider.imagine(f"a {REFUSED_WORD} scene"))
    assert done.state is TaskState.FAILURE
    assert done.error_kind is ErrorKind.MODERATION
    assert done.fail_reason is not None and "Banned prompt" in done.fail_reason


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_fetch_faults_are_unavailable(
    fake: FakeApimart, provider: ApimartProvider, fault: str
) -> None:
    task_id = await provider.imagine("a windmill")
    fake.fetch_faults.extend(failing_get(fault))
    with pytest.raises(ProviderError) as error:
        await provider.fetch(task_id)
    assert error.value.kind is ErrorKind.UNAVAILABLE
    assert (await provider.fetch(task_id)).task_id == task_id  # the next poll works


async def test_a_submit_fault_may_have_been_carried_out(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    fake.submit_faults.append("500")
    with pytest.raises(ProviderError) as error:
        await provider.imagine("a windmill")
    assert error.value.kind is ErrorKind.UNAVAILABLE and error.value.maybe_done


async def test_fetch_of_an_unknown_task_is_invalid(provider: ApimartProvider) -> None:
    with pytest.raises(ProviderError) as error:
        await provider.fetch("task_unknown")
    assert error.value.kind is ErrorKind.INVALID
    assert "not found" in error.value.detail


async def test_a_failed_task_is_failure_with_the_reason(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    task_id = await provider.imagine(f"a {FAIL_WORD} picture")
    done = await finish(provider, task_id)
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == fake.tasks[task_id].fail_reason != ""
    assert done.error_kind is ErrorKind.FAILED
    assert done.buttons == () and done.image_url is None


async def test_a_cancelled_task_is_failure(fake: FakeApimart, provider: ApimartProvider) -> None:
    fake.cancel_tasks = True
    done = await finish(provider, await provider.imagine("a cancelled dream"))
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == "task cancelled"


@pytest.mark.parametrize("as_list", [False, True])
async def test_the_fake_unified_query_gives_the_url_both_ways(
    fake: FakeApimart, provider: ApimartProvider, as_list: bool
) -> None:
    fake.unified_url_list = as_list
    done = await grid(provider)
    async with httpx.AsyncClient(base_url=fake.base_url) as client:
        answer = await client.get(
            f"/v1/tasks/{done.task_id}", headers={"Authorization": f"Bearer {fake.api_key}"}
        )
    data = answer.json()["data"]
    assert data["status"] == "completed" and data["progress"] == 100
    url = data["result"]["images"][0]["url"]
    assert url == ([done.image_url] if as_list else done.image_url)


# --- describe and blend ------------------------------------------------------------------


@pytest.mark.parametrize("fields", [("prompt", "description"), ("prompt",), ("description",)])
async def test_describe_sends_its_image_inline_and_reads_the_four_prompts(
    fake: FakeApimart, provider: ApimartProvider, fields: tuple[str, ...]
) -> None:
    fake.describe_fields = fields
    photo = jpeg("orange")
    task_id = await provider.describe(data_uri(photo), ref="job-1", hook="https://bot/h")

    assert isinstance(task_id, str)
    assert fake.submits == [
        ("/v1/midjourney/generations/describe", {"image_urls": [data_uri(photo)], "speed": "fast"})
    ]
    assert fake.images_received == [[photo]]
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.prompts == DESCRIBE_PROMPTS
    assert (done.image_url, done.image_urls, done.buttons) == (None, (), ())


@pytest.mark.parametrize(
    ("shape", "dimensions"), [("2:3", "PORTRAIT"), ("1:1", "SQUARE"), ("3:2", "LANDSCAPE")]
)
async def test_blend_sends_dimensions_and_gives_a_grid_with_buttons(
    fake: FakeApimart, provider: ApimartProvider, shape: str, dimensions: str
) -> None:
    photos = [jpeg("red"), jpeg("blue"), jpeg("green"), jpeg("white")]
    images = [data_uri(photo) for photo in photos]
    task_id = await provider.blend(images, shape, speed="turbo")

    path = "/v1/midjourney/generations/blend"
    assert fake.submits == [
        (path, {"image_urls": images, "dimensions": dimensions, "speed": "turbo"})
    ]
    assert fake.images_received == [photos]
    done = await finish(provider, task_id)
    task = fake.tasks[task_id]
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(task)
    assert done.image_urls == tuple(fake.tile_urls(task))
    assert [(b.action, b.index) for b in done.buttons] == GRID_BUTTONS
    assert done.prompts == ()
    upscale = await finish(provider, await provider.act(task_id, done.buttons[0]))
    assert upscale.state is TaskState.SUCCESS and upscale.image_url is not None


async def test_refused_describe_and_blend_images_are_invalid(
    fake: FakeApimart, provider: ApimartProvider
) -> None:
    photo = data_uri(jpeg("red"))
    not_an_image = "data:image/jpeg;base64," + "QUJD" * 8
    assert provider.max_blend_images == 4
    attempts = [
        provider.describe(not_an_image),
        provider.describe("https://elsewhere.example/cat.jpg"),  # the fake cannot fetch it
        provider.blend([photo], "1:1"),
        provider.blend([photo] * 5, "1:1"),
        provider.blend([photo, not_an_image], "1:1"),
        provider.blend([photo, photo], "16:9"),  # no such shape: nothing is sent
    ]
    for attempt in attempts:
        with pytest.raises(ProviderError) as error:
            await attempt
        assert error.value.kind is ErrorKind.INVALID
        assert not error.value.maybe_done
    assert fake.submits == []
    assert fake.images_received == [[None], [None], [jpeg("red"), None]]


# --- parsers on the documented JSON ------------------------------------------------------

DOC_SUBMIT = (
    '{"code":200,"data":[{"status":"submitted","task_id":"task_01KV52C0TEJSYZMCG0NCS4YWKK"}]}'
)
DOC_INPAINT = '{"task_id":"task_03_inpaint...","status":"modal","model":"midjourney"}'
DOC_WORKFLOW_INPAINT = '{"data":[{"task_id":"task_03_inpaint...","status":"modal"}]}'
DOC_RUNNING = (
    '{"id":"task_01KV52C0TEJSYZMCG0NCS4YWKK","status":"IN_PROGRESS","action":"IMAGINE",'
    '"progress":"45%","prompt":"a beautiful sunset over mountains"}'
)
DOC_SUCCESS = """{"id":"task_01KV52C0TEJSYZMCG0NCS4YWKK","status":"SUCCESS","action":"IMAGINE","progress":"100%",
 "grid_image_url":"https://cdn.apimart.ai/mj_xxxx.png",
 "image_urls":["https://cdn.apimart.ai/mj_xxxx_0.png","https://cdn.apimart.ai/mj_xxxx_1.png","https://cdn.apimart.ai/mj_xxxx_2.png","https://cdn.apimart.ai/mj_xxxx_3.png"],
 "buttons":[{"customId":"MJ::JOB::upsample::1::abc123def456","label":"U1"},{"customId":"MJ::JOB::variation::1::abc123def456","label":"V1"}],
 "prompt":"a beautiful sunset over mountains"}"""  # noqa: E501
DOC_FAILURE = (
    '{"id":"task_01KV52C0TEJSYZMCG0NCS4YWKK","status":"FAILURE","action":"PAN",'
    '"fail_reason":"invalid generation request"}'
)


DOC_DESCRIBE = """{"id":"task_xxx","status":"SUCCESS","action":"DESCRIBE","mode":"DESCRIBE",
 "prompt":"1️⃣ a serene mountain lake at sunrise --ar 3:2\\n2️⃣ mountain landscape with reflections --v 6.1\\n3️⃣ panoramic view of alpine lake --ar 16:9\\n4️⃣ dawn light over still water --s 250"}"""  # noqa: E501
DOC_DESCRIBE_PROMPTS = (
    "a serene mountain lake at sunrise --ar 3:2",
    "mountain landscape with reflections --v 6.1",
    "panoramic view of alpine lake --ar 16:9",
    "dawn light over still water --s 250",
)


# A video task: the query's fields as the video page lists them; values constructed.
VIDEO_TASK = """{"id":"task_01KV52C0TEJSYZMCG0NCS4YWKK","status":"SUCCESS","action":"VIDEO","progress":"100%",
 "video_url":"https://cdn.apimart.ai/mj_video_0.mp4",
 "video_urls":["https://cdn.apimart.ai/mj_video_0.mp4","https://cdn.apimart.ai/mj_video_1.mp4"],
 "buttons":[{"customId":"MJ::JOB::video_extend::1::abc","label":"Extend"}],
 "prompt":"a beautiful sunset over mountains"}"""  # noqa: E501


def test_a_video_task_gives_its_videos_and_no_buttons() -> None:
    snapshot = parse_task(json.loads(VIDEO_TASK))
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.video_urls == (
        "https://cdn.apimart.ai/mj_video_0.mp4",
        "https://cdn.apimart.ai/mj_video_1.mp4",
    )
    assert snapshot.buttons == ()
    alone = {"id": "t", "status": "SUCCESS", "action": "VIDEO", "video_url": "https://v/0.mp4"}
    assert parse_task(alone).video_urls == ("https://v/0.mp4",)
    listed = {"id": "t", "status": "SUCCESS", "action": "VIDEO", "video_urls": ["https://v/1.mp4"]}
    assert parse_task(listed).video_urls == ("https://v/1.mp4",)


def test_a_video_finished_without_any_video_is_a_failure() -> None:
    for odd in ({}, {"video_url": "javascript:x", "video_urls": [None, 4]}):
        snapshot = parse_task({"id": "t", "status": "SUCCESS", "action": "VIDEO", **odd})
        assert snapshot.state is TaskState.FAILURE and snapshot.error_kind is ErrorKind.FAILED
        assert snapshot.fail_reason == "the video finished without any video"
    running = parse_task({"id": "t", "status": "IN_PROGRESS", "action": "VIDEO"})
    assert running.state is TaskState.RUNNING


def test_submit_answers_in_every_documented_form() -> None:
    assert parse_submit(json.loads(DOC_SUBMIT)) == "task_01KV52C0TEJSYZMCG0NCS4YWKK"
    assert parse_submit(json.loads(DOC_INPAINT)) == "task_03_inpaint..."
    assert parse_submit(json.loads(DOC_WORKFLOW_INPAINT)) == "task_03_inpaint..."
    assert parse_submit({"code": 4, "description": "task_id is required for reroll"}) is None
    assert parse_submit({"code": 200, "data": []}) is None


def test_documented_running_task() -> None:
    snapshot = parse_task(json.loads(DOC_RUNNING))
    assert snapshot.state is TaskState.RUNNING and snapshot.progress == 45
    assert snapshot.image_url is None and snapshot.buttons == ()


def test_documented_success_task() -> None:
    snapshot = parse_task(json.loads(DOC_SUCCESS))
    assert snapshot.task_id == "task_01KV52C0TEJSYZMCG0NCS4YWKK"
    assert snapshot.state is TaskState.SUCCESS and snapshot.progress == 100
    assert snapshot.image_url == "https://cdn.apimart.ai/mj_xxxx.png"
    assert snapshot.image_urls[3] == "https://cdn.apimart.ai/mj_xxxx_3.png"
    assert snapshot.buttons == (
        Button(Action.UPSCALE, "MJ::JOB::upsample::1::abc123def456", 1, "U1"),
        Button(Action.VARIATION, "MJ::JOB::variation::1::abc123def456", 1, "V1"),
    )


def test_documented_failed_task() -> None:
    snapshot = parse_task(json.loads(DOC_FAILURE))
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.fail_reason == "invalid generation request"
    assert snapshot.error_kind is ErrorKind.FAILED


def test_documented_describe_task() -> None:
    snapshot = parse_task(json.loads(DOC_DESCRIBE))
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.prompts == DOC_DESCRIBE_PROMPTS
    assert snapshot.image_url is None


def test_describe_text_is_the_numbered_one_of_prompt_and_description() -> None:
    text = json.loads(DOC_DESCRIBE)["prompt"]
    echo = {"prompt": "https://cdn/input.png", "description": text}
    by_mode = {"mode": "DESCRIBE", "prompt": "", "description": text}
    for fields in (echo, by_mode):
        snapshot = parse_task({"id": "t", "status": "SUCCESS", "action": "DESCRIBE", **fields})
        assert snapshot.prompts == DOC_DESCRIBE_PROMPTS
    assert parse_task({"status": "SUCCESS", **by_mode}).prompts == DOC_DESCRIBE_PROMPTS
    unnumbered = {"id": "t", "status": "SUCCESS", "action": "DESCRIBE", "description": "a\nb"}
    assert parse_task(unnumbered).prompts == ("a", "b")


def test_describe_prompts_are_read_only_from_a_finished_describe() -> None:
    text = json.loads(DOC_DESCRIBE)["prompt"]
    running = parse_task({"id": "t", "status": "IN_PROGRESS", "action": "DESCRIBE", "prompt": text})
    assert running.state is TaskState.RUNNING and running.prompts == ()
    imagine = parse_task({"id": "t", "status": "SUCCESS", "action": "IMAGINE", "prompt": text})
    assert imagine.prompts == ()
    empty = parse_task({"id": "t", "status": "SUCCESS", "action": "DESCRIBE", "prompt": " "})
    assert empty.state is TaskState.FAILURE and empty.error_kind is ErrorKind.FAILED
    assert empty.fail_reason == "the describe finished without any prompt"


def test_an_upscale_posts_its_single_image_even_beside_a_grid() -> None:
    snapshot = parse_task(
        {
            "id": "task_2",
            "status": "SUCCESS",
            "action": "UPSCALE",
            "grid_image_url": "https://cdn/grid.png",
            "image_urls": ["https://cdn/one.png"],
        }
    )
    assert snapshot.image_url == "https://cdn/one.png" and snapshot.image_urls == ()


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("NOT_START", TaskState.QUEUED),
        ("SUBMITTED", TaskState.QUEUED),
        ("submitted", TaskState.QUEUED),
        ("MODAL", TaskState.MODAL),
        ("CANCEL", TaskState.FAILURE),
        ("SOMETHING_NEW", TaskState.RUNNING),
    ],
)
def test_statuses(status: str, state: TaskState) -> None:
    assert parse_task({"id": "t", "status": status}).state is state


@pytest.mark.parametrize(
    ("custom_id", "label", "action", "index"),
    [
        ("MJ::JOB::upsample::4::3785da15", "U4", Action.UPSCALE, 4),
        ("MJ::JOB::variation::2::3785da15", "V2", Action.VARIATION, 2),
        ("MJ::JOB::reroll::0::3785da15::SOLO", "", Action.REROLL, 0),
        ("MJ::JOB::high_variation::1::h::SOLO", "Vary (Strong)", Action.VARY_STRONG, 0),
        ("MJ::JOB::low_variation::1::h::SOLO", "Vary (Subtle)", Action.VARY_SUBTLE, 0),
        ("MJ::Inpaint::1::h::SOLO", "Vary (Region)", Action.VARY_REGION, 0),
        ("MJ::Outpaint::50::1::h::SOLO", "Zoom Out 2x", Action.ZOOM_OUT_2X, 0),
        ("MJ::Outpaint::75::1::h::SOLO", "Zoom Out 1.5x", Action.ZOOM_OUT_1_5X, 0),
        ("MJ::CustomZoom::h", "Custom Zoom", Action.ZOOM_CUSTOM, 0),
        ("MJ::JOB::pan_down::1::h::SOLO", "", Action.PAN_DOWN, 0),
        ("MJ::JOB::upsample_v6r1_2x_subtle::1::h::SOLO", "Upscale (Subtle)",
         Action.UPSCALE_SUBTLE, 0),
        ("MJ::JOB::upsample_v6_2x_creative::1::h::SOLO", "", Action.UPSCALE_CREATIVE, 0),
        ("MJ::JOB::upsample_v5_4x::1::h::SOLO", "Upscale (4x)", Action.UPSCALE_4X, 0),
        ("MJ::JOB::upsample_v7_2x_subtle::1::h::SOLO", "Redo Upscale (Subtle)",
         Action.REDO_UPSCALE_SUBTLE, 0),
        ("MJ::JOB::animate_high::1::h::SOLO", "Animate (High motion)", Action.ANIMATE_HIGH, 0),
        ("MJ::Outpaint::100::1::h::SOLO", "Make Square", Action.MAKE_SQUARE, 0),
        ("MJ::Something::new", "U3", Action.UPSCALE, 3),
        ("MJ::Something::new", "Surprise", Action.OTHER, 0),
    ],
)  # fmt: skip
def test_buttons_map_by_custom_id_then_label(
    custom_id: str, label: str, action: Action, index: int
) -> None:
    button = parse_button({"customId": custom_id, "label": label})
    assert (button.action, button.index, button.handle) == (action, index, custom_id)
    assert button.label == (label or action.value)


def test_error_bodies_in_every_shape() -> None:
    assert parse_error({"code": 4, "description": "task x is not in SUCCESS state"}) == (
        4,
        "task x is not in SUCCESS state",
    )
    assert parse_error({"code": 3, "message": "task x not found"}) == (3, "task x not found")
    assert parse_error({"error": {"message": "Invalid token"}}) == (None, "Invalid token")
    assert parse_error("Bad Gateway") == (None, "")


@pytest.mark.parametrize(
    ("status", "code", "message", "kind"),
    [
        (400, 4, "task_id is required for reroll", ErrorKind.INVALID),
        (404, 3, "task x not found", ErrorKind.INVALID),
        (502, 9, "Service rejected", ErrorKind.UNAVAILABLE),
        (400, 24, "", ErrorKind.MODERATION),
        (403, None, "insufficient quota", ErrorKind.BALANCE),
        (200, 4, "task x is not in SUCCESS state", ErrorKind.INVALID),
    ],
)
def test_error_kinds(status: int, code: int | None, message: str, kind: ErrorKind) -> None:
    assert error_kind(status, code, message) is kind

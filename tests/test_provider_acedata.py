"""Contract tests of the AceData Cloud adapter against its fake, and of its JSON parsing."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from bot.domain import Action, Button
from bot.flows.region import mask_png
from bot.providers.acedata import DEFAULT_CALLBACK_URL, AcedataProvider
from bot.providers.acedata_tasks import action_of, parse_task
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from tests.contract import finish
from tests.fakes.acedata import BALANCE_MESSAGE, MODERATION_MESSAGE, FakeAcedata
from tests.fakes.provider_base import DESCRIBE_PROMPTS, FAIL_WORD, REFUSED_WORD
from tests.test_image_prompts import jpeg

GRID = [
    (Action.UPSCALE, 1),
    (Action.UPSCALE, 2),
    (Action.UPSCALE, 3),
    (Action.UPSCALE, 4),
    (Action.REROLL, 0),
    (Action.VARIATION, 1),
    (Action.VARIATION, 2),
    (Action.VARIATION, 3),
    (Action.VARIATION, 4),
]
UPSCALED = [
    (Action.VARY_STRONG, "variation_strong"),
    (Action.VARY_SUBTLE, "variation_subtle"),
    (Action.VARY_REGION, "variation_region"),
    (Action.ZOOM_OUT_2X, "zoom_out_2x"),
    (Action.ZOOM_OUT_1_5X, "zoom_out_1_5x"),
    (Action.PAN_LEFT, "pan_left"),
    (Action.PAN_RIGHT, "pan_right"),
    (Action.PAN_UP, "pan_up"),
    (Action.PAN_DOWN, "pan_down"),
    (Action.UPSCALE_SUBTLE, "upscale_subtle"),
    (Action.UPSCALE_CREATIVE, "upscale_creative"),
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeAcedata]:
    server = FakeAcedata()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def provider(fake: FakeAcedata) -> AsyncIterator[AcedataProvider]:
    adapter = AcedataProvider(fake.base_url, fake.api_key, timeout=1.0)
    yield adapter
    await adapter.aclose()


async def grid(provider: AcedataProvider) -> TaskSnapshot:
    snapshot = await finish(provider, await provider.imagine("a cat"))
    assert snapshot.state is TaskState.SUCCESS
    return snapshot


async def upscaled(provider: AcedataProvider) -> TaskSnapshot:
    parent = await grid(provider)
    snapshot = await finish(provider, await provider.act(parent.task_id, parent.buttons[0]))
    assert snapshot.state is TaskState.SUCCESS
    return snapshot


# --- imagine, polling, buttons -----------------------------------------------------------


async def test_imagine_polls_to_a_grid_with_the_offered_buttons(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    task_id = await provider.imagine("a cat --ar 3:2")

    assert fake.submits == [
        (
            "/midjourney/imagine",
            {"prompt": "a cat --ar 3:2", "mode": "fast", "callback_url": DEFAULT_CALLBACK_URL},
        )
    ]
    first = await provider.fetch(task_id)
    assert first.state is TaskState.RUNNING
    done = await provider.fetch(task_id)
    assert fake.queries[-1] == {"id": task_id, "action": "retrieve"}
    assert done.state is TaskState.SUCCESS
    assert done.progress == 100
    task = fake.tasks[task_id]
    assert done.image_url == fake.image_url(task)  # the raw image, not the thumbnail
    assert done.image_urls == ()
    assert [(b.action, b.index) for b in done.buttons] == GRID
    image_id = task.extra["image_id"]
    assert [b.handle for b in done.buttons][:5] == [
        f"upscale1|{image_id}",
        f"upscale2|{image_id}",
        f"upscale3|{image_id}",
        f"upscale4|{image_id}",
        f"reroll|{image_id}",
    ]
    assert [b.label for b in done.buttons][5] == "variation1"


async def test_mode_and_callback_url_are_sent(fake: FakeAcedata) -> None:
    adapter = AcedataProvider(fake.base_url, fake.api_key, mode="relax")
    try:
        await adapter.imagine("a dog", hook="https://bot.example/provider/t1")
        await adapter.imagine("a cat")
    finally:
        await adapter.aclose()
    assert fake.submits[0][1]["mode"] == "relax"
    assert fake.submits[0][1]["callback_url"] == "https://bot.example/provider/t1"
    assert fake.submits[1][1]["callback_url"] == DEFAULT_CALLBACK_URL


async def test_progress_is_read_while_generating(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    fake.polls_to_finish = 4
    task_id = await provider.imagine("a cat")
    seen = [await provider.fetch(task_id) for _ in range(3)]
    task = fake.tasks[task_id]
    assert [s.state for s in seen] == [TaskState.RUNNING] * 3
    assert seen[-1].progress == fake.progress(task) > seen[0].progress > 0


@pytest.mark.parametrize("with_state", [False, True])
async def test_queued_running_done_with_and_without_state(
    fake: FakeAcedata, provider: AcedataProvider, with_state: bool
) -> None:
    fake.with_state = with_state
    task_id = await provider.imagine("a cat")
    before_any_poll = fake.render(fake.tasks[task_id])

    queued = parse_task(before_any_poll)
    running = await provider.fetch(task_id)
    done = await provider.fetch(task_id)

    assert "response" not in before_any_poll
    assert ("state" in before_any_poll) is with_state
    assert (queued.state, queued.progress) == (TaskState.QUEUED, 0)
    assert running.state is TaskState.RUNNING
    assert done.state is TaskState.SUCCESS
    assert len(done.buttons) == 9


@pytest.mark.parametrize("with_state", [False, True])
async def test_failure_with_and_without_state(
    fake: FakeAcedata, provider: AcedataProvider, with_state: bool
) -> None:
    fake.with_state = with_state
    snapshot = await finish(provider, await provider.imagine(f"a {FAIL_WORD} cat"))
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.fail_reason == "Task failed: the image could not be generated"


async def test_held_task_keeps_running_until_released(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    fake.hold = True
    task_id = await provider.imagine("a cat")
    for _ in range(3):
        assert (await provider.fetch(task_id)).state is TaskState.RUNNING
    fake.release()
    assert (await provider.fetch(task_id)).state is TaskState.SUCCESS


async def test_image_download_is_a_real_png(provider: AcedataProvider) -> None:
    snapshot = await grid(provider)
    assert snapshot.image_url is not None
    data = await provider.download(snapshot.image_url)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(data)).size == (512, 512)


# --- follow-ups --------------------------------------------------------------------------


@pytest.mark.parametrize("position", range(9))
async def test_grid_follow_up_reaches_imagine_with_action_and_image_id(
    fake: FakeAcedata, provider: AcedataProvider, position: int
) -> None:
    parent = await grid(provider)
    button = parent.buttons[position]
    image_id = fake.tasks[parent.task_id].extra["image_id"]

    child_id = await provider.act(parent.task_id, button)

    path, body = fake.submits[-1]
    assert path == "/midjourney/imagine"
    assert body == {
        "action": button.label,
        "image_id": image_id,
        "mode": "fast",
        "callback_url": DEFAULT_CALLBACK_URL,
    }
    child = fake.tasks[child_id]
    assert (child.kind, child.index, child.parent) == (
        button.action.value,
        button.index,
        parent.task_id,
    )


async def test_upscale_gives_one_image_and_the_upscaled_buttons(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    snapshot = await upscaled(provider)
    assert snapshot.image_url == fake.image_url(fake.tasks[snapshot.task_id])
    assert [(b.action, b.label) for b in snapshot.buttons] == UPSCALED
    assert all(b.index == 0 for b in snapshot.buttons)


@pytest.mark.parametrize("position", [0, 1, 3, 4, 5, 6, 7, 8, 9, 10])
async def test_upscaled_follow_up_reaches_imagine(
    fake: FakeAcedata, provider: AcedataProvider, position: int
) -> None:
    parent = await upscaled(provider)
    button = parent.buttons[position]

    child_id = await provider.act(parent.task_id, button)

    assert fake.submits[-1][1]["action"] == button.label
    assert fake.submits[-1][1]["image_id"] == fake.tasks[parent.task_id].extra["image_id"]
    assert fake.tasks[child_id].kind == button.action.value


async def test_v5_upscales_offer_and_run_2x_and_4x(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    fake.v5_upscales = True
    parent = await upscaled(provider)
    assert [b.action for b in parent.buttons][-2:] == [Action.UPSCALE_2X, Action.UPSCALE_4X]

    for button in parent.buttons[-2:]:
        child = fake.tasks[await provider.act(parent.task_id, button)]
        assert child.kind == button.action.value
    assert [body["action"] for _, body in fake.submits[-2:]] == ["upscale_2x", "upscale_4x"]


MASK = mask_png((256, 256), [1, 2, 5])


async def test_vary_region_sends_the_mask_as_bare_base64_with_the_prompt(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    assert Action.VARY_REGION in provider.inline_images
    parent = await upscaled(provider)
    region = parent.buttons[2]
    assert region.action is Action.VARY_REGION
    mask = data_uri(MASK, "image/png")

    child_id = await provider.act(parent.task_id, region, prompt="a red door", mask=mask)

    assert fake.submits[-1] == (
        "/midjourney/imagine",
        {
            "action": "variation_region",
            "image_id": fake.tasks[parent.task_id].extra["image_id"],
            "mask": base64.b64encode(MASK).decode(),
            "prompt": "a red door",
            "mode": "fast",
            "callback_url": DEFAULT_CALLBACK_URL,
        },
    )
    assert fake.masks_received == [MASK]
    child = fake.tasks[child_id]
    assert (child.kind, child.parent, child.prompt) == ("vary_region", parent.task_id, "a red door")
    done = await finish(provider, child_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(child)
    assert [(b.action, b.index) for b in done.buttons] == GRID


async def test_vary_region_without_a_prompt_keeps_the_parents(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    child_id = await provider.act(
        parent.task_id, parent.buttons[2], mask=data_uri(MASK, "image/png"), speed="relax"
    )
    body = fake.submits[-1][1]
    assert "prompt" not in body and body["mode"] == "relax"
    assert fake.tasks[child_id].prompt == "a cat"


@pytest.mark.parametrize(
    ("mask", "prompt", "kind"),
    [
        (None, "a red door", ErrorKind.INVALID),  # never sent
        ("data:image/png;base64," + "QUJD" * 8, "a red door", ErrorKind.INVALID),  # no image
        ("https://elsewhere.example/mask.png", "a red door", ErrorKind.INVALID),  # unreachable
        (data_uri(MASK, "image/png"), f"a {REFUSED_WORD} door", ErrorKind.MODERATION),
    ],
)
async def test_refused_regions_have_their_kind(
    fake: FakeAcedata, provider: AcedataProvider, mask: str | None, prompt: str, kind: ErrorKind
) -> None:
    parent = await upscaled(provider)
    before = len(fake.submits)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, parent.buttons[2], prompt=prompt, mask=mask)
    assert caught.value.kind is kind
    assert len(fake.submits) == before


async def test_vary_region_of_a_grid_is_refused(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await grid(provider)
    image_id = fake.tasks[parent.task_id].extra["image_id"]
    forged = Button(Action.VARY_REGION, f"variation_region|{image_id}")
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, forged, prompt="x", mask=data_uri(MASK, "image/png"))
    assert caught.value.kind is ErrorKind.INVALID and "bad_request" in caught.value.detail
    assert fake.masks_received == []


async def test_the_fake_takes_a_mask_in_base64_or_by_url_only(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    image_id = fake.tasks[parent.task_id].extra["image_id"]
    masks = [data_uri(MASK, "image/png"), None, fake.hosted(MASK)]
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(base_url=fake.base_url, headers=headers) as client:
        answers = [
            await client.post(
                "/midjourney/imagine",
                json={"action": "variation_region", "image_id": image_id, "mask": mask},
            )
            for mask in masks
        ]
    assert [answer.status_code for answer in answers] == [400, 400, 200]
    assert answers[0].json()["error"]["code"] == "bad_request"
    assert fake.masks_received == [MASK]


async def test_custom_zoom_is_unsupported(fake: FakeAcedata, provider: AcedataProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.act("t", Button(Action.ZOOM_CUSTOM, "zoom|1"), prompt="x --zoom 1.5")
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert fake.submits == []


async def test_action_not_offered_by_the_parent_is_refused(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await grid(provider)
    image_id = fake.tasks[parent.task_id].extra["image_id"]

    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, Button(Action.PAN_LEFT, f"pan_left|{image_id}"))

    assert caught.value.kind is ErrorKind.INVALID
    assert "bad_request" in caught.value.detail
    assert "HTTP 400" in caught.value.detail


async def test_follow_up_on_unfinished_parent_is_refused(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    task_id = await provider.imagine("a cat")
    image_id = fake.tasks[task_id].extra["image_id"]

    with pytest.raises(ProviderError) as caught:
        await provider.act(task_id, Button(Action.UPSCALE, f"upscale1|{image_id}", 1))

    assert caught.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == 1


# --- Animate ------------------------------------------------------------------------------

MP4_BRAND = b"ftypisom"
ANIMATE = [(Action.ANIMATE_LOW, "low"), (Action.ANIMATE_HIGH, "high")]


def test_animate_runs_on_the_bots_own_buttons(provider: AcedataProvider) -> None:
    assert Capability.VIDEO in provider.capabilities
    assert provider.supports(Action.ANIMATE_LOW) and provider.supports(Action.ANIMATE_HIGH)


@pytest.mark.parametrize(("action", "motion"), ANIMATE)
async def test_animate_posts_the_image_with_the_motion_in_the_prompt_and_gets_videos(
    fake: FakeAcedata, provider: AcedataProvider, action: Action, motion: str
) -> None:
    parent = await upscaled(provider)
    child_id = await provider.act(
        parent.task_id,
        Button(action, ""),
        prompt="a cat --ar 3:2 --motion low",
        image=parent.image_url,
    )

    assert fake.submits[-1] == (
        "/midjourney/videos",
        {
            "action": "generate",
            "image_url": parent.image_url,
            "prompt": f"a cat --motion {motion}",
            "mode": "fast",
            "callback_url": DEFAULT_CALLBACK_URL,
        },
    )
    child = fake.tasks[child_id]
    assert (child.kind, child.parent) == (f"animate_{motion}", parent.task_id)
    done = await finish(provider, child_id)
    assert fake.queries[-1] == {"id": child_id, "action": "retrieve"}
    assert done.state is TaskState.SUCCESS
    assert done.video_urls == tuple(fake.video_url(child, n) for n in range(4))
    assert done.image_url == parent.image_url  # the cover: the first frame
    assert done.buttons == ()
    assert (await provider.download(done.video_urls[0]))[4:12] == MP4_BRAND


@pytest.mark.parametrize(("speed", "mode"), [("relax", "fast"), ("turbo", "turbo")])
async def test_a_video_goes_to_the_hook_in_fast_or_turbo(
    fake: FakeAcedata, provider: AcedataProvider, speed: str, mode: str
) -> None:
    parent = await upscaled(provider)
    hook = "https://bot.example/provider/t1"
    await provider.act(
        parent.task_id,
        Button(Action.ANIMATE_HIGH, ""),
        image=parent.image_url,
        hook=hook,
        speed=speed,
    )
    body = fake.submits[-1][1]
    assert (body["mode"], body["callback_url"]) == (mode, hook)
    assert body["prompt"] == "--motion high"  # no prompt text: the motion alone


async def test_a_videos_callback_is_read_like_its_poll(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    button = Button(Action.ANIMATE_LOW, "")
    child_id = await provider.act(parent.task_id, button, prompt="a cat", image=parent.image_url)
    polled = await finish(provider, child_id)
    body = fake.callback_body(fake.tasks[child_id])
    assert provider.read_callback(json.dumps(body).encode()) == polled


async def test_no_video_is_asked_for_without_the_image(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    before = len(fake.submits)
    for image in (None, "", "data:image/png;base64,QUJD"):
        with pytest.raises(ProviderError) as caught:
            await provider.act(parent.task_id, Button(Action.ANIMATE_LOW, ""), image=image)
        assert caught.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == before


@pytest.mark.parametrize(
    ("prompt", "kind", "code"),
    [
        ("a cat", ErrorKind.INVALID, "bad_request"),  # a grid's image
        (f"a {REFUSED_WORD} cat", ErrorKind.MODERATION, "forbidden"),
    ],
)
async def test_refused_videos_have_their_kind(
    fake: FakeAcedata, provider: AcedataProvider, prompt: str, kind: ErrorKind, code: str
) -> None:
    parent = await upscaled(provider)
    image = parent.image_url if kind is ErrorKind.MODERATION else (await grid(provider)).image_url
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            parent.task_id, Button(Action.ANIMATE_HIGH, ""), prompt=prompt, image=image
        )
    assert caught.value.kind is kind and code in caught.value.detail
    assert not any(task.kind.startswith("animate") for task in fake.tasks.values())


async def test_a_video_that_fails_is_a_failure_with_the_reason(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    button = Button(Action.ANIMATE_HIGH, "")
    child_id = await provider.act(parent.task_id, button, prompt=FAIL_WORD, image=parent.image_url)
    done = await finish(provider, child_id)
    assert done.state is TaskState.FAILURE and done.video_urls == ()
    assert done.fail_reason == fake.tasks[child_id].fail_reason


async def test_the_fake_videos_route_checks_its_body(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    parent = await upscaled(provider)
    image = parent.image_url
    bodies = [
        {"prompt": "a cat"},  # no image
        {"image_url": "https://elsewhere.example/cat.png"},  # not reachable
        {"image_url": image, "action": "extend", "video_id": "1"},  # not modelled
        {"image_url": image, "mode": "relax"},
        {"image_url": image, "resolution": "1080p"},
        {"image_url": image, "prompt": "a cat --motion wild"},
    ]
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with httpx.AsyncClient(base_url=fake.base_url, headers=headers) as client:
        answers = [await client.post("/midjourney/videos", json=body) for body in bodies]
        plain = await client.post("/midjourney/videos", json={"image_url": image})
    assert [answer.status_code for answer in answers] == [400] * len(bodies)
    assert {answer.json()["error"]["code"] for answer in answers} == {"bad_request"}
    video = fake.tasks[plain.json()["task_id"]]
    assert video.kind == "animate_low"  # no --motion: Midjourney's default
    assert (await finish(provider, video.id)).state is TaskState.SUCCESS
    forged = Button(Action.UPSCALE, f"upscale1|{video.extra['image_id']}", 1)
    with pytest.raises(ProviderError) as caught:  # a video offers no follow-up
        await provider.act(video.id, forged)
    assert caught.value.kind is ErrorKind.INVALID and "not allowed" in caught.value.detail


PLAIN = [("grid", n) for n in range(9)] + [("upscaled", n) for n in (0, 1, *range(3, 11))]


@pytest.mark.parametrize(("parent_kind", "position"), PLAIN)
async def test_an_image_given_to_a_plain_follow_up_changes_nothing(
    fake: FakeAcedata, provider: AcedataProvider, parent_kind: str, position: int
) -> None:
    parent = await (grid(provider) if parent_kind == "grid" else upscaled(provider))
    button = parent.buttons[position]
    await provider.act(parent.task_id, button)
    await provider.act(parent.task_id, button, image=parent.image_url)
    assert fake.submits[-1] == fake.submits[-2]


# --- batch fetch -------------------------------------------------------------------------


async def test_fetch_many_uses_one_batch_query_and_leaves_unknown_ids_out(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    assert Capability.BATCH_FETCH in provider.capabilities and provider.batch_size > 1
    ids = [await provider.imagine(f"cat {n}") for n in range(3)]
    unknown = "00000000-0000-4000-8000-0000000000ff"

    snapshots = await provider.fetch_many([*ids, unknown])

    assert fake.queries == [{"ids": [*ids, unknown], "action": "retrieve_batch"}]
    assert [s.task_id for s in snapshots] == ids
    assert all(s.state is TaskState.RUNNING for s in snapshots)


async def test_fetch_many_splits_into_batches(fake: FakeAcedata, provider: AcedataProvider) -> None:
    ids = [await provider.imagine(f"cat {n}") for n in range(provider.batch_size + 1)]

    snapshots = await provider.fetch_many(ids)

    assert [len(q["ids"]) for q in fake.queries] == [provider.batch_size, 1]
    assert [s.task_id for s in snapshots] == ids


async def test_unknown_task_is_invalid(provider: AcedataProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.fetch("00000000-0000-4000-8000-0000000000ff")
    assert caught.value.kind is ErrorKind.INVALID


# --- failures and errors -----------------------------------------------------------------


async def test_failed_task_gives_failure_with_reason(provider: AcedataProvider) -> None:
    snapshot = await finish(provider, await provider.imagine(f"a {FAIL_WORD} cat"))
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.fail_reason == "Task failed: the image could not be generated"
    assert snapshot.error_kind is ErrorKind.FAILED
    assert snapshot.buttons == ()


async def test_refused_prompt_is_moderation(fake: FakeAcedata, provider: AcedataProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.imagine(f"a {REFUSED_WORD} cat")
    assert caught.value.kind is ErrorKind.MODERATION
    assert MODERATION_MESSAGE in caught.value.detail
    assert "HTTP 403" in caught.value.detail
    assert fake.tasks == {}


@pytest.mark.parametrize("success_field", [False, True])
@pytest.mark.parametrize(
    ("error", "kind", "maybe_done"),
    [
        ("auth", ErrorKind.AUTH, False),
        ("no_token", ErrorKind.AUTH, False),
        ("token_mismatched", ErrorKind.AUTH, False),
        ("balance", ErrorKind.BALANCE, False),
        ("moderation", ErrorKind.MODERATION, False),
        ("invalid", ErrorKind.INVALID, False),
        ("api_not_implemented", ErrorKind.INVALID, False),
        ("rate_limited", ErrorKind.RATE_LIMITED, False),
        ("unavailable", ErrorKind.UNAVAILABLE, True),
        ("timeout", ErrorKind.UNAVAILABLE, True),
    ],
)
async def test_submit_errors_have_the_right_kind(
    fake: FakeAcedata,
    provider: AcedataProvider,
    error: str,
    kind: ErrorKind,
    maybe_done: bool,
    success_field: bool,
) -> None:
    fake.error_success_field = success_field
    fake.submit_errors = [error]

    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")

    assert caught.value.kind is kind
    assert caught.value.maybe_done is maybe_done
    assert "trace_id" in caught.value.detail
    assert fake.api_key not in caught.value.detail


async def test_balance_error_keeps_the_providers_message(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    fake.submit_errors = ["balance"]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert BALANCE_MESSAGE in caught.value.detail
    assert "forbidden" in caught.value.detail


async def test_wrong_key_is_auth(fake: FakeAcedata) -> None:
    adapter = AcedataProvider(fake.base_url, "wrong-key", timeout=1.0)
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.imagine("a cat")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.AUTH
    assert "invalid_token" in caught.value.detail
    assert "wrong-key" not in caught.value.detail


async def test_rate_limited_submit(fake: FakeAcedata, provider: AcedataProvider) -> None:
    fake.submit_faults = ["429"]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind.RATE_LIMITED


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_fetch_faults_are_unavailable(
    fake: FakeAcedata, provider: AcedataProvider, fault: str
) -> None:
    task_id = await provider.imagine("a cat")
    fake.fetch_faults = [fault]

    with pytest.raises(ProviderError) as caught:
        await provider.fetch(task_id)

    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert (await provider.fetch(task_id)).state is TaskState.RUNNING


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_submit_faults_are_unavailable_and_maybe_done(
    fake: FakeAcedata, provider: AcedataProvider, fault: str
) -> None:
    fake.submit_faults = [fault]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.maybe_done


# --- describe and blend ------------------------------------------------------------------


async def test_describe_answers_at_once_with_the_four_prompts(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    photo = jpeg("orange")
    url = fake.hosted(photo)
    snapshot = await provider.describe(url, ref="job-1", hook="https://bot/h", speed="relax")

    assert snapshot == TaskSnapshot("describe", TaskState.SUCCESS, 100, prompts=DESCRIBE_PROMPTS)
    assert fake.submits == [("/midjourney/describe", {"image_url": url})]  # nothing else
    assert fake.images_received == [[photo]]
    assert Action.DESCRIBE not in provider.inline_images


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("invalid", ErrorKind.INVALID),
        ("auth", ErrorKind.AUTH),
        ("rate_limited", ErrorKind.RATE_LIMITED),
    ],
)
async def test_describe_errors_have_their_kind(
    fake: FakeAcedata, provider: AcedataProvider, error: str, kind: ErrorKind
) -> None:
    fake.submit_errors = [error]
    with pytest.raises(ProviderError) as caught:
        await provider.describe(fake.hosted(jpeg("red")))
    assert caught.value.kind is kind
    assert fake.submits == []


async def test_describe_of_what_is_not_an_image_is_invalid(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    for url in (fake.hosted(b"<html>not an image</html>"), f"{fake.url}/hosted/missing.jpg"):
        with pytest.raises(ProviderError) as caught:
            await provider.describe(url)
        assert caught.value.kind is ErrorKind.INVALID
        assert "bad_request" in caught.value.detail
    assert fake.images_received == [[None], [None]]
    assert fake.submits == []


@pytest.mark.parametrize("shape", ["2:3", "1:1", "3:2"])
async def test_blend_is_an_imagine_whose_prompt_starts_with_the_urls(
    fake: FakeAcedata, provider: AcedataProvider, shape: str
) -> None:
    photos = [jpeg(colour) for colour in ("red", "green", "blue", "white", "black")]
    urls = [fake.hosted(photo) for photo in photos]
    task_id = await provider.blend(urls, shape, hook="https://bot/h", speed="turbo")

    prompt = f"{' '.join(urls)} --ar {shape}"
    body = {"prompt": prompt, "mode": "turbo", "callback_url": "https://bot/h"}
    assert fake.submits == [("/midjourney/imagine", body)]
    assert fake.images_received == [photos]
    assert provider.max_blend_images == 5 and Action.BLEND not in provider.inline_images
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(fake.tasks[task_id])
    assert [(b.action, b.index) for b in done.buttons] == GRID


async def test_blend_refusals_are_invalid(fake: FakeAcedata, provider: AcedataProvider) -> None:
    image = fake.hosted(jpeg("red"))
    for images, shape in (([image, f"{fake.url}/hosted/missing.jpg"], "1:1"), ([image] * 2, "4:3")):
        with pytest.raises(ProviderError) as caught:
            await provider.blend(images, shape)
        assert caught.value.kind is ErrorKind.INVALID
    assert fake.images_received == [[jpeg("red"), None]]  # the unknown shape is never sent
    assert fake.submits == []


@pytest.mark.parametrize(
    ("prompt", "translation"),
    [
        ("a cat --ar 3:2", None),
        ("кот на крыше --ar 3:2", True),
        ("一只猫", True),
        ("고양이 --v 7", True),
        ("un chat éveillé", True),
        ("a café --no café", True),
        ("a cat --no café", None),  # only the words count, not the parameters
    ],
)
async def test_a_prompt_not_in_english_asks_for_translation(
    fake: FakeAcedata, provider: AcedataProvider, prompt: str, translation: bool | None
) -> None:
    await provider.imagine(prompt)
    ((_, body),) = fake.submits
    assert body.get("translation") is translation and body["prompt"] == prompt


async def test_a_plain_imagine_fetches_no_image(
    fake: FakeAcedata, provider: AcedataProvider
) -> None:
    await provider.imagine("a cat looking at https://example.org/cat.jpg")
    assert fake.images_received == []


# --- parsing the documented examples (providers.md §2.11, verbatim) ----------------------

ASYNC_SUBMIT = '{"task_id":"b726a27a-f379-4d91-b569-cfe4b7b299ee"}'
PENDING = """{"id":"7489df4c-ef03-4de0-b598-e9a590793434","type":"imagine","created_at":1720364607.967,
 "request":{"mode":"fast","prompt":"A cat sitting on a table","action":"generate","callback_url":"https://example.org/hook"}}"""  # noqa: E501
SUCCESS = """{"_id":"668aae3f550a4144a540803b","id":"7489df4c-ef03-4de0-b598-e9a590793434","type":"imagine",
 "request":{"mode":"fast","prompt":"A cat sitting on a table","action":"generate"},
 "image_id":"1259525319472185344","job_id":"da317da6-f500-48e6-bf32-dd48b3e6f84f",
 "response":{"image_url":"https://platform.cdn.acedata.cloud/midjourney/7489df4c-ef03-4de0-b598-e9a590793434.png?imageMogr2/thumbnail/!50p",
   "image_width":1024,"image_height":1024,
   "actions":["upscale1","upscale2","upscale3","upscale4","reroll","variation1","variation2","variation3","variation4"],
   "raw_image_url":"https://platform.cdn.acedata.cloud/midjourney/7489df4c-ef03-4de0-b598-e9a590793434.png",
   "raw_image_width":2048,"raw_image_height":2048,"progress":100,"image_id":"1259525319472185344",
   "task_id":"7489df4c-ef03-4de0-b598-e9a590793434","success":true},
 "duration":29.437,"finished_at":1720364637.404}"""  # noqa: E501
FAILURE_CALLBACK = """{"success":false,"task_id":"7ba0feaf-d20b-4c22-a35a-31ec30fc7715","error":{"code":"bad_request","message":"Unrecognized argument(s): `-c`, `x`"}}"""  # noqa: E501
SYNC_ERROR = """{"error":{"code":"forbidden","message":"Sorry! Our Al moderators feel your prompt might be against our community standards."},"trace_id":"2efa9340-b21b-4e26-9e14-4aac95f343ab"}"""  # noqa: E501


def test_parse_pending_example_is_queued() -> None:
    snapshot = parse_task(json.loads(PENDING))
    assert snapshot == TaskSnapshot("7489df4c-ef03-4de0-b598-e9a590793434", TaskState.QUEUED)


def test_parse_success_example() -> None:
    snapshot = parse_task(json.loads(SUCCESS))
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.image_url == (
        "https://platform.cdn.acedata.cloud/midjourney/7489df4c-ef03-4de0-b598-e9a590793434.png"
    )
    assert [(b.action, b.index) for b in snapshot.buttons] == GRID
    assert snapshot.buttons[4] == Button(Action.REROLL, "reroll|1259525319472185344", 0, "reroll")


def test_parse_failure_example_as_a_task_response() -> None:
    task = {"id": "7ba0feaf-d20b-4c22-a35a-31ec30fc7715", "response": json.loads(FAILURE_CALLBACK)}
    snapshot = parse_task(task)
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.fail_reason == "Unrecognized argument(s): `-c`, `x`"
    assert snapshot.error_kind is ErrorKind.INVALID


# The OpenAPI example answer of /midjourney/describe.
DESCRIBE_ANSWER = """{"descriptions":["a gold sailboat on the ocean with lots of coins on it, in the style of stark visuals, animated gifs, flowing silhouettes, provia, personal iconography, ramses younan, firecore --ar 75:3",
 "the sailboat sails through a cluster of gold coins, in the style of chillwave, flowing silhouettes, tenebrism mastery, narrative-driven visual storytelling, sketchfab, havencore, creative commons attribution --ar 75:3",
 "an image of a boat sailing through gold coins, in the style of sketchfab, flowing silhouettes, 32k uhd, martiros saryan, reefwave, personal iconography, animated gifs --ar 75:3",
 "a boat floating in waters of gold coin bubbles, in the style of stark visuals, hand-drawn animation, scoutcore, hurufiyya, sketchfab, luminous shadows, money themed --ar 75:3"]}"""  # noqa: E501


def canned(status: int, body: str) -> AcedataProvider:
    """An adapter whose every request gets `body` (no server involved)."""
    adapter = AcedataProvider("https://api.acedata.cloud", "canned-key")
    transport = httpx.MockTransport(lambda _request: httpx.Response(status, text=body))
    adapter.http = httpx.AsyncClient(base_url=adapter.base_url, transport=transport)
    return adapter


async def test_async_submit_example_gives_the_task_id() -> None:
    adapter = canned(200, ASYNC_SUBMIT)
    try:
        assert await adapter.imagine("a cat") == "b726a27a-f379-4d91-b569-cfe4b7b299ee"
    finally:
        await adapter.aclose()


async def test_sync_error_example_is_moderation() -> None:
    adapter = canned(403, SYNC_ERROR)
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.imagine("a cat")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.MODERATION
    assert not caught.value.maybe_done
    assert "2efa9340-b21b-4e26-9e14-4aac95f343ab" in caught.value.detail


async def test_error_with_success_false_in_a_200_answer() -> None:
    adapter = canned(200, '{"success":false,' + SYNC_ERROR[1:])
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.imagine("a cat")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.MODERATION


async def test_describe_example_gives_its_descriptions_in_order() -> None:
    adapter = canned(200, DESCRIBE_ANSWER)
    try:
        snapshot = await adapter.describe("https://cdn.example/boat.png")
    finally:
        await adapter.aclose()
    assert snapshot.prompts == tuple(json.loads(DESCRIBE_ANSWER)["descriptions"])
    assert snapshot.task_id == "describe"


async def test_numbered_descriptions_lose_their_numbers() -> None:
    numbered = [f"{n}\ufe0f\u20e3 {prompt}" for n, prompt in enumerate(DESCRIBE_PROMPTS, 1)]
    adapter = canned(200, json.dumps({"descriptions": numbered, "task_id": "d-1"}))
    try:
        snapshot = await adapter.describe("https://cdn.example/fox.png")
    finally:
        await adapter.aclose()
    assert (snapshot.task_id, snapshot.prompts) == ("d-1", DESCRIBE_PROMPTS)


@pytest.mark.parametrize("body", ['{"descriptions": []}', '{"descriptions": "a fox"}', "{}"])
async def test_describe_without_descriptions_is_unexpected(body: str) -> None:
    adapter = canned(200, body)
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.describe("https://cdn.example/fox.png")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.UNAVAILABLE and caught.value.maybe_done


async def test_empty_task_answer_is_invalid() -> None:
    adapter = canned(200, "{}")
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.fetch("t")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.INVALID


# The videos guide's result (the same in its sync answer and its callback), verbatim.
VIDEO_RESULT = """{"image_url": "https://storage.fonedis.cc/upload_1751816808164156352.png",
  "image_width": 560, "image_height": 688, "progress": 100, "video_id": "1751816807896311",
  "video_urls": [
    "https://storage.fonedis.cc//video/1c67c36c-8177-4f19-ad72-1dc1567265a6/0_0.mp4",
    "https://storage.fonedis.cc//video/1c67c36c-8177-4f19-ad72-1dc1567265a6/0_1.mp4",
    "https://storage.fonedis.cc//video/1c67c36c-8177-4f19-ad72-1dc1567265a6/0_2.mp4",
    "https://storage.fonedis.cc//video/1c67c36c-8177-4f19-ad72-1dc1567265a6/0_3.mp4"],
  "task_id": "037955e0-deee-4050-baa8-1416300d67e2", "success": true}"""


def test_the_guides_video_result_gives_four_videos_and_the_cover() -> None:
    result = json.loads(VIDEO_RESULT)
    for task in (
        {"id": "t", "type": "videos", "response": result},
        {"id": "t", "response": result},
    ):
        snapshot = parse_task(task)
        assert snapshot.state is TaskState.SUCCESS and snapshot.progress == 100
        assert snapshot.video_urls == tuple(result["video_urls"])
        assert snapshot.image_url == result["image_url"]
        assert snapshot.buttons == ()


def test_a_video_finished_without_any_video_is_a_failure() -> None:
    cover = {"success": True, "progress": 100, "image_url": "https://x/cover.png"}
    for task in (
        {"id": "t", "type": "videos", "response": cover},
        {"id": "t", "response": {**cover, "video_urls": ["ftp://x/0.mp4", 7]}},
    ):
        snapshot = parse_task(task)
        assert snapshot.state is TaskState.FAILURE and snapshot.error_kind is ErrorKind.FAILED
        assert snapshot.fail_reason == "the video finished without any video"


def test_running_response_with_success_is_finished_only_at_100() -> None:
    running = {"id": "t", "response": {"success": True, "progress": 45, "actions": []}}
    assert (parse_task(running).state, parse_task(running).progress) == (TaskState.RUNNING, 45)


def test_state_values() -> None:
    assert parse_task({"id": "t", "state": "pending"}).state is TaskState.QUEUED
    assert parse_task({"id": "t", "state": "generating"}).state is TaskState.RUNNING
    assert parse_task({"id": "t", "state": "something_new"}).state is TaskState.RUNNING
    cancelled = parse_task({"id": "t", "state": "cancelled"})
    assert (cancelled.state, cancelled.fail_reason) == (TaskState.FAILURE, "task cancelled")


def test_finished_without_image_is_a_failure() -> None:
    snapshot = parse_task({"id": "t", "state": "finished", "response": {"progress": 100}})
    assert snapshot.state is TaskState.FAILURE


def test_tiles_come_from_sub_image_urls() -> None:
    response = json.loads(SUCCESS)["response"]
    response["sub_image_urls"] = ["https://x/1.png", "https://x/2.png"]
    snapshot = parse_task({"id": "t", "response": response})
    assert snapshot.image_urls == ("https://x/1.png", "https://x/2.png")


def test_forbidden_failure_kinds_follow_the_message() -> None:
    def kind(code: str, message: str) -> ErrorKind | None:
        response = {"success": False, "error": {"code": code, "message": message}}
        return parse_task({"id": "t", "response": response}).error_kind

    assert kind("forbidden", MODERATION_MESSAGE) is ErrorKind.MODERATION
    assert kind("forbidden", "Your quota is used up") is ErrorKind.BALANCE
    assert kind("task_failed", "Midjourney is unavailable") is ErrorKind.FAILED


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("upscale3", (Action.UPSCALE, 3)),
        ("variation2", (Action.VARIATION, 2)),
        ("upscale_2x", (Action.UPSCALE_2X, 0)),
        ("variation_strong", (Action.VARY_STRONG, 0)),
        ("zoom_out_1_5x", (Action.ZOOM_OUT_1_5X, 0)),
        ("square", (Action.MAKE_SQUARE, 0)),
        ("redo_upscale_4x", (Action.REDO_UPSCALE_4X, 0)),
        ("animate_fast", (Action.OTHER, 0)),
        ("upscale5", (Action.OTHER, 0)),
    ],
)
def test_action_names(name: str, expected: tuple[Action, int]) -> None:
    assert action_of(name) == expected

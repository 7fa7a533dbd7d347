"""Contract tests of the GPTunnel adapter against its fake, and of its parsing on the
documented JSON (providers.md §5.3, §5.5, §5.8)."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image

from bot.domain import Action, Button
from bot.flows.region import mask_png
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.gptunnel import (
    GptunnelProvider,
    error_kind,
    follow_up_request,
    parse_buttons,
    parse_state,
    parse_task,
)
from bot.providers.tasks import TaskSnapshot, TaskState
from tests.contract import finish
from tests.fakes.gptunnel import FakeGptunnel
from tests.fakes.provider_base import FAIL_WORD, REFUSED_WORD, failing_get
from tests.test_image_prompts import jpeg

# --- the documented examples, verbatim -------------------------------------------------

SUBMIT_DOC: dict[str, Any] = {
    "id": "65589df803761c00010775ae",
    "parentId": None,
    "object": "task",
    "type": "imagine",
    "actions": [],
    "percent": 0,
    "status": "idle",
    "result": None,
    "error": None,
    "usage": {
        "prompt_tokens": 0,
        "completion_tokens": 1,
        "total_tokens": 1,
        "prompt_cost": 0,
        "completion_cost": 18,
        "total_cost": 18,
    },
}
SUCCESS_DOC: dict[str, Any] = {
    "id": "65589df803761c00010775ae",
    "parentId": None,
    "object": "task",
    "type": "imagine",
    "actions": [
        "upsamle_1",
        "upsamle_2",
        "upsamle_3",
        "upsamle_4",
        "reroll",
        "variation_1",
        "variation_2",
        "variation_4",
        "variation_4",
    ],
    "percent": 100,
    "status": "done",
    "result": "https://gptunnel.ru/task/image/65589df803761c00010775ae?cache=100",
    "error": None,
    "usage": {
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "total_tokens": 0,
        "prompt_cost": 0,
        "completion_cost": 0,
        "total_cost": 0,
    },
}
PROGRESS_EXAMPLE: dict[str, Any] = {  # status value is an INFERENCE, the rest per doc
    "id": "65589df803761c00010775ae",
    "parentId": None,
    "object": "task",
    "type": "imagine",
    "actions": [],
    "percent": 45,
    "status": "processing",
    "result": "https://gptunnel.ru/task/image/65589df803761c00010775ae?cache=45",
    "error": None,
    "usage": {
        "prompt_tokens": 0,
        "completion_tokens": 1,
        "total_tokens": 1,
        "prompt_cost": 0,
        "completion_cost": 18,
        "total_cost": 18,
    },
}
BALANCE_DOC = {
    "error": {
        "message": "Organization balance is too low to use API",
        "type": "insufficient_balance_error",
        "param": None,
        "code": None,
    }
}
UNAUTHORIZED_DOC = {
    "error": {
        "message": "Unauthorized",
        "type": "unauthorized_request_error",
        "param": None,
        "code": None,
    }
}
PROMPT_REQUIRED_DOC = {
    "error": {
        "message": "'prompt' is a required property",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
}

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


UPSCALED = [(Action.VARY_STRONG, 0), (Action.VARY_SUBTLE, 0), (Action.VARY_REGION, 0)]
MASK = mask_png((256, 256), [11, 16])


def kinds(snapshot: TaskSnapshot) -> list[tuple[Action, int]]:
    return [(b.action, b.index) for b in snapshot.buttons]


def button(snapshot: TaskSnapshot, action: Action, index: int = 0) -> Button:
    return next(b for b in snapshot.buttons if b.action is action and b.index == index)


# --- unit tests on the documented JSON ---------------------------------------------------


def test_submit_example_is_queued() -> None:
    snapshot = parse_task(SUBMIT_DOC)
    assert snapshot == TaskSnapshot("65589df803761c00010775ae", TaskState.QUEUED)


def test_success_example_keeps_offered_buttons_once() -> None:
    snapshot = parse_task(SUCCESS_DOC)
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.progress == 100
    assert snapshot.image_url == SUCCESS_DOC["result"]
    assert snapshot.image_urls == ()
    assert kinds(snapshot) == [k for k in GRID if k != (Action.VARIATION, 3)]
    assert [b.handle for b in snapshot.buttons] == SUCCESS_DOC["actions"][:-1]
    assert button(snapshot, Action.UPSCALE, 2).label == "upsamle_2"


def test_progress_example_is_running() -> None:
    snapshot = parse_task(PROGRESS_EXAMPLE)
    assert (snapshot.state, snapshot.progress) == (TaskState.RUNNING, 45)
    assert snapshot.fail_reason is None


@pytest.mark.parametrize(
    ("status", "error", "state"),
    [
        ("idle", None, TaskState.QUEUED),
        ("processing", None, TaskState.RUNNING),
        ("something-new", None, TaskState.RUNNING),
        (None, None, TaskState.RUNNING),
        ("done", None, TaskState.SUCCESS),
        ("failed", None, TaskState.FAILURE),
        ("done", {"message": "boom"}, TaskState.FAILURE),
        ("processing", "boom", TaskState.FAILURE),
    ],
)
def test_status_mapping(status: str | None, error: Any, state: TaskState) -> None:
    assert parse_state(status, error) is state


@pytest.mark.parametrize(
    ("error", "reason", "kind"),
    [
        ({"message": "Job failed"}, "Job failed", ErrorKind.FAILED),
        ("Banned prompt detected", "Banned prompt detected", ErrorKind.MODERATION),
        (None, "status failed", ErrorKind.FAILED),
    ],
)
def test_failed_task_reason(error: Any, reason: str, kind: ErrorKind) -> None:
    snapshot = parse_task({**SUBMIT_DOC, "status": "failed", "error": error})
    assert (snapshot.state, snapshot.fail_reason, snapshot.error_kind) == (
        TaskState.FAILURE,
        reason,
        kind,
    )


def test_buttons_both_spellings_post_upscale_and_unknown() -> None:
    actions = ["upsample_1", "upsamle_1", "high_variation", "low_variation", "inpaint"]
    buttons = parse_buttons([*actions, "pan_left", 7])
    assert buttons == (
        Button(Action.UPSCALE, "upsample_1", 1, "upsample_1"),
        Button(Action.VARY_STRONG, "high_variation", 0, "high_variation"),
        Button(Action.VARY_SUBTLE, "low_variation", 0, "low_variation"),
        Button(Action.VARY_REGION, "inpaint", 0, "inpaint"),
        Button(Action.OTHER, "pan_left", 0, "pan_left"),
    )
    assert parse_buttons(["upsamle_5"])[0].action is Action.OTHER
    assert parse_buttons(None) == ()


MODERATION_400 = {"error": {"message": "Banned prompt", "type": "invalid_request_error"}}
RATE_429 = {"error": {"message": "slow down", "type": "rate_limit_error"}}
SERVER_500 = {"error": {"message": "oops", "type": "server_error"}}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, UNAUTHORIZED_DOC, ErrorKind.AUTH),
        (402, BALANCE_DOC, ErrorKind.BALANCE),
        (400, PROMPT_REQUIRED_DOC, ErrorKind.INVALID),
        (400, MODERATION_400, ErrorKind.MODERATION),
        (429, RATE_429, ErrorKind.RATE_LIMITED),
        (500, SERVER_500, ErrorKind.UNAVAILABLE),
    ],
)
def test_error_kind(status: int, body: dict[str, Any], kind: ErrorKind) -> None:
    assert error_kind(status, body["error"]["type"], body["error"]["message"]) is kind


def test_error_detail_names_the_answer() -> None:
    provider = GptunnelProvider("http://127.0.0.1:9", "sk-secret")
    body = {"error": {"message": "Unauthorized", "type": "unauthorized_request_error"}}
    error = provider.error_from(401, body, "POST /v1/midjourney/imagine")
    assert error.kind is ErrorKind.AUTH
    assert "401" in error.detail and "unauthorized_request_error" in error.detail


def test_success_status_without_a_task_may_have_been_done() -> None:
    provider = GptunnelProvider("http://127.0.0.1:9", "k")
    error = provider.error_from(200, {"ok": True}, "POST /v1/midjourney/imagine")
    assert (error.kind, error.maybe_done) == (ErrorKind.UNAVAILABLE, True)
    assert "HTTP 200" in error.detail


@pytest.mark.parametrize(
    ("action", "index", "path", "body"),
    [
        (Action.UPSCALE, 3, "/v1/midjourney/upsample", {"taskId": "t", "image": 3}),
        (Action.VARIATION, 2, "/v1/midjourney/variation", {"taskId": "t", "image": 2}),
        (Action.VARY_STRONG, 0, "/v1/midjourney/variation", {"taskId": "t", "mode": "high"}),
        (Action.VARY_SUBTLE, 0, "/v1/midjourney/variation", {"taskId": "t", "mode": "low"}),
        (Action.REROLL, 0, "/v1/midjourney/reroll", {"taskId": "t"}),
    ],
)
def test_follow_up_request(action: Action, index: int, path: str, body: dict[str, Any]) -> None:
    assert follow_up_request("t", Button(action, "h", index)) == (path, body)


@pytest.mark.parametrize("action", [Action.ZOOM_OUT_2X, Action.ZOOM_CUSTOM, Action.OTHER])
def test_follow_up_unsupported(action: Action) -> None:
    with pytest.raises(ProviderError) as caught:
        follow_up_request("t", Button(action, "x"))
    assert caught.value.kind is ErrorKind.UNSUPPORTED


@pytest.mark.parametrize(
    ("prompt", "mask", "body"),
    [
        ("a red door", "data:image/png;base64,QUJD", {"mask": "QUJD", "prompt": "a red door"}),
        (None, "QUJD", {"mask": "QUJD"}),  # bare already; no prompt: the original's
        ("", "data:image/png;base64,QUJD", {"mask": "QUJD"}),
    ],
)
def test_region_request(prompt: str | None, mask: str, body: dict[str, str]) -> None:
    region = Button(Action.VARY_REGION, "inpaint")
    path, sent = follow_up_request("t", region, prompt, mask)
    assert (path, sent) == ("/v1/midjourney/inpaint", {"taskId": "t", **body})


def test_region_request_needs_a_mask() -> None:
    with pytest.raises(ProviderError) as caught:
        follow_up_request("t", Button(Action.VARY_REGION, "inpaint"), "a red door")
    assert caught.value.kind is ErrorKind.INVALID


# --- contract tests against the fake -----------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeGptunnel]:
    server = FakeGptunnel()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def provider(fake: FakeGptunnel) -> AsyncIterator[GptunnelProvider]:
    adapter = GptunnelProvider(fake.base_url, fake.api_key, mode="relax", timeout=1.0)
    yield adapter
    await adapter.aclose()


async def grid(provider: GptunnelProvider, prompt: str = "a red fox") -> TaskSnapshot:
    return await finish(provider, await provider.imagine(prompt))


async def test_imagine_polls_to_grid(fake: FakeGptunnel, provider: GptunnelProvider) -> None:
    fake.polls_to_finish = 3
    task_id = await provider.imagine("a red fox")
    assert re.fullmatch(r"[0-9a-f]{24}", task_id)
    assert fake.submits == [("/v1/midjourney/imagine", {"prompt": "a red fox"})]

    first = await provider.fetch(task_id)
    assert first.state is TaskState.RUNNING
    assert first.progress == fake.progress(fake.tasks[task_id]) and 0 < first.progress < 100
    assert first.image_url == f"{fake.image_url(fake.tasks[task_id])}?cache={first.progress}"
    assert first.buttons == ()

    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS and done.progress == 100
    assert done.image_url == f"{fake.image_url(fake.tasks[task_id])}?cache=100"
    assert kinds(done) == GRID
    assert [b.handle for b in done.buttons][:5] == [
        "upsamle_1",
        "upsamle_2",
        "upsamle_3",
        "upsamle_4",
        "reroll",
    ]


async def test_grid_image_is_a_real_png(provider: GptunnelProvider) -> None:
    done = await grid(provider)
    assert done.image_url is not None
    data = await provider.download(done.image_url)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(data)).size == (512, 512)


@pytest.mark.parametrize(
    ("action", "index", "path", "body", "kind"),
    [
        *[(Action.UPSCALE, i, "/upsample", {"image": i}, "upscale") for i in range(1, 5)],
        *[(Action.VARIATION, i, "/variation", {"image": i}, "variation") for i in range(1, 5)],
        (Action.REROLL, 0, "/reroll", {}, "reroll"),
    ],
)
async def test_grid_follow_ups(
    fake: FakeGptunnel,
    provider: GptunnelProvider,
    action: Action,
    index: int,
    path: str,
    body: dict[str, Any],
    kind: str,
) -> None:
    parent = await grid(provider)
    task_id = await provider.act(parent.task_id, button(parent, action, index))
    assert fake.submits[-1] == (f"/v1/midjourney{path}", {"taskId": parent.task_id, **body})
    task = fake.tasks[task_id]
    assert (task.kind, task.index, task.parent) == (kind, index, parent.task_id)

    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert kinds(done) == (UPSCALED if kind == "upscale" else GRID)


async def test_upscale_is_a_single_png(provider: GptunnelProvider) -> None:
    parent = await grid(provider)
    upscale = await finish(
        provider, await provider.act(parent.task_id, button(parent, Action.UPSCALE, 1))
    )
    assert upscale.image_url is not None
    data = await provider.download(upscale.image_url)
    assert Image.open(io.BytesIO(data)).size == (256, 256)


@pytest.mark.parametrize(
    ("action", "mode", "kind"),
    [(Action.VARY_STRONG, "high", "vary_strong"), (Action.VARY_SUBTLE, "low", "vary_subtle")],
)
async def test_vary_after_upscale(
    fake: FakeGptunnel, provider: GptunnelProvider, action: Action, mode: str, kind: str
) -> None:
    parent = await grid(provider)
    upscale = await finish(
        provider, await provider.act(parent.task_id, button(parent, Action.UPSCALE, 2))
    )
    task_id = await provider.act(upscale.task_id, button(upscale, action))
    assert fake.submits[-1] == (
        "/v1/midjourney/variation",
        {"taskId": upscale.task_id, "mode": mode},
    )
    assert fake.tasks[task_id].kind == kind
    assert kinds(await finish(provider, task_id)) == GRID


async def upscaled(provider: GptunnelProvider) -> TaskSnapshot:
    parent = await grid(provider)
    return await finish(
        provider, await provider.act(parent.task_id, button(parent, Action.UPSCALE, 2))
    )


async def test_vary_region_sends_the_mask_as_bare_base64_with_the_prompt(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    assert Action.VARY_REGION in provider.inline_images
    upscale = await upscaled(provider)
    region = button(upscale, Action.VARY_REGION)
    mask = data_uri(MASK, "image/png")

    task_id = await provider.act(upscale.task_id, region, prompt="a red door", mask=mask)

    assert fake.submits[-1] == (
        "/v1/midjourney/inpaint",
        {
            "taskId": upscale.task_id,
            "mask": base64.b64encode(MASK).decode(),
            "prompt": "a red door",
        },
    )
    assert fake.masks_received == [MASK]
    task = fake.tasks[task_id]
    assert (task.kind, task.parent, task.prompt) == ("vary_region", upscale.task_id, "a red door")
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == f"{fake.image_url(task)}?cache=100"
    assert kinds(done) == GRID


async def test_vary_region_without_a_prompt_keeps_the_original(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    upscale = await upscaled(provider)
    region = button(upscale, Action.VARY_REGION)
    task_id = await provider.act(upscale.task_id, region, mask=data_uri(MASK, "image/png"))
    assert "prompt" not in fake.submits[-1][1]
    assert fake.tasks[task_id].prompt == "a red fox"


@pytest.mark.parametrize(
    ("mask", "prompt", "kind"),
    [
        (None, "a red door", ErrorKind.INVALID),  # never sent
        ("QUJD" * 8, "a red door", ErrorKind.INVALID),  # base64, but of no image
        (data_uri(jpeg("white")), "a red door", ErrorKind.INVALID),  # not a PNG
        (data_uri(MASK, "image/png"), f"a {REFUSED_WORD} door", ErrorKind.MODERATION),
    ],
)
async def test_refused_regions_have_their_kind(
    fake: FakeGptunnel,
    provider: GptunnelProvider,
    mask: str | None,
    prompt: str,
    kind: ErrorKind,
) -> None:
    upscale = await upscaled(provider)
    before = len(fake.submits)
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            upscale.task_id, button(upscale, Action.VARY_REGION), prompt=prompt, mask=mask
        )
    assert caught.value.kind is kind
    assert len(fake.submits) == before


async def test_vary_region_of_a_grid_is_refused(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    parent = await grid(provider)
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            parent.task_id,
            Button(Action.VARY_REGION, "inpaint"),
            prompt="a red door",
            mask=data_uri(MASK, "image/png"),
        )
    assert caught.value.kind is ErrorKind.INVALID and "no action inpaint" in caught.value.detail
    assert fake.masks_received == []


async def test_the_fake_takes_the_mask_as_bare_base64_only(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    upscale = await upscaled(provider)
    bodies = [
        {"taskId": upscale.task_id, "mask": data_uri(MASK, "image/png")},
        {"taskId": upscale.task_id, "mask": fake.hosted(MASK)},
        {"taskId": upscale.task_id},
    ]
    async with httpx.AsyncClient(base_url=fake.base_url) as client:
        answers = [
            await client.post(
                "/v1/midjourney/inpaint", json=body, headers={"Authorization": fake.api_key}
            )
            for body in bodies
        ]
    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert "should be base64 png" in answers[0].json()["error"]["message"]
    assert fake.masks_received == []


async def test_unsupported_action_submits_nothing(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    parent = await grid(provider)
    count = len(fake.submits)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, Button(Action.PAN_LEFT, "pan_left"))
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert len(fake.submits) == count


async def test_follow_up_on_unfinished_or_unknown_parent(
    fake: FakeGptunnel, provider: GptunnelProvider
) -> None:
    task_id = await provider.imagine("a red fox")
    for parent in (task_id, "0123456789abcdef01234567"):
        with pytest.raises(ProviderError) as caught:
            await provider.act(parent, Button(Action.UPSCALE, "upsamle_1", 1))
        assert caught.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == 1


async def test_upsample_spelling_variant(fake: FakeGptunnel, provider: GptunnelProvider) -> None:
    fake.upsample_spelling = True
    parent = await grid(provider)
    assert kinds(parent) == GRID
    assert button(parent, Action.UPSCALE, 2).handle == "upsample_2"
    task_id = await provider.act(parent.task_id, button(parent, Action.UPSCALE, 2))
    assert fake.tasks[task_id].kind == "upscale"


async def test_doc_actions_verbatim_variant(fake: FakeGptunnel, provider: GptunnelProvider) -> None:
    fake.doc_actions_verbatim = True
    parent = await grid(provider)
    assert kinds(parent) == [k for k in GRID if k != (Action.VARIATION, 3)]
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, Button(Action.VARIATION, "variation_3", 3))
    assert caught.value.kind is ErrorKind.INVALID
    task_id = await provider.act(parent.task_id, button(parent, Action.VARIATION, 4))
    assert fake.tasks[task_id].index == 4


@pytest.mark.parametrize(
    ("kind", "status", "error_type"),
    [
        (ErrorKind.AUTH, 401, "unauthorized_request_error"),
        (ErrorKind.BALANCE, 402, "insufficient_balance_error"),
        (ErrorKind.MODERATION, 400, "invalid_request_error"),
        (ErrorKind.INVALID, 400, "invalid_request_error"),
        (ErrorKind.RATE_LIMITED, 429, "rate_limit_error"),
        (ErrorKind.UNAVAILABLE, 500, "server_error"),
    ],
)
async def test_submit_errors(
    fake: FakeGptunnel, provider: GptunnelProvider, kind: ErrorKind, status: int, error_type: str
) -> None:
    fake.submit_errors = [kind.value, kind.value]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a red fox")
    assert caught.value.kind is kind
    assert f"HTTP {status}" in caught.value.detail and error_type in caught.value.detail
    assert caught.value.maybe_done is (status == 500)
    with pytest.raises(ProviderError) as follow_up:
        await provider.act("0123456789abcdef01234567", Button(Action.REROLL, "reroll"))
    assert follow_up.value.kind is kind
    assert fake.submits == []


async def test_wrong_key_is_auth(fake: FakeGptunnel) -> None:
    """The key goes raw in Authorization: a wrong one, or a Bearer one, is refused."""
    for key in ("wrong-key", f"Bearer {fake.api_key}"):
        adapter = GptunnelProvider(fake.base_url, key, timeout=1.0)
        try:
            with pytest.raises(ProviderError) as on_submit:
                await adapter.imagine("a fox")
            with pytest.raises(ProviderError) as on_fetch:
                await adapter.fetch("0123456789abcdef01234567")
        finally:
            await adapter.aclose()
        for caught in (on_submit, on_fetch):
            assert caught.value.kind is ErrorKind.AUTH
            assert "Unauthorized" in caught.value.detail
            assert key not in caught.value.detail
    assert fake.submits == []


async def test_refused_prompt_is_moderation(fake: FakeGptunnel, provider: GptunnelProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.imagine(f"a {REFUSED_WORD} fox")
    assert caught.value.kind is ErrorKind.MODERATION
    assert "banned" in caught.value.detail
    assert fake.submits == []


async def test_missing_prompt_is_invalid(provider: GptunnelProvider) -> None:
    status, body = await provider.request("POST", "/v1/midjourney/imagine", json={})
    assert body["error"]["message"] == "'prompt' is a required property"
    assert provider.error_from(status, body, "POST imagine").kind is ErrorKind.INVALID


async def test_unknown_task_is_invalid(provider: GptunnelProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.fetch("0123456789abcdef01234567")
    assert caught.value.kind is ErrorKind.INVALID
    done = await grid(provider)
    snapshots = await provider.fetch_many([done.task_id, "0123456789abcdef01234567"])
    assert [s.task_id for s in snapshots] == [done.task_id]


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_fetch_faults_are_unavailable(
    fake: FakeGptunnel, provider: GptunnelProvider, fault: str
) -> None:
    task_id = await provider.imagine("a red fox")
    fake.fetch_faults = failing_get(fault)
    with pytest.raises(ProviderError) as caught:
        await provider.fetch(task_id)
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


@pytest.mark.parametrize(("fault", "kind"), [("500", "unavailable"), ("429", "rate_limited")])
async def test_submit_faults(
    fake: FakeGptunnel, provider: GptunnelProvider, fault: str, kind: str
) -> None:
    fake.submit_faults = [fault]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a red fox")
    assert caught.value.kind == kind
    assert caught.value.maybe_done is (fault == "500")


@pytest.mark.parametrize("plain", [False, True])
async def test_failed_task(fake: FakeGptunnel, provider: GptunnelProvider, plain: bool) -> None:
    fake.plain_error = plain
    done = await grid(provider, f"a {FAIL_WORD} fox")
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == fake.tasks[done.task_id].fail_reason
    assert done.error_kind is ErrorKind.FAILED
    assert done.buttons == ()

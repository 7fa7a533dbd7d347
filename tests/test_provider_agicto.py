"""Contract tests: AgictoProvider against FakeAgicto, and its parsing on providers.md §4.9."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from PIL import Image

from bot.domain import Action, Button
from bot.flows.region import mask_png
from bot.providers.agicto import AgictoProvider, answer_text, error_kind
from bot.providers.base import ErrorKind, ProviderError, data_uri
from bot.providers.custom_ids import action_for
from bot.providers.proxy_submits import with_aspect
from bot.providers.proxy_tasks import NO_PROMPTS, NO_VIDEO, parse_task
from bot.providers.tasks import Capability, TaskSnapshot, TaskState
from tests.contract import finish
from tests.fakes.agicto import MODAL_KINDS, REMIXABLE, FakeAgicto
from tests.fakes.provider_base import (
    DESCRIBE_PROMPTS,
    FAIL_WORD,
    REFUSED_WORD,
    UPSCALED_ACTIONS,
    failing_get,
)
from tests.test_image_prompts import jpeg

GRID = [(Action.UPSCALE, i) for i in range(1, 5)]
GRID += [(Action.REROLL, 0)] + [(Action.VARIATION, i) for i in range(1, 5)]
ANIMATE = [("animate_high", 0), ("animate_low", 0)]  # trueai lists them after the others


@pytest.fixture
async def fake() -> AsyncIterator[FakeAgicto]:
    server = FakeAgicto()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def provider(fake: FakeAgicto) -> AsyncIterator[AgictoProvider]:
    adapter = AgictoProvider(fake.base_url, fake.api_key, timeout=1.0)
    yield adapter
    await adapter.aclose()


async def grid(provider: AgictoProvider, prompt: str = "a cat") -> TaskSnapshot:
    return await finish(provider, await provider.imagine(prompt))


async def upscaled(provider: AgictoProvider, prompt: str = "a cat") -> TaskSnapshot:
    parent = await grid(provider, prompt)
    return await finish(provider, await provider.act(parent.task_id, parent.buttons[0]))


# --- the happy path -----------------------------------------------------------------


async def test_imagine_polls_to_a_grid_with_the_offered_buttons(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    task_id = await provider.imagine("a cat --ar 3:2")
    assert fake.submits_to("/mj/submit/imagine") == [
        {
            "model": "mj-fast",
            "botType": "MID_JOURNEY",
            "prompt": "a cat --ar 3:2",
            "base64Array": [],
        }
    ]
    first = await provider.fetch(task_id)
    assert first.state is TaskState.RUNNING
    assert first.buttons == ()

    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.progress == 100
    assert done.image_url == fake.image_url(fake.tasks[task_id])
    assert done.image_urls == ()
    assert [(b.action, b.index) for b in done.buttons] == GRID
    assert [b.label for b in done.buttons] == ["U1", "U2", "U3", "U4", "🔄", "V1", "V2", "V3", "V4"]
    assert done.buttons[0].handle.startswith("MJ::JOB::upsample::1::")


@pytest.mark.parametrize(
    ("mode", "model"), [("fast", "mj-fast"), ("relax", "mj-relax"), ("turbo", "mj-fast")]
)
async def test_mode_picks_the_model(fake: FakeAgicto, mode: str, model: str) -> None:
    adapter = AgictoProvider(fake.base_url, fake.api_key, mode=mode, timeout=1.0)
    try:
        await adapter.imagine("a cat")
    finally:
        await adapter.aclose()
    assert fake.submits_to("/mj/submit/imagine")[0]["model"] == model


async def test_both_auth_headers_carry_the_key(provider: AgictoProvider) -> None:
    assert provider.http.headers["Authorization"] == "Bearer test-key"
    assert provider.http.headers["mj-api-secret"] == "test-key"


@pytest.mark.parametrize("position", range(9))
async def test_grid_follow_ups_send_the_custom_id_verbatim(
    fake: FakeAgicto, provider: AgictoProvider, position: int
) -> None:
    parent = await grid(provider)
    button = parent.buttons[position]
    child_id = await provider.act(parent.task_id, button)
    assert fake.submits_to("/mj/submit/action") == [
        {"taskId": parent.task_id, "customId": button.handle}
    ]
    child = fake.tasks[child_id]
    assert (child.kind, child.index, child.parent) == (
        button.action.value,
        button.index,
        parent.task_id,
    )
    assert (await finish(provider, child_id)).state is TaskState.SUCCESS


async def test_upscale_offers_the_upscaled_buttons(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider)
    assert single.image_url == fake.image_url(fake.tasks[single.task_id])
    assert [(b.action.value, b.index) for b in single.buttons] == UPSCALED_ACTIONS + ANIMATE
    labels = [b.label for b in single.buttons]
    assert labels[:3] == ["Vary (Strong)", "Vary (Subtle)", "Vary (Region)"]
    assert labels[6:10] == ["⬅️", "➡️", "⬆️", "⬇️"]
    assert "upsample_v7_2x_subtle" in single.buttons[10].handle
    assert labels[12:] == ["Animate (High motion)", "Animate (Low motion)"]
    assert single.buttons[12].handle.startswith("MJ::JOB::animate_high::1::")


@pytest.mark.parametrize("kind", [k for k, _ in UPSCALED_ACTIONS if k not in MODAL_KINDS])
async def test_upscaled_follow_ups_reach_the_action_endpoint(
    fake: FakeAgicto, provider: AgictoProvider, kind: str
) -> None:
    single = await upscaled(provider)
    button = next(b for b in single.buttons if b.action.value == kind)
    child_id = await provider.act(single.task_id, button)
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": single.task_id,
        "customId": button.handle,
    }
    assert fake.tasks[child_id].kind == kind
    assert (await finish(provider, child_id)).state is TaskState.SUCCESS


# --- variants -------------------------------------------------------------------------


@pytest.mark.parametrize("as_int", [True, False])
async def test_result_as_integer_or_string(
    fake: FakeAgicto, provider: AgictoProvider, as_int: bool
) -> None:
    fake.result_as_int = as_int
    task_id = await provider.imagine("a cat")
    assert isinstance(task_id, str)
    assert task_id in fake.tasks


async def test_queued_code_22_is_accepted(fake: FakeAgicto, provider: AgictoProvider) -> None:
    fake.queue_code_22 = True
    task_id = await provider.imagine("a cat")
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_trueai_image_urls_become_tiles(fake: FakeAgicto, provider: AgictoProvider) -> None:
    fake.trueai_image_urls = True
    done = await grid(provider)
    assert done.image_urls == tuple(fake.tile_urls(fake.tasks[done.task_id]))


# --- batch ----------------------------------------------------------------------------


async def test_fetch_many_uses_list_by_condition(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    ids = [await provider.imagine("a cat"), await provider.imagine("a dog")]
    snapshots = await provider.fetch_many([*ids, "999"])
    assert fake.batch_queries == [[*ids, "999"]]
    assert sorted(s.task_id for s in snapshots) == sorted(ids)
    assert all(s.state is TaskState.RUNNING for s in snapshots)


async def test_fetch_many_falls_back_without_list_by_condition(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    fake.list_by_condition = False
    ids = [await provider.imagine("a cat"), await provider.imagine("a dog")]
    first = await provider.fetch_many([*ids, "999"])
    second = await provider.fetch_many(ids)
    assert sorted(s.task_id for s in first) == sorted(ids)
    assert {s.state for s in second} == {TaskState.SUCCESS}
    assert fake.batch_queries == []
    assert fake.fetch_count == 4


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("auth", "无效的令牌"),
        ("balance", "quota_not_enough"),
        ("moderation", REFUSED_WORD),
        ("invalid", "prompt不能为空"),
        ("rate_limited", "队列已满"),
        ("unavailable", "无可用的账号实例"),
    ],
)
async def test_submit_errors(
    fake: FakeAgicto, provider: AgictoProvider, kind: str, text: str
) -> None:
    fake.submit_errors = [kind]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind(kind)
    assert text in caught.value.detail
    assert fake.api_key not in caught.value.detail
    assert not caught.value.maybe_done
    assert fake.submits == []


async def test_refused_prompt_names_the_banned_word(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.imagine(f"a {REFUSED_WORD} cat")
    assert caught.value.kind is ErrorKind.MODERATION
    assert "code 24" in caught.value.detail
    assert f"banned word: {REFUSED_WORD}" in caught.value.detail


async def test_wrong_key_is_auth(fake: FakeAgicto) -> None:
    adapter = AgictoProvider(fake.base_url, "wrong-secret", timeout=1.0)
    try:
        with pytest.raises(ProviderError) as caught:
            await adapter.fetch("1")
    finally:
        await adapter.aclose()
    assert caught.value.kind is ErrorKind.AUTH
    assert "HTTP 401" in caught.value.detail
    assert "wrong-secret" not in caught.value.detail


async def test_action_on_unknown_parent_is_invalid(provider: AgictoProvider) -> None:
    button = Button(Action.UPSCALE, "MJ::JOB::upsample::1::abc", 1, "U1")
    with pytest.raises(ProviderError) as caught:
        await provider.act("424242", button)
    assert caught.value.kind is ErrorKind.INVALID
    assert "HTTP 404" in caught.value.detail
    assert "code 3" in caught.value.detail


async def test_action_on_unfinished_parent_is_invalid(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    parent = await grid(provider)  # a finished grid gives a real customId
    fake.hold = True
    running_id = await provider.imagine("a dog")
    await provider.fetch(running_id)
    with pytest.raises(ProviderError) as caught:
        await provider.act(running_id, parent.buttons[0])
    assert caught.value.kind is ErrorKind.INVALID
    assert "关联任务状态错误" in caught.value.detail


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_fetch_faults_are_unavailable(
    fake: FakeAgicto, provider: AgictoProvider, fault: str
) -> None:
    task_id = await provider.imagine("a cat")
    fake.fetch_faults = failing_get(fault)
    with pytest.raises(ProviderError) as caught:
        await provider.fetch(task_id)
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert (await provider.fetch(task_id)).task_id == task_id


@pytest.mark.parametrize("fault", ["500", "html", "timeout", "drop"])
async def test_batch_faults_are_unavailable(
    fake: FakeAgicto, provider: AgictoProvider, fault: str
) -> None:
    task_id = await provider.imagine("a cat")
    fake.fetch_faults = [fault]
    with pytest.raises(ProviderError) as caught:
        await provider.fetch_many([task_id])
    assert caught.value.kind is ErrorKind.UNAVAILABLE


@pytest.mark.parametrize("fault", ["500", "timeout"])
async def test_submit_faults_may_be_done(
    fake: FakeAgicto, provider: AgictoProvider, fault: str
) -> None:
    fake.submit_faults = [fault]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.maybe_done


async def test_unknown_task_is_invalid(provider: AgictoProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.fetch("999")
    assert caught.value.kind is ErrorKind.INVALID


async def test_failed_task_has_a_reason(provider: AgictoProvider) -> None:
    done = await grid(provider, f"a cat {FAIL_WORD}")
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == "Task failed: the image could not be generated"
    assert done.error_kind is ErrorKind.FAILED
    assert done.buttons == ()


async def test_progress_while_running(fake: FakeAgicto, provider: AgictoProvider) -> None:
    fake.hold = True
    task_id = await provider.imagine("a cat")
    snapshot = await provider.fetch(task_id)
    assert snapshot.state is TaskState.RUNNING
    assert snapshot.progress == fake.progress(fake.tasks[task_id]) > 0


async def test_the_image_is_a_png(provider: AgictoProvider) -> None:
    done = await grid(provider)
    assert done.image_url
    data = await provider.download(done.image_url)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (512, 512)


# --- parsing of the documented examples (providers.md §4.9, verbatim) --------------------

IN_PROGRESS = """{"id":"1730621826053455","action":"IMAGINE","status":"IN_PROGRESS","prompt":"pig --v 6.1","promptEn":"pig --v 6.1","description":"/imagine pig --v 6.1","state":"","submitTime":1730621826053,"startTime":1730621828024,"finishTime":null,"imageUrl":"https://cdn.discordapp.com/attachments/x/y/grid_0.webp","progress":"45%","failReason":null,"properties":{},"buttons":[]}"""  # noqa: E501

SUCCESS = """{"id":"1730621826053455","action":"IMAGINE","customId":"","botType":"","prompt":"pig --v 6.1","promptEn":"pig --v 6.1","description":"Submit success","state":"","submitTime":1730621826053,"startTime":1730621828024,"finishTime":1730621855817,
 "imageUrl":"https://cdnmjp.oneabc.org/attachments/…/pig_3785da15-4f70-4034-9128-f3ff1ac634fa.png","status":"SUCCESS","progress":"100%","failReason":"",
 "buttons":[{"customId":"MJ::JOB::upsample::1::3785da15-4f70-4034-9128-f3ff1ac634fa","emoji":"","label":"U1","type":2,"style":2},
            {"customId":"MJ::JOB::reroll::0::3785da15-4f70-4034-9128-f3ff1ac634fa::SOLO","emoji":"🔄","label":"","type":2,"style":2},
            {"customId":"MJ::JOB::variation::1::3785da15-4f70-4034-9128-f3ff1ac634fa","emoji":"","label":"V1","type":2,"style":2}],
 "maskBase64":"","properties":{"finalPrompt":"pig --v 6.1","finalZhPrompt":""}}"""  # noqa: E501

FAILURE = """{"id":"1730621826053455","action":"IMAGINE","status":"FAILURE","progress":"","failReason":"[Invalid parameter] Invalid value","finishTime":1730621855817,"buttons":[]}"""  # noqa: E501


def test_parse_in_progress_example() -> None:
    snapshot = parse_task(json.loads(IN_PROGRESS))
    assert snapshot.task_id == "1730621826053455"
    assert snapshot.state is TaskState.RUNNING
    assert snapshot.progress == 45
    assert snapshot.buttons == ()


def test_parse_success_example() -> None:
    snapshot = parse_task(json.loads(SUCCESS))
    hash_ = "3785da15-4f70-4034-9128-f3ff1ac634fa"
    assert snapshot.state is TaskState.SUCCESS
    assert snapshot.image_url.endswith(f"pig_{hash_}.png")  # type: ignore[union-attr]
    assert snapshot.buttons == (
        Button(Action.UPSCALE, f"MJ::JOB::upsample::1::{hash_}", 1, "U1"),
        Button(Action.REROLL, f"MJ::JOB::reroll::0::{hash_}::SOLO", 0, "🔄"),
        Button(Action.VARIATION, f"MJ::JOB::variation::1::{hash_}", 1, "V1"),
    )


def test_parse_failure_example() -> None:
    snapshot = parse_task(json.loads(FAILURE))
    assert snapshot.state is TaskState.FAILURE
    assert snapshot.progress == 0
    assert snapshot.fail_reason == "[Invalid parameter] Invalid value"
    assert snapshot.error_kind is ErrorKind.FAILED


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("NOT_START", TaskState.QUEUED),
        ("SUBMITTED", TaskState.QUEUED),
        ("IN_PROGRESS", TaskState.RUNNING),
        ("MODAL", TaskState.MODAL),
        ("SUCCESS", TaskState.SUCCESS),
        ("FAILURE", TaskState.FAILURE),
        ("CANCEL", TaskState.FAILURE),
        ("SOMETHING_NEW", TaskState.RUNNING),
    ],
)
def test_status_mapping(status: str, state: TaskState) -> None:
    assert parse_task({"id": 7, "status": status, "progress": "10%"}).state is state


def test_banned_failure_reason_is_moderation() -> None:
    snapshot = parse_task({"id": "1", "status": "FAILURE", "failReason": "Banned prompt: nude"})
    assert snapshot.error_kind is ErrorKind.MODERATION


@pytest.mark.parametrize(
    ("custom_id", "action", "index"),
    [
        ("MJ::JOB::upsample::3::h", Action.UPSCALE, 3),
        ("MJ::JOB::variation::4::h", Action.VARIATION, 4),
        ("MJ::JOB::reroll::0::h::SOLO", Action.REROLL, 0),
        ("MJ::JOB::high_variation::1::h::SOLO", Action.VARY_STRONG, 0),
        ("MJ::JOB::low_variation::1::h::SOLO", Action.VARY_SUBTLE, 0),
        ("MJ::Inpaint::1::h::SOLO", Action.VARY_REGION, 0),
        ("MJ::Outpaint::50::1::h::SOLO", Action.ZOOM_OUT_2X, 0),
        ("MJ::Outpaint::75::1::h::SOLO", Action.ZOOM_OUT_1_5X, 0),
        ("MJ::Outpaint::100::1::h::SOLO", Action.MAKE_SQUARE, 0),
        ("MJ::CustomZoom::h", Action.ZOOM_CUSTOM, 0),
        ("MJ::CustomZoom::1::h", Action.ZOOM_CUSTOM, 0),
        ("MJ::JOB::pan_left::1::h::SOLO", Action.PAN_LEFT, 0),
        ("MJ::JOB::pan_down::1::h::SOLO", Action.PAN_DOWN, 0),
        ("MJ::JOB::upsample_v7_2x_subtle::1::h::SOLO", Action.UPSCALE_SUBTLE, 0),
        ("MJ::JOB::upsample_v6r1_2x_creative::1::h::SOLO", Action.UPSCALE_CREATIVE, 0),
        ("MJ::JOB::upsample_v6_2x_subtle::1::h::SOLO", Action.UPSCALE_SUBTLE, 0),
        ("MJ::JOB::upsample_v5_2x::1::h::SOLO", Action.UPSCALE_2X, 0),
        ("MJ::JOB::upsample_v5_4x::1::h::SOLO", Action.UPSCALE_4X, 0),
        ("MJ::JOB::animate_high::1::h::SOLO", Action.ANIMATE_HIGH, 0),
        ("MJ::JOB::animate_low::1::h::SOLO", Action.ANIMATE_LOW, 0),
        ("MJ::JOB::animate_high_extend::1::h::SOLO", Action.EXTEND_HIGH, 0),
        ("MJ::JOB::video_virtual_upscale::1::42", Action.OTHER, 0),
        ("MJ::BOOKMARK::h", Action.OTHER, 0),
    ],
)
def test_custom_id_catalogue(custom_id: str, action: Action, index: int) -> None:
    assert action_for(custom_id) == (action, index)


def test_unknown_button_keeps_its_label() -> None:
    raw = {"customId": "MJ::Job::PicReader::1", "emoji": "", "label": "Imagine all", "type": 2}
    snapshot = parse_task({"id": "1", "status": "SUCCESS", "buttons": [raw]})
    assert snapshot.buttons == (Button(Action.OTHER, "MJ::Job::PicReader::1", 0, "Imagine all"),)


@pytest.mark.parametrize(
    ("status", "body", "kind", "text"),
    [
        (400, {"code": 4, "description": "余额不足"}, ErrorKind.BALANCE, "code 4: 余额不足"),
        (401, {"error": {"message": "无效的令牌", "type": "x"}}, ErrorKind.AUTH, "无效的令牌"),
        (200, {"code": 99, "description": "?", "properties": []}, ErrorKind.INVALID, "code 99"),
        (502, None, ErrorKind.UNAVAILABLE, "empty body"),
    ],
)
def test_error_answers(
    status: int, body: dict[str, Any] | None, kind: ErrorKind, text: str
) -> None:
    code = body.get("code") if body else None
    description = str(body.get("description", "")) if body else ""
    assert error_kind(status, code, description) is kind
    assert text in answer_text(body)


# --- refs and reconciling (the cross-provider cases are in test_provider_contract.py) -------


async def test_the_ref_goes_out_as_state_and_comes_back_on_the_task(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    parent = await finish(provider, await provider.imagine("a cat", ref="mjbot-1-1733000000"))
    await provider.act(parent.task_id, parent.buttons[0], ref="mjbot-2-1733000001")
    assert fake.submits_to("/mj/submit/imagine")[0]["state"] == "mjbot-1-1733000000"
    assert fake.submits_to("/mj/submit/action")[0] == {
        "taskId": parent.task_id,
        "customId": parent.buttons[0].handle,
        "state": "mjbot-2-1733000001",
    }
    assert fake.render(fake.tasks[parent.task_id])["state"] == "mjbot-1-1733000000"


async def test_find_task_cannot_tell_without_the_listing(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    fake.task_list = False
    with pytest.raises(ProviderError) as caught:
        await provider.find_task("mjbot-1-1733000000")
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert "HTTP 404" in caught.value.detail


async def test_find_task_cannot_tell_from_a_listing_cut_at_100(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    await provider.imagine("a cat", ref="mjbot-1-1733000000")
    for _ in range(100):
        fake.new_task("imagine", "later")  # newer tasks push it out of trueai's listing
    fake.task_list_limit = 100
    with pytest.raises(ProviderError) as caught:
        await provider.find_task("mjbot-1-1733000000")
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    fake.task_list_limit = None  # novicezk lists them all
    assert await provider.find_task("mjbot-1-1733000000") == "1"


async def test_find_task_cannot_tell_when_tasks_carry_no_state(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    await provider.imagine("a cat", ref="mjbot-1-1733000000")
    fake.answer_edits = lambda tasks: [{k: v for k, v in t.items() if k != "state"} for t in tasks]
    with pytest.raises(ProviderError) as caught:
        await provider.find_task("mjbot-1-1733000000")
    assert caught.value.kind is ErrorKind.UNSUPPORTED


async def test_find_task_with_no_tasks_at_all_is_none(provider: AgictoProvider) -> None:
    assert await provider.find_task("mjbot-1-1733000000") is None


# --- describe and blend (the cross-provider cases are in the shared contract tests) ---------


Submit = Callable[[AgictoProvider], Awaitable[object]]


def test_describe_and_blend_are_claimed_with_inline_images(provider: AgictoProvider) -> None:
    assert {Capability.DESCRIBE, Capability.BLEND} <= provider.capabilities
    assert {Action.DESCRIBE, Action.BLEND} <= provider.inline_images
    assert provider.max_blend_images == 5
    assert provider.supports(Action.DESCRIBE)


@pytest.mark.parametrize("variant", ["novicezk", "trueai", "trueai_lines"])
async def test_describe_sends_a_data_url_and_reads_the_prompts(
    fake: FakeAgicto, provider: AgictoProvider, variant: str
) -> None:
    fake.describe_variant = variant
    image = data_uri(jpeg("red"))
    task_id = await provider.describe(image)
    assert fake.submits_to("/mj/submit/describe") == [
        {"model": "mj-fast", "botType": "MID_JOURNEY", "base64": image}
    ]
    assert fake.images_received == [[jpeg("red")]]
    assert (await provider.fetch(task_id)).prompts == ()  # nothing before it is done
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.prompts == DESCRIBE_PROMPTS


async def test_describe_prompts_come_through_the_batch_query(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    task_id = await provider.describe(data_uri(jpeg("red")))
    await finish(provider, task_id)
    [snapshot] = await provider.fetch_many([task_id])
    assert fake.batch_queries == [[task_id]]
    assert snapshot.prompts == DESCRIBE_PROMPTS


async def test_describe_carries_ref_hook_and_speed_and_calls_back_with_the_prompts(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    hook = "https://bot.example/hooks/agicto/7"  # not on 127.0.0.1: recorded, not sent
    task_id = await provider.describe(
        data_uri(jpeg("red")), ref="mjbot-7-1733000000", hook=hook, speed="relax"
    )
    body = fake.submits_to("/mj/submit/describe")[0]
    assert (body["model"], body["state"], body["notifyHook"]) == (
        "mj-relax",
        "mjbot-7-1733000000",
        hook,
    )
    await finish(provider, task_id)
    url, last, _ = fake.callbacks[-1]
    assert url == hook
    snapshot = provider.read_callback(json.dumps(last).encode())
    assert (snapshot.task_id, snapshot.state) == (task_id, TaskState.SUCCESS)
    assert snapshot.prompts == DESCRIBE_PROMPTS


@pytest.mark.parametrize(
    ("shape", "dimensions"), [("2:3", "PORTRAIT"), ("1:1", "SQUARE"), ("3:2", "LANDSCAPE")]
)
async def test_blend_sends_the_dimensions_and_ends_as_a_grid(
    fake: FakeAgicto, provider: AgictoProvider, shape: str, dimensions: str
) -> None:
    images = [jpeg("red"), jpeg("blue")]
    task_id = await provider.blend([data_uri(i) for i in images], shape, ref="mjbot-8-1")
    assert fake.submits_to("/mj/submit/blend") == [
        {
            "model": "mj-fast",
            "botType": "MID_JOURNEY",
            "base64Array": [data_uri(i) for i in images],
            "dimensions": dimensions,
            "state": "mjbot-8-1",
        }
    ]
    assert fake.images_received == [images]
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.image_url == fake.image_url(fake.tasks[task_id])
    assert [(b.action, b.index) for b in done.buttons] == GRID
    assert done.prompts == ()


async def test_a_blend_grid_takes_follow_ups(fake: FakeAgicto, provider: AgictoProvider) -> None:
    parent = await finish(provider, await provider.blend([data_uri(jpeg("red"))] * 5, "1:1"))
    child = await finish(provider, await provider.act(parent.task_id, parent.buttons[0]))
    assert child.state is TaskState.SUCCESS
    assert fake.tasks[child.task_id].kind == "upscale"


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda p: p.describe(data_uri(b"not an image")), "base64格式错误"),
        (lambda p: p.describe("https://example.com/a.jpg"), "base64格式错误"),
        (lambda p: p.blend([data_uri(jpeg("red"))], "1:1"), "base64List参数错误"),
        (lambda p: p.blend([data_uri(jpeg("red"))] * 6, "1:1"), "base64List参数错误"),
        (lambda p: p.blend([data_uri(jpeg("red")), "not base64"], "1:1"), "base64格式错误"),
    ],
)
async def test_refused_images_are_invalid(
    fake: FakeAgicto, provider: AgictoProvider, call: Submit, text: str
) -> None:
    with pytest.raises(ProviderError) as caught:
        await call(provider)
    assert caught.value.kind is ErrorKind.INVALID
    assert f"code 4: {text}" in caught.value.detail
    assert fake.submits == []


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.describe(data_uri(jpeg("red"))),
        lambda p: p.blend([data_uri(jpeg("red"))] * 2, "1:1"),
    ],
)
async def test_without_the_routes_describe_and_blend_are_unsupported(
    fake: FakeAgicto, provider: AgictoProvider, call: Submit
) -> None:
    fake.describe_blend = False
    with pytest.raises(ProviderError) as caught:
        await call(provider)
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert "HTTP 404" in caught.value.detail
    assert fake.submits == []


def test_a_describe_without_any_prompt_is_a_failure() -> None:
    task = {"id": "1", "action": "DESCRIBE", "status": "SUCCESS", "properties": {}}
    snapshot = parse_task(task)
    assert snapshot.state is TaskState.FAILURE
    assert (snapshot.fail_reason, snapshot.error_kind) == (NO_PROMPTS, ErrorKind.FAILED)


def test_describe_prompts_fall_back_on_prompt_en_and_only_describes_have_them() -> None:
    text = "a fox\r\na wolf"
    describe = {"id": "1", "action": "DESCRIBE", "status": "SUCCESS", "promptEn": text}
    assert parse_task(describe).prompts == ("a fox", "a wolf")
    imagine = {**describe, "action": "IMAGINE", "properties": {"finalPrompt": text}}
    assert parse_task(imagine).prompts == ()


# --- MODAL follow-ups: Vary (Region), Custom Zoom, Remix -----------------------------------

VARIANTS = pytest.mark.parametrize("variant", ["trueai", "novicezk"])
MASK = mask_png((256, 256), [1, 6])
REMIXED = [("variation", 2), ("reroll", 0)] + [(kind, 0) for kind in REMIXABLE[2:]]


def button_of(snapshot: TaskSnapshot, action: Action, index: int = 0) -> Button:
    return next(b for b in snapshot.buttons if (b.action, b.index) == (action, index))


def test_the_modal_follow_ups_are_claimed(provider: AgictoProvider) -> None:
    assert {Capability.VARY_REGION, Capability.CUSTOM_ZOOM, Capability.REMIX} <= (
        provider.capabilities
    )
    assert Action.VARY_REGION in provider.inline_images
    assert provider.supports(Action.VARY_REGION)
    assert provider.supports(Action.ZOOM_CUSTOM)


@VARIANTS
async def test_vary_region_sends_the_mask_to_the_modal_task_and_ends_as_a_grid(
    fake: FakeAgicto, provider: AgictoProvider, variant: str
) -> None:
    fake.modal_variant = variant
    single = await upscaled(provider)
    region = button_of(single, Action.VARY_REGION)
    mask = data_uri(MASK, "image/png")
    task_id = await provider.act(single.task_id, region, prompt="a red door", mask=mask)
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": single.task_id,
        "customId": region.handle,
    }
    assert fake.submits_to("/mj/submit/modal") == [
        {"taskId": task_id, "prompt": "a red door", "maskBase64": mask}
    ]
    assert fake.masks_received == [MASK]
    task = fake.tasks[task_id]
    assert (task.kind, task.prompt, task.parent) == ("vary_region", "a red door", single.task_id)
    first = await provider.fetch(task_id)  # trueai: still MODAL, with remixAutoSubmit
    assert first.state is (TaskState.QUEUED if variant == "trueai" else TaskState.RUNNING)
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert [(b.action, b.index) for b in done.buttons] == GRID


async def test_the_id_modal_answers_is_the_one_returned(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    fake.modal_new_id = True
    single = await upscaled(provider)
    mask = data_uri(MASK, "image/png")
    task_id = await provider.act(
        single.task_id, button_of(single, Action.VARY_REGION), prompt="a red door", mask=mask
    )
    assert fake.submits_to("/mj/submit/modal")[0]["taskId"] != task_id
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


@pytest.mark.parametrize(
    "mask",
    [
        data_uri(MASK, "image/jpeg"),  # trueai strips only the PNG prefix
        data_uri(MASK, "image/png").removeprefix("data:image/png;base64,"),
        "data:image/png;base64,bm90IGFuIGltYWdl",
    ],
)
async def test_a_mask_the_proxy_cannot_read_is_invalid(
    fake: FakeAgicto, provider: AgictoProvider, mask: str
) -> None:
    single = await upscaled(provider)
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            single.task_id, button_of(single, Action.VARY_REGION), prompt="a door", mask=mask
        )
    assert caught.value.kind is ErrorKind.INVALID
    assert "base64格式错误" in caught.value.detail
    assert fake.masks_received == [None]


@pytest.mark.parametrize(
    ("action", "prompt", "mask"),
    [(Action.VARY_REGION, "a door", None), (Action.ZOOM_CUSTOM, None, None)],
)
async def test_a_follow_up_without_its_input_is_not_sent(
    fake: FakeAgicto, provider: AgictoProvider, action: Action, prompt: str | None, mask: None
) -> None:
    single = await upscaled(provider)
    sent = len(fake.submits)
    with pytest.raises(ProviderError) as caught:
        await provider.act(single.task_id, button_of(single, action), prompt=prompt, mask=mask)
    assert caught.value.kind is ErrorKind.INVALID
    assert len(fake.submits) == sent


@pytest.mark.parametrize(
    ("variant", "imagined", "zoom", "sent"),
    [
        ("trueai", "a cat --ar 3:2", "a cat --zoom 1.5", "a cat --zoom 1.5 --ar 3:2"),
        ("novicezk", "a cat --ar 3:2", "a cat --zoom 1.5", "a cat --zoom 1.5 --ar 3:2"),
        ("trueai", "a cat --ar 3:2", "a cat --ar 16:9 --zoom 2", "a cat --ar 16:9 --zoom 2"),
    ],
)
async def test_custom_zoom_sends_a_prompt_with_its_aspect_ratio(
    fake: FakeAgicto,
    provider: AgictoProvider,
    variant: str,
    imagined: str,
    zoom: str,
    sent: str,
) -> None:
    """trueai's MODAL answer names the parent's prompt; novicezk's does not, and the parent
    task is fetched for it."""
    fake.modal_variant = variant
    single = await upscaled(provider, imagined)
    custom = button_of(single, Action.ZOOM_CUSTOM)
    task_id = await provider.act(single.task_id, custom, prompt=zoom)
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": single.task_id,
        "customId": custom.handle,
    }
    assert fake.submits_to("/mj/submit/modal") == [{"taskId": task_id, "prompt": sent}]
    assert (fake.tasks[task_id].kind, fake.tasks[task_id].prompt) == ("zoom_custom", sent)
    done = await finish(provider, task_id)
    assert [(b.action, b.index) for b in done.buttons] == GRID


async def test_custom_zoom_without_any_aspect_ratio_goes_as_it_is(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider, "a cat")
    task_id = await provider.act(
        single.task_id, button_of(single, Action.ZOOM_CUSTOM), prompt="a cat --zoom 2"
    )
    assert fake.submits_to("/mj/submit/modal") == [{"taskId": task_id, "prompt": "a cat --zoom 2"}]


async def test_custom_zoom_out_of_range_is_refused(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider, "a cat --ar 1:1")
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            single.task_id, button_of(single, Action.ZOOM_CUSTOM), prompt="a cat --zoom 3"
        )
    assert caught.value.kind is ErrorKind.INVALID
    assert "--zoom" in caught.value.detail


@VARIANTS
@pytest.mark.parametrize(("kind", "index"), REMIXED)
async def test_remix_runs_the_follow_up_with_the_edited_prompt(
    fake: FakeAgicto, provider: AgictoProvider, variant: str, kind: str, index: int
) -> None:
    fake.modal_variant, fake.remix_on = variant, True
    parent = await grid(provider) if kind in ("variation", "reroll") else await upscaled(provider)
    button = button_of(parent, Action(kind), index)
    task_id = await provider.act(parent.task_id, button, prompt="a dog")
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": parent.task_id,
        "customId": button.handle,
        "enableRemix": True,
    }
    assert fake.submits_to("/mj/submit/modal") == [{"taskId": task_id, "prompt": "a dog"}]
    task = fake.tasks[task_id]
    assert (task.kind, task.index, task.prompt) == (kind, index, "a dog")
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_a_plain_follow_up_on_a_remixing_account_is_confirmed_unchanged(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    """trueai with the account's Remix on makes a plain V1 wait (code 21): it is confirmed
    with the prompt the proxy proposes, instead of being left MODAL."""
    fake.modal_variant, fake.remix_on = "trueai", True
    parent = await grid(provider, "a quiet lake")
    task_id = await provider.act(parent.task_id, button_of(parent, Action.VARIATION, 1))
    assert "enableRemix" not in fake.submits_to("/mj/submit/action")[-1]
    assert fake.submits_to("/mj/submit/modal") == [{"taskId": task_id, "prompt": "a quiet lake"}]
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_a_plain_follow_up_stays_one_call(fake: FakeAgicto, provider: AgictoProvider) -> None:
    parent = await grid(provider)
    task_id = await provider.act(parent.task_id, button_of(parent, Action.VARIATION, 2))
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": parent.task_id,
        "customId": button_of(parent, Action.VARIATION, 2).handle,
    }
    assert fake.submits_to("/mj/submit/modal") == []
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


async def test_trueai_refuses_a_remix_where_the_account_has_remix_off(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    parent = await grid(provider)
    with pytest.raises(ProviderError) as caught:
        await provider.act(parent.task_id, button_of(parent, Action.REROLL), prompt="a dog")
    assert caught.value.kind is ErrorKind.INVALID
    assert "remix" in caught.value.detail
    assert fake.submits_to("/mj/submit/modal") == []


async def test_a_remix_the_proxy_does_not_wait_for_runs_unedited(
    fake: FakeAgicto, provider: AgictoProvider, caplog: pytest.LogCaptureFixture
) -> None:
    """novicezk ignores enableRemix: with Remix off on the account the variation just runs."""
    fake.modal_variant = "novicezk"
    parent = await grid(provider)
    with caplog.at_level(logging.WARNING, logger="bot.providers"):
        task_id = await provider.act(
            parent.task_id, button_of(parent, Action.VARIATION, 1), prompt="a dog"
        )
    assert "runs without its input" in caplog.text
    assert fake.submits_to("/mj/submit/modal") == []
    assert fake.tasks[task_id].prompt == "a cat"
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


@pytest.mark.parametrize("action", [Action.VARY_REGION, Action.ZOOM_CUSTOM])
async def test_without_the_modal_route_the_flow_is_unsupported(
    fake: FakeAgicto, provider: AgictoProvider, action: Action
) -> None:
    fake.modal_route = False
    single = await upscaled(provider, "a cat --ar 1:1")
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            single.task_id,
            button_of(single, action),
            prompt="a door --zoom 2",
            mask=data_uri(MASK, "image/png"),
        )
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert "HTTP 404" in caught.value.detail


async def test_both_steps_carry_the_ref_and_the_hook(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider)
    hook = "https://bot.example/hook/abc"
    task_id = await provider.act(
        single.task_id,
        button_of(single, Action.VARY_REGION),
        ref="mjbot-3-1733000002",
        hook=hook,
        prompt="a red door",
        mask=data_uri(MASK, "image/png"),
    )
    for body in (fake.submits_to("/mj/submit/action")[-1], fake.submits_to("/mj/submit/modal")[0]):
        assert (body["state"], body["notifyHook"]) == ("mjbot-3-1733000002", hook)
    assert await provider.find_task("mjbot-3-1733000002") == task_id


@pytest.mark.parametrize(
    ("task_id", "status", "code"), [("1", 200, 4), ("999", 404, 3), ("", 200, 4)]
)
async def test_the_fake_modal_takes_only_a_waiting_task(
    provider: AgictoProvider, task_id: str, status: int, code: int
) -> None:
    await grid(provider)  # task 1, finished: not MODAL
    answer = await provider.request(
        "POST", "/mj/submit/modal", json={"taskId": task_id, "prompt": "a dog"}
    )
    assert (answer[0], answer[1]["code"]) == (status, code)


@pytest.mark.parametrize(
    ("prompt", "sources", "expected"),
    [
        ("a cat --zoom 2", ("a cat --ar 3:2",), "a cat --zoom 2 --ar 3:2"),
        ("a cat --zoom 2", ("", "a cat --aspect 2:3 --v 6"), "a cat --zoom 2 --ar 2:3"),
        ("a cat --aspect 4:5 --zoom 2", ("a cat --ar 3:2",), "a cat --aspect 4:5 --zoom 2"),
        ("a cat --zoom 2", ("a cat", ""), "a cat --zoom 2"),
    ],
)
def test_with_aspect(prompt: str, sources: tuple[str, ...], expected: str) -> None:
    assert with_aspect(prompt, *sources) == expected


@pytest.mark.parametrize(("auto", "state"), [(True, TaskState.QUEUED), (False, TaskState.MODAL)])
def test_a_confirmed_modal_task_reads_as_queued(auto: bool, state: TaskState) -> None:
    data = {"id": "7", "status": "MODAL", "remixAutoSubmit": auto, "buttons": []}
    assert parse_task(data).state is state


# --- Animate (VIDEO): the proxy's buttons through /action, the bot's own through /video -----

MOTIONS = pytest.mark.parametrize("action", [Action.ANIMATE_LOW, Action.ANIMATE_HIGH])
VIDEO_PATH = "/mj/submit/video"
HOOK = "https://bot.example/hook/video"  # not on 127.0.0.1: the fake records its callbacks


def own_animate(action: Action) -> Button:
    """The bot's own Animate button (domain.with_animate), for an upscale listing none."""
    return Button(action, "")


def motion_of(action: Action) -> str:
    return action.value.removeprefix("animate_")


def test_video_is_claimed(provider: AgictoProvider) -> None:
    assert Capability.VIDEO in provider.capabilities
    assert provider.supports(Action.ANIMATE_LOW)
    assert provider.supports(Action.ANIMATE_HIGH)
    assert not {Action.ANIMATE_LOW, Action.ANIMATE_HIGH} & provider.inline_images


@MOTIONS
async def test_the_proxys_animate_button_runs_through_action(
    fake: FakeAgicto, provider: AgictoProvider, action: Action
) -> None:
    single = await upscaled(provider, "a cat --ar 3:2")
    button = button_of(single, action)
    task_id = await provider.act(
        single.task_id, button, prompt="a cat --ar 3:2", image=single.image_url
    )
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": single.task_id,
        "customId": button.handle,
    }
    assert fake.submits_to(VIDEO_PATH) == []
    task = fake.tasks[task_id]
    assert (task.kind, task.parent) == (action.value, single.task_id)
    running = await provider.fetch(task_id)
    assert (running.state, running.video_urls) == (TaskState.RUNNING, ())
    assert running.image_url == fake.image_url(task)  # a preview while it runs
    done = await finish(provider, task_id)
    assert (done.state, done.progress) == (TaskState.SUCCESS, 100)
    assert done.video_urls == tuple(fake.video_url(task, n) for n in range(4))
    assert (done.image_url, done.image_urls, done.buttons) == (None, (), ())
    assert (await provider.download(done.video_urls[0]))[4:8] == b"ftyp"


@MOTIONS
async def test_the_bots_own_animate_sends_the_image_to_submit_video(
    fake: FakeAgicto, provider: AgictoProvider, action: Action
) -> None:
    fake.video_variant = "no_buttons"
    single = await upscaled(provider, "a cat --ar 3:2 --v 7")
    assert not any(b.action.is_video for b in single.buttons)
    task_id = await provider.act(
        single.task_id,
        own_animate(action),
        ref="mjbot-9-1733000009",
        hook=HOOK,
        speed="relax",
        prompt="a cat --ar 3:2 --v 7",
        image=single.image_url,
    )
    assert fake.submits_to(VIDEO_PATH) == [
        {
            "model": "mj-relax",
            "botType": "MID_JOURNEY",
            "prompt": "a cat",
            "motion": motion_of(action),
            "image": single.image_url,
            "batchSize": 1,
            "state": "mjbot-9-1733000009",
            "notifyHook": HOOK,
        }
    ]
    assert len(fake.submits_to("/mj/submit/action")) == 1  # the upscale's own
    task = fake.tasks[task_id]
    assert (task.kind, task.parent) == (action.value, single.task_id)
    assert task.prompt == f"{single.image_url} a cat --video 1 --motion {motion_of(action)} --bs 1"
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert done.video_urls == (fake.video_url(task, 0),)
    assert await provider.find_task("mjbot-9-1733000009") == task_id


@pytest.mark.parametrize("prompt", ["", None, "--ar 1:1 --v 7"])
async def test_a_parent_without_prompt_text_sends_the_image_as_the_prompt(
    fake: FakeAgicto, provider: AgictoProvider, prompt: str | None
) -> None:
    """trueai refuses a blank prompt and prepends the image only where the prompt lacks it."""
    fake.video_variant = "no_buttons"
    single = await upscaled(provider)
    task_id = await provider.act(
        single.task_id, own_animate(Action.ANIMATE_HIGH), prompt=prompt, image=single.image_url
    )
    assert fake.submits_to(VIDEO_PATH)[0]["prompt"] == single.image_url
    assert fake.tasks[task_id].prompt == f"{single.image_url} --video 1 --motion high --bs 1"
    assert (await finish(provider, task_id)).state is TaskState.SUCCESS


@pytest.mark.parametrize("image", [None, "", "data:image/png;base64,iVBORw0KGgo="])
async def test_the_bots_animate_without_an_image_url_is_not_sent(
    fake: FakeAgicto, provider: AgictoProvider, image: str | None
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.act("1", own_animate(Action.ANIMATE_LOW), prompt="a cat", image=image)
    assert caught.value.kind is ErrorKind.INVALID
    assert fake.submits == []


async def test_a_finished_video_reads_the_same_from_fetch_batch_and_callback(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    fake.video_variant = "no_buttons"
    single = await upscaled(provider)
    task_id = await provider.act(
        single.task_id,
        own_animate(Action.ANIMATE_HIGH),
        hook=HOOK,
        prompt="a cat",
        image=single.image_url,
    )
    fetched = await finish(provider, task_id)
    (batched,) = await provider.fetch_many([task_id])
    assert fake.batch_queries == [[task_id]]
    final = [body for url, body, _ in fake.callbacks if url == HOOK][-1]
    called = provider.read_callback(json.dumps(final).encode())
    video = fake.video_url(fake.tasks[task_id], 0)
    assert (final["action"], final["status"], final["videoUrl"]) == ("VIDEO", "SUCCESS", video)
    for snapshot in (fetched, batched, called):
        assert (snapshot.task_id, snapshot.state) == (task_id, TaskState.SUCCESS)
        assert snapshot.video_urls == (video,)
        assert (snapshot.image_url, snapshot.image_urls, snapshot.buttons) == (None, (), ())


def test_video_urls_are_video_url_then_video_urls_without_repeats() -> None:
    a, b, c = (f"https://cdn.example/video/{n}.mp4" for n in "abc")
    cover = "https://cdn.example/video/a_640_N.webp"
    data = {
        "id": "5",
        "action": "VIDEO",
        "status": "SUCCESS",
        "imageUrl": cover,
        "videoUrl": a,
        "videoUrls": [{"url": a, "thumbnail": cover}, {"url": b}, c, "not a url", {"url": 5}],
        "imageUrls": [{"url": a, "thumbnail": cover}, {"url": b}],
    }
    snapshot = parse_task(data)
    assert snapshot.video_urls == (a, b, c)
    assert (snapshot.image_url, snapshot.image_urls) == (cover, ())
    assert parse_task({**data, "imageUrl": b}).image_url is None  # a video, not an image
    assert parse_task({**data, "videoUrl": None}).video_urls == (a, b, c)
    assert parse_task({**data, "videoUrls": "x"}).video_urls == (a,)
    assert parse_task({**data, "action": "VIDEO_EXTEND", "videoUrl": c}).video_urls == (c, a, b)


@pytest.mark.parametrize("action", ["VIDEO", "VIDEO_EXTEND"])
def test_a_finished_video_without_any_video_is_a_failure(action: str) -> None:
    task = {"id": "5", "action": action, "status": "SUCCESS", "progress": "100%"}
    for missing in ({}, {"videoUrl": "", "videoUrls": []}, {"videoUrls": [{"url": None}]}):
        snapshot = parse_task({**task, **missing, "imageUrl": "https://cdn.example/a.png"})
        assert snapshot.state is TaskState.FAILURE
        assert (snapshot.fail_reason, snapshot.error_kind) == (NO_VIDEO, ErrorKind.FAILED)
    # A still image's task needs none.
    assert parse_task({**task, "action": "UPSCALE"}).state is TaskState.SUCCESS


async def test_a_video_task_the_proxy_ends_without_urls_is_a_failure(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider)
    task_id = await provider.act(single.task_id, button_of(single, Action.ANIMATE_LOW))

    def without_videos(body: Any) -> Any:
        if isinstance(body, dict) and body.get("status") == "SUCCESS":
            return {**body, "videoUrl": None, "videoUrls": [], "imageUrls": []}
        return body

    fake.answer_edits = without_videos
    done = await finish(provider, task_id)
    assert (done.state, done.fail_reason, done.video_urls) == (TaskState.FAILURE, NO_VIDEO, ())


async def test_a_failed_video_has_the_proxys_reason(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    fake.video_variant = "no_buttons"
    single = await upscaled(provider)
    task_id = await provider.act(
        single.task_id,
        own_animate(Action.ANIMATE_LOW),
        prompt=f"a cat {FAIL_WORD}",
        image=single.image_url,
    )
    done = await finish(provider, task_id)
    assert done.state is TaskState.FAILURE
    assert done.fail_reason == "Task failed: the image could not be generated"
    assert done.video_urls == ()


async def test_a_video_keeps_only_its_extend_buttons(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    single = await upscaled(provider)
    task_id = await provider.act(single.task_id, button_of(single, Action.ANIMATE_HIGH))
    done = await finish(provider, task_id)
    listed = [b["customId"] for b in fake.render(fake.tasks[task_id])["buttons"]]
    assert [c.split("::")[2] for c in listed] == ["video_virtual_upscale"] * 4 + ["reroll"]
    assert done.buttons == ()  # trueai's video U1–U4 and 🔄: not for the bot

    fake.video_buttons = "extend"
    extended = await provider.fetch(task_id)
    hash_ = fake.job_hash(fake.tasks[task_id])
    assert extended.buttons == (
        Button(
            Action.EXTEND_HIGH,
            f"MJ::JOB::animate_high_extend::1::{hash_}",
            0,
            "Extend (High motion)",
        ),
        Button(
            Action.EXTEND_LOW, f"MJ::JOB::animate_low_extend::1::{hash_}", 0, "Extend (Low motion)"
        ),
    )


@pytest.mark.parametrize(
    ("variant", "text"), [("absent", "HTTP 404"), ("disabled", "视频功能未启用")]
)
async def test_without_video_on_the_server_the_bots_animate_is_unsupported(
    fake: FakeAgicto, provider: AgictoProvider, variant: str, text: str
) -> None:
    fake.video_variant = variant
    single = await upscaled(provider)
    assert not any(b.action.is_video for b in single.buttons)
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            single.task_id, own_animate(Action.ANIMATE_HIGH), prompt="a cat", image=single.image_url
        )
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert text in caught.value.detail
    assert fake.submits_to(VIDEO_PATH) == []


async def test_an_image_the_proxy_cannot_read_is_invalid(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    with pytest.raises(ProviderError) as caught:
        await provider.act(
            "1",
            own_animate(Action.ANIMATE_LOW),
            prompt="a cat",
            image="https://cdn.example/elsewhere.png",
        )
    assert caught.value.kind is ErrorKind.INVALID
    assert "code 4: 图片链接无效" in caught.value.detail
    assert fake.submits == []


@pytest.mark.parametrize(
    ("edit", "text"),
    [
        ({"prompt": " "}, "Prompt 不能为空"),
        ({"prompt": None}, "Prompt 不能为空"),
        ({"image": None}, "base64格式错误"),
        ({"image": "data:image/png;base64,bm90IGFuIGltYWdl"}, "base64格式错误"),
        ({"taskId": "1"}, "任务类型错误"),
        ({"taskId": "1", "action": "extend", "index": 0}, "the fake does not extend videos"),
        ({"motion": "medium"}, "motion参数错误"),
        ({"model": None}, "参数错误"),
    ],
)
async def test_the_fake_video_route_checks_its_fields(
    fake: FakeAgicto, provider: AgictoProvider, edit: dict[str, Any], text: str
) -> None:
    single = await upscaled(provider)
    body = {
        "model": "mj-fast",
        "botType": "MID_JOURNEY",
        "prompt": "a cat",
        "motion": "low",
        "image": single.image_url,
        "batchSize": 1,
        **edit,
    }
    status, answer = await provider.request("POST", VIDEO_PATH, json=body)
    assert (status, answer["code"], answer["description"]) == (200, 4, text)
    assert fake.submits_to(VIDEO_PATH) == []


@pytest.mark.parametrize(("batch", "videos"), [(1, 1), (2, 2), (4, 4), (3, 4), (None, 4)])
async def test_the_fake_makes_as_many_videos_as_trueai_asks_for(
    fake: FakeAgicto, provider: AgictoProvider, batch: int | None, videos: int
) -> None:
    single = await upscaled(provider)
    body = {"model": "mj-fast", "botType": "MID_JOURNEY", "prompt": "a cat"}
    body |= {"image": single.image_url, "batchSize": batch}
    status, answer = await provider.request("POST", VIDEO_PATH, json=body)
    assert (status, answer["code"]) == (200, 1)
    done = await finish(provider, str(answer["result"]))
    task = fake.tasks[done.task_id]
    assert task.kind == "animate_low"  # trueai's default motion
    assert done.video_urls == tuple(fake.video_url(task, n) for n in range(videos))


async def test_an_animate_on_a_remixing_account_is_confirmed_unchanged(
    fake: FakeAgicto, provider: AgictoProvider
) -> None:
    """With Remix on, trueai makes an Animate wait like a variation (§4.6): it is confirmed
    through /modal with the prompt the proxy proposes."""
    fake.modal_variant, fake.remix_on = "trueai", True
    single = await upscaled(provider, "a quiet lake")
    button = button_of(single, Action.ANIMATE_HIGH)
    task_id = await provider.act(
        single.task_id, button, prompt="a quiet lake", image=single.image_url
    )
    assert fake.submits_to("/mj/submit/action")[-1] == {
        "taskId": single.task_id,
        "customId": button.handle,
    }
    assert fake.submits_to("/mj/submit/modal") == [{"taskId": task_id, "prompt": "a quiet lake"}]
    done = await finish(provider, task_id)
    assert done.state is TaskState.SUCCESS
    assert len(done.video_urls) == 4

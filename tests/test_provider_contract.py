"""What every adapter guarantees, checked against its fake: answers of any type and size
are read safely, the key never shows, one bad task fails only itself, refs and find_task."""

from __future__ import annotations

import copy
import json
import logging
import math
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from bot.domain import Action, buttons_to_json
from bot.providers.acedata import AcedataProvider
from bot.providers.agicto import AgictoProvider
from bot.providers.apimart import ApimartProvider
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.gptunnel import GptunnelProvider
from bot.providers.tasks import Capability, TaskSnapshot
from bot.providers.ttapi import TtapiProvider
from tests.contract import finish
from tests.fakes.acedata import FakeAcedata
from tests.fakes.agicto import FakeAgicto
from tests.fakes.apimart import FakeApimart
from tests.fakes.gptunnel import FakeGptunnel
from tests.fakes.provider_base import FAIL_WORD, FakeProvider
from tests.fakes.ttapi import FakeTtapi

ADAPTERS: dict[str, tuple[type[FakeProvider], type[Provider]]] = {
    "agicto": (FakeAgicto, AgictoProvider),
    "apimart": (FakeApimart, ApimartProvider),
    "acedata": (FakeAcedata, AcedataProvider),
    "ttapi": (FakeTtapi, TtapiProvider),
    "gptunnel": (FakeGptunnel, GptunnelProvider),
}
RECONCILING = [
    name for name, (_, cls) in ADAPTERS.items() if Capability.RECONCILE in cls.capabilities
]
BATCHING = ["agicto", "acedata"]  # adapters with a batch query of their own

Pair = tuple[FakeProvider, Provider]


async def start(name: str, client_timeout: float = 1.0) -> Pair:
    fake_class, provider_class = ADAPTERS[name]
    fake = fake_class()
    await fake.start()
    return fake, provider_class(fake.base_url, fake.api_key, timeout=client_timeout)


@pytest.fixture(params=list(ADAPTERS))
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    fake, provider = await start(request.param)
    yield fake, provider
    await provider.aclose()
    await fake.stop()


async def succeeded(provider: Provider, prompt: str = "a cat") -> TaskSnapshot:
    return await finish(provider, await provider.imagine(prompt))


# --- odd values in every field ----------------------------------------------------------

GARBAGE: list[Any] = [
    None,
    True,
    0,
    -7,
    45.5,
    10**400,  # valid JSON, too big for a float
    math.inf,  # sent as 1e999
    -math.inf,
    math.nan,
    "",
    "garbage",
    "javascript:alert(1)",
    [],
    ["https://example.com/a.png", 1],
    {},
    {"url": [None, {"deeper": [math.inf]}]},
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field of a JSON answer, nested ones included (of a list, the first item)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list) and value:
        yield (*prefix, 0)
        yield from paths(value[0], (*prefix, 0))


def replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    body = copy.deepcopy(body)
    parent = body
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return body


def check_snapshot(snapshot: Any, task_id: str) -> None:
    """What the tracker and the store rely on, whatever the provider sent."""
    assert isinstance(snapshot, TaskSnapshot)
    assert snapshot.task_id == task_id
    assert type(snapshot.progress) is int and 0 <= snapshot.progress <= 100
    for url in (snapshot.image_url, *snapshot.image_urls):
        assert url is None or (isinstance(url, str) and url.startswith(("http://", "https://")))
    assert snapshot.image_url is None or isinstance(snapshot.image_url, str)
    assert snapshot.fail_reason is None or isinstance(snapshot.fail_reason, str)
    for button in snapshot.buttons:
        assert isinstance(button.action, Action) and type(button.index) is int
        assert isinstance(button.handle, str) and button.handle
        assert isinstance(button.label, str)
    buttons_to_json(snapshot.buttons)  # the store can keep them


async def answers(fake: FakeProvider, provider: Provider) -> list[tuple[str, Any]]:
    """(task id, the JSON of its poll answer) for a finished, a failed and a running task."""
    seen: list[Any] = []

    def record(body: Any) -> Any:
        seen.append(body)
        return body

    done = (await succeeded(provider)).task_id
    failed = (await succeeded(provider, f"a cat {FAIL_WORD}")).task_id
    fake.hold = True
    running = await provider.imagine("a dog")
    await provider.fetch(running)
    fake.answer_edits = record
    result = []
    for task_id in (done, failed, running):
        await provider.fetch(task_id)
        result.append((task_id, seen[-1]))
    return result


async def test_any_value_in_any_field_of_a_poll_answer_gives_a_sound_snapshot(pair: Pair) -> None:
    fake, provider = pair
    for task_id, answer in await answers(fake, provider):
        for path in paths(answer):
            for value in GARBAGE:
                fake.answer_edits = lambda body, p=path, v=value: replaced(body, p, v)
                try:
                    check_snapshot(await provider.fetch(task_id), task_id)
                except Exception as exc:
                    raise AssertionError(f"{path} = {value!r}: {exc!r}") from exc


GARBAGE_ITEMS: list[Any] = [
    "junk",
    None,
    42,
    [],
    {"id": {"x": 1}, "status": "SUCCESS"},
    {"id": ["1"], "response": {"success": True}},
]


def odd_task(task_id: str) -> dict[str, Any]:
    """A batch item with a readable id and nothing else readable."""
    return {
        "id": task_id,
        "status": ["SUCCESS"],
        "state": {"x": 1},
        "progress": math.inf,
        "imageUrl": ["https://example.com/a.png"],
        "imageUrls": [{"url": math.nan}],
        "buttons": [{"customId": 1, "label": None}, "x"],
        "failReason": {"a": 1},
        "response": {"success": True, "progress": math.inf, "raw_image_url": 7, "actions": "x"},
    }


def spoil(bad_id: str, item: Any) -> Callable[[Any], Any]:
    """An answer edit that puts `item` in place of the task `bad_id`, in a batch answer
    (a list, or AceData's `items`) or as the whole answer of a single fetch."""

    def edit(body: Any) -> Any:
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            return {**body, "items": edit(body["items"])}
        if isinstance(body, list):
            return [item if task.get("id") == bad_id else task for task in body]
        if isinstance(body, dict) and bad_id in (body.get("id"), body.get("jobId")):
            return item
        return body

    return edit


async def fetch_many_with_one_spoiled(
    fake: FakeProvider, provider: Provider, bad: Any, caplog: pytest.LogCaptureFixture
) -> tuple[list[str], dict[str, TaskSnapshot], int]:
    """(task ids, snapshots by id, warnings logged) of a fetch_many over three tasks whose
    second one is answered with `bad` ("odd": with a readable id and nothing else)."""
    ids = [await provider.imagine(f"cat {n}") for n in range(3)]
    fake.answer_edits = spoil(ids[1], odd_task(ids[1]) if bad == "odd" else bad)
    with caplog.at_level(logging.WARNING, logger="bot.providers"):
        snapshots = await provider.fetch_many(ids)
    for snapshot in snapshots:
        check_snapshot(snapshot, snapshot.task_id)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    return ids, {s.task_id: s for s in snapshots}, len(warnings)


@pytest.mark.parametrize("name", BATCHING)
@pytest.mark.parametrize("bad", [*GARBAGE_ITEMS, "odd"])
async def test_one_bad_item_of_a_batch_answer_spoils_only_itself(
    name: str, bad: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake, provider = await start(name)
    try:
        ids, found, warnings = await fetch_many_with_one_spoiled(fake, provider, bad, caplog)
    finally:
        await provider.aclose()
        await fake.stop()
    assert ids[0] in found and ids[2] in found
    if bad == "odd":  # readable enough: it is there, with nothing of the odd values
        assert ids[1] in found and warnings == 0
    else:  # unreadable: left out (the tracker takes it as not found), said once
        assert ids[1] not in found and warnings == 1


@pytest.mark.parametrize("name", ["agicto", "apimart", "ttapi", "gptunnel"])
async def test_one_bad_answer_among_single_fetches_spoils_only_itself(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Provider.fetch_many without a batch query (AGICTO: once list-by-condition is gone)."""
    fake, provider = await start(name)
    if isinstance(fake, FakeAgicto):
        fake.list_by_condition = False
    try:
        ids, found, warnings = await fetch_many_with_one_spoiled(fake, provider, "junk", caplog)
    finally:
        await provider.aclose()
        await fake.stop()
    assert sorted(found) == sorted([ids[0], ids[2]])
    assert warnings == (2 if name == "agicto" else 1)  # AGICTO also says it falls back


# --- answers of any size --------------------------------------------------------------


@pytest.mark.parametrize("call", ["submit", "fetch"])
async def test_an_answer_over_the_cap_is_unavailable_and_not_read_whole(
    pair: Pair, call: str
) -> None:
    fake, provider = pair
    task_id = await provider.imagine("a cat")
    (fake.submit_faults if call == "submit" else fake.fetch_faults).append("huge")
    with pytest.raises(ProviderError) as caught:
        await (provider.imagine("a dog") if call == "submit" else provider.fetch(task_id))
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.maybe_done
    assert f"longer than {provider.max_answer_bytes} bytes" in caught.value.detail
    assert (await provider.fetch(task_id)).task_id == task_id  # the next answer reads fine


# --- the key never shows ---------------------------------------------------------------


def texts_of(outcome: Any) -> str:
    if isinstance(outcome, ProviderError):
        return f"{outcome.detail} {outcome} {outcome!r}"
    return repr(outcome)


@pytest.mark.parametrize("fault", ["echo_key", "echo_key_json"])
@pytest.mark.parametrize("call", ["submit", "fetch"])
async def test_an_echoed_key_is_scrubbed_from_errors_and_logs(
    pair: Pair, call: str, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake, provider = pair
    task_id = await provider.imagine("a cat")
    (fake.submit_faults if call == "submit" else fake.fetch_faults).append(fault)
    outcome: Any
    with caplog.at_level(logging.DEBUG):
        try:
            outcome = await (
                provider.imagine("a dog") if call == "submit" else provider.fetch(task_id)
            )
        except ProviderError as exc:
            logging.getLogger("test").warning("failed: %s", exc)
            outcome = exc
    assert isinstance(outcome, ProviderError)
    assert fake.api_key not in texts_of(outcome)
    assert "upstream refused the key ***" in outcome.detail
    assert fake.api_key not in caplog.text


async def test_a_fail_reason_quoting_the_key_is_scrubbed(pair: Pair) -> None:
    fake, provider = pair
    failed = await succeeded(provider, f"a cat {FAIL_WORD}")
    assert failed.fail_reason and "could not" in failed.fail_reason
    quote = f"could not (key {fake.api_key})"
    fake.answer_edits = lambda body: deep_replace(body, "could not", quote)
    snapshot = await provider.fetch(failed.task_id)
    assert snapshot.fail_reason and "(key ***)" in snapshot.fail_reason
    assert fake.api_key not in repr(snapshot)


def deep_replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [deep_replace(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: deep_replace(v, old, new) for k, v in value.items()}
    return value


# --- refs and reconciling -----------------------------------------------------------------


async def test_every_adapter_takes_a_ref(pair: Pair) -> None:
    _, provider = pair
    parent = await finish(provider, await provider.imagine("a cat", ref="mjbot-1-1733000000"))
    child = await provider.act(parent.task_id, parent.buttons[0], ref="mjbot-2-1733000001")
    assert (await finish(provider, child)).state.is_final


@pytest.mark.parametrize("name", [name for name in ADAPTERS if name not in RECONCILING])
async def test_find_task_is_unsupported_where_not_declared(name: str) -> None:
    fake, provider = await start(name)
    try:
        with pytest.raises(ProviderError) as caught:
            await provider.find_task("mjbot-1-1733000000")
    finally:
        await provider.aclose()
        await fake.stop()
    assert caught.value.kind is ErrorKind.UNSUPPORTED


@pytest.fixture(params=RECONCILING)
async def reconciling(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    fake, provider = await start(request.param, client_timeout=0.3)
    yield fake, provider
    await provider.aclose()
    await fake.stop()


async def test_find_task_finds_the_task_of_a_ref(reconciling: Pair) -> None:
    _, provider = reconciling
    await provider.imagine("a dog", ref="mjbot-1-1733000000")
    task_id = await provider.imagine("a cat", ref="mjbot-2-1733000001")
    await provider.imagine("a cow")
    assert await provider.find_task("mjbot-2-1733000001") == task_id
    parent = await finish(provider, task_id)
    child = await provider.act(parent.task_id, parent.buttons[0], ref="mjbot-3-1733000002")
    assert await provider.find_task("mjbot-3-1733000002") == child


async def test_find_task_knows_a_submit_the_client_gave_up_on(reconciling: Pair) -> None:
    fake, provider = reconciling
    fake.submit_delay = 5.0  # longer than the client's timeout
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a cat", ref="mjbot-7-1733000000")
    assert caught.value.maybe_done
    (task_id,) = fake.tasks
    assert await provider.find_task("mjbot-7-1733000000") == task_id


async def test_find_task_says_none_when_the_submit_never_arrived(reconciling: Pair) -> None:
    fake, provider = reconciling
    await provider.imagine("a cat", ref="mjbot-1-1733000000")
    fake.submit_faults = ["drop"]
    with pytest.raises(ProviderError) as caught:
        await provider.imagine("a dog", ref="mjbot-2-1733000001")
    assert caught.value.maybe_done
    assert await provider.find_task("mjbot-2-1733000001") is None


# --- callbacks -----------------------------------------------------------------------------

CALLING_BACK = [
    name for name, (_, cls) in ADAPTERS.items() if Capability.WEBHOOK in cls.capabilities
]


@pytest.fixture(params=CALLING_BACK)
async def calling_back(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    fake, provider = await start(request.param)
    yield fake, provider
    await provider.aclose()
    await fake.stop()


def test_the_adapters_that_call_back() -> None:
    assert CALLING_BACK == ["agicto", "acedata", "ttapi"]
    for name in set(ADAPTERS) - set(CALLING_BACK):
        provider = ADAPTERS[name][1]("http://127.0.0.1:9", "key")
        with pytest.raises(ProviderError) as refused:
            provider.read_callback(b"{}")
        assert refused.value.kind is ErrorKind.UNSUPPORTED


async def test_a_callback_reads_as_the_poll_answer_of_its_task(calling_back: Pair) -> None:
    fake, provider = calling_back
    for prompt in ("a cat", f"a cat {FAIL_WORD}"):
        polled = await succeeded(provider, prompt)
        body = fake.callback_body(fake.tasks[polled.task_id])
        assert provider.read_callback(json.dumps(body).encode()) == polled


async def test_any_value_in_any_field_of_a_callback_is_read_safely(calling_back: Pair) -> None:
    fake, provider = calling_back
    for prompt in ("a cat", f"a cat {FAIL_WORD}"):
        task_id = (await succeeded(provider, prompt)).task_id
        body = fake.callback_body(fake.tasks[task_id])
        for path in paths(body):
            for value in GARBAGE:
                raw = json.dumps(replaced(body, path, value)).encode()
                try:
                    snapshot = provider.read_callback(raw)
                    # A spoiled id names another task, which the tracker refuses.
                    assert isinstance(snapshot.task_id, str) and snapshot.task_id
                    check_snapshot(snapshot, snapshot.task_id)
                except ProviderError as error:
                    assert error.kind is ErrorKind.INVALID, f"{path} = {value!r}"
                except Exception as exc:
                    raise AssertionError(f"{path} = {value!r}: {exc!r}") from exc
    for raw in (b"", b"not json", b"[]", b"null", b"[" * 100_000):
        with pytest.raises(ProviderError) as refused:
            provider.read_callback(raw)
        assert refused.value.kind is ErrorKind.INVALID


async def test_a_callback_quoting_the_key_is_scrubbed(calling_back: Pair) -> None:
    fake, provider = calling_back
    failed = await succeeded(provider, f"a cat {FAIL_WORD}")
    body = fake.callback_body(fake.tasks[failed.task_id])
    quoted = deep_replace(body, "could not", f"could not (key {fake.api_key})")
    snapshot = provider.read_callback(json.dumps(quoted).encode())
    assert snapshot.fail_reason and "(key ***)" in snapshot.fail_reason
    assert fake.api_key not in repr(snapshot)

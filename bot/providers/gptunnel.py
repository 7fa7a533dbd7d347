"""GPTunnel (https://docs.gptunnel.ru/api-midjourney): one endpoint per action, raw-key auth.

Every submit answers the task object (status "idle"); `GET /v1/midjourney/result?taskId=`
answers the same object as the task advances. Next actions come as `actions` strings.

Gaps in the provider's documentation (providers.md §5) and what this adapter does:
- Running status value: UNKNOWN (only "idle" and "done" are documented). Any value other than
  idle/done/failed is RUNNING.
- Failure: "failed" is a third-party observation and the `error` shape is UNKNOWN. "failed" or
  any non-empty `error` is FAILURE; the reason is `error.message` when `error` is an object,
  else the value itself.
- `result` is one URL (the grid, or the single image of an upsample), intermediate while
  percent < 100; no tiles are given, so `image_urls` stays empty.
- Action names: the documented example spells "upsamle_i" (and repeats variation_4); both
  "upsamle_i" and "upsample_i" are read, duplicates are dropped, nothing is added. Names for
  pan/outpaint/upscale are UNKNOWN: they map to Action.OTHER. Inpaint's is UNKNOWN too:
  "inpaint" (the endpoint's and the task type's name) is read as Vary Region [INFERENCE]; an
  upscale that offers it under another name shows no Vary (Region) button.
- Reroll body: UNKNOWN; `{taskId}` is sent (INFERENCE, like /upsample and /variation).
- /outpaint, /pan, /upscale bodies are UNKNOWN: those actions raise UNSUPPORTED.
- Vary Region is `POST /inpaint {taskId: <the upscale>, mask, prompt}`, answered with the new
  task (type "inpaint"), whose result is a grid. `mask` is typed "base64" ("B/W mask in PNG
  format"): the bot's PNG goes inline (VARY_REGION is in `inline_images`) and is sent bare,
  its `data:` prefix off (whether a prefixed one is read is UNKNOWN). Black = keep, white =
  change [DOC], as the bot draws it. `prompt` is optional (the original's when absent [DOC]):
  sent when given. No mask, no request.
- No speed mode field is documented: `self.mode` is not sent. `useWalletBalance` is not sent.
- Error answers other than 400/401/402 (429, 5xx, unknown task) are UNKNOWN: the HTTP status
  decides, and a moderation word in the message gives MODERATION (refusals are undocumented).
- Field types are not trusted: a URL is an http(s) string, a percent a finite number, the
  task id and action names strings; anything else reads as absent. A fetched task keeps the
  id it was fetched by.
- No request field is documented to come back on the task: the bot's `ref` is not sent and
  there is no RECONCILE.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import Capability, TaskSnapshot, TaskState, classify_failure

PREFIX = "/v1/midjourney"

INDEXED_ACTIONS = {
    "upsamle": Action.UPSCALE,  # sic, the documented spelling
    "upsample": Action.UPSCALE,
    "variation": Action.VARIATION,
}
NAMED_ACTIONS = {
    "reroll": Action.REROLL,
    "high_variation": Action.VARY_STRONG,
    "low_variation": Action.VARY_SUBTLE,
    "inpaint": Action.VARY_REGION,  # [INFERENCE], see above
}
ERROR_TYPES = {
    "unauthorized_request_error": ErrorKind.AUTH,
    "insufficient_balance_error": ErrorKind.BALANCE,
}


def parse_state(status: Any, error: Any) -> TaskState:
    if error or status == "failed":
        return TaskState.FAILURE
    if status == "idle":
        return TaskState.QUEUED
    if status == "done":
        return TaskState.SUCCESS
    return TaskState.RUNNING


def error_reason(error: Any) -> str:
    """The text of a task's `error`, whose shape is undocumented (object or plain value)."""
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error)


def parse_button(name: str) -> Button:
    if name in NAMED_ACTIONS:
        return Button(NAMED_ACTIONS[name], name, 0, name)
    prefix, _, number = name.rpartition("_")
    if prefix in INDEXED_ACTIONS and number in ("1", "2", "3", "4"):
        return Button(INDEXED_ACTIONS[prefix], name, int(number), name)
    return Button(Action.OTHER, name, 0, name)


def parse_buttons(actions: Any) -> tuple[Button, ...]:
    """The offered actions in order, each once ("upsamle_1" and "upsample_1" are the same)."""
    buttons: list[Button] = []
    seen: set[object] = set()
    for name in values.items(actions):
        if not isinstance(name, str) or not name.strip():
            continue
        button = parse_button(name)
        key = name if button.action is Action.OTHER else (button.action, button.index)
        if key not in seen:
            seen.add(key)
            buttons.append(button)
    return tuple(buttons)


def parse_task(data: dict[str, Any], task_id: str = "") -> TaskSnapshot:
    """A task object (submit or /result answer) as a snapshot; `task_id` is the id the task
    was fetched by, else the object's own `id`."""
    state = parse_state(data.get("status"), data.get("error"))
    reason = None
    if state is TaskState.FAILURE:
        reason = error_reason(data.get("error") or f"status {data.get('status')}")
    return TaskSnapshot(
        task_id=task_id or values.ident(data.get("id")) or "",
        state=state,
        progress=100 if state is TaskState.SUCCESS else values.progress(data.get("percent")),
        image_url=values.url(data.get("result")),
        buttons=parse_buttons(data.get("actions")),
        fail_reason=reason,
        error_kind=classify_failure(reason) if reason is not None else None,
    )


def error_kind(status: int, error_type: str, message: str) -> ErrorKind:
    """The kind of an error answer `{"error": {"message", "type", ...}}` with HTTP `status`."""
    if status == 429 or status >= 500:
        return Provider.kind_for_status(status)
    if error_type in ERROR_TYPES:
        return ERROR_TYPES[error_type]
    if classify_failure(message) is ErrorKind.MODERATION:
        return ErrorKind.MODERATION
    return Provider.kind_for_status(status)


def follow_up_request(
    parent_task_id: str, button: Button, prompt: str | None = None, mask: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The endpoint and body that run `button` on the task `parent_task_id`; Vary Region
    takes `mask` (a data URI or bare base64) and `prompt`."""
    if button.action is Action.VARY_REGION:
        if not mask:
            raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a mask")
        body = {"taskId": parent_task_id, "mask": mask.rpartition(",")[2]}  # prefix off
        if prompt:
            body["prompt"] = prompt
        return f"{PREFIX}/inpaint", body
    if button.action is Action.UPSCALE:
        return f"{PREFIX}/upsample", {"taskId": parent_task_id, "image": button.index}
    if button.action is Action.VARIATION:
        return f"{PREFIX}/variation", {"taskId": parent_task_id, "image": button.index}
    if button.action is Action.VARY_STRONG:
        return f"{PREFIX}/variation", {"taskId": parent_task_id, "mode": "high"}
    if button.action is Action.VARY_SUBTLE:
        return f"{PREFIX}/variation", {"taskId": parent_task_id, "mode": "low"}
    if button.action is Action.REROLL:
        return f"{PREFIX}/reroll", {"taskId": parent_task_id}
    raise ProviderError(ErrorKind.UNSUPPORTED, f"gptunnel cannot run {button.action.value}")


class GptunnelProvider(Provider):
    name: ClassVar[str] = "gptunnel"
    default_url: ClassVar[str] = "https://gptunnel.ru"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.VARY_REGION})
    inline_images: ClassVar[frozenset[Action]] = frozenset({Action.VARY_REGION})

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": api_key}

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[bytes] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return await self._submit(f"{PREFIX}/imagine", {"prompt": prompt})

    async def act(
        self,
        parent_task_id: str,
        button: Button,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
        prompt: str | None = None,
        mask: str | None = None,
        image: str | None = None,
    ) -> str:
        path, body = follow_up_request(parent_task_id, button, prompt, mask)
        return await self._submit(path, body)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        path = f"{PREFIX}/result"
        status, body = await self.request("GET", path, params={"taskId": task_id})
        return parse_task(self._task(status, body, f"GET {path}"), task_id)

    async def _submit(self, path: str, body: dict[str, Any]) -> str:
        status, answer = await self.request("POST", path, json=body)
        task_id = values.ident(self._task(status, answer, f"POST {path}")["id"])
        if task_id is None:
            raise self.unexpected_answer(status, answer)
        return task_id

    def _task(self, status: int, body: Any, what: str) -> dict[str, Any]:
        """The task object of a successful answer, or the matching ProviderError."""
        if 200 <= status < 300 and isinstance(body, dict) and "id" in body:
            return body
        raise self.error_from(status, body, what)

    def error_from(self, status: int, body: Any, what: str) -> ProviderError:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            if status < 300:
                return self.unexpected_answer(status, body)
            return self.http_error(status, f"{what}: unexpected answer {str(body)[:200]!r}")
        error_type = str(error.get("type") or "")
        message = str(error.get("message") or "")
        detail = f"{what}: {error_type or 'error'}: {message}"
        return self.http_error(status, detail, error_kind(status, error_type, message))

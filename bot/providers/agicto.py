"""AGICTO, and any midjourney-proxy (novicezk / trueai-org / "plus") behind MJ_API_URL.

Protocol: providers.md §4. Paths `/mj/submit/imagine`, `/mj/submit/action`,
`/mj/task/{id}/fetch`, `/mj/task/list-by-condition` are appended to the base URL.

Unknowns and inferences, and what this adapter does about them:
- Fetch path on AGICTO is UNKNOWN (their page could not be read): the proxy's
  `GET /mj/task/{id}/fetch` under `/v1` is assumed [INFERENCE].
- `list-by-condition` on AGICTO is UNKNOWN: it is used for batch polls, and a 404/405 answer
  switches this instance to one fetch per task for good.
- Auth: AGICTO documents `Authorization: Bearer`; a self-hosted proxy reads `mj-api-secret`.
  Both headers carry the key. AGICTO's answer to a bad key is UNKNOWN: any 401/403 is AUTH.
- Balance errors are UNKNOWN for AGICTO: a description mentioning quota/balance (new-api's
  `quota_not_enough`, "余额", "额度") is BALANCE, whatever the code.
- `result` is an integer in AGICTO's example and a string in the proxy: both become a string.
- Code 21 is accepted (existing task, or MODAL "Waiting for window confirm"): the fetch tells.
- Code 9 (FAILURE: "no available account", "submit failed", …) is taken as UNAVAILABLE: the
  proxy says nothing was created, so it is not `maybe_done`. Other unknown codes are INVALID.
- An unknown task id gets an empty body (200 in Java, 204 in ASP.NET) [INFERENCE]: INVALID.
- `MJ::Outpaint::100::…` (Discord's Make Square) is MAKE_SQUARE [INFERENCE]; other customIds
  outside §4.5 are OTHER with the provider's label.
- Vary (Region) and Custom Zoom need `/mj/submit/modal`, which AGICTO does not document: the
  buttons are shown, the capabilities are not claimed. AGICTO documents `notifyHook` in the
  imagine body (WEBHOOK); describe, blend and video are proxy-only and not claimed.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from bot.domain import Button
from bot.providers.base import (
    Capability,
    ErrorKind,
    Provider,
    ProviderError,
    TaskSnapshot,
    TaskState,
    classify_failure,
    parse_progress,
)
from bot.providers.custom_ids import action_for

log = logging.getLogger(__name__)

ACCEPTED_CODES = (1, 21, 22)  # submitted, existed / waiting for the modal, queued
BALANCE_HINTS = ("余额", "额度")  # Chinese balance words that `classify_failure` does not know

STATES = {
    "NOT_START": TaskState.QUEUED,
    "SUBMITTED": TaskState.QUEUED,
    "IN_PROGRESS": TaskState.RUNNING,
    "MODAL": TaskState.MODAL,
    "SUCCESS": TaskState.SUCCESS,
    "FAILURE": TaskState.FAILURE,
    "CANCEL": TaskState.FAILURE,
}


def parse_buttons(raw: Any) -> tuple[Button, ...]:
    """The task's `buttons[]` as common Buttons; the handle is the customId, verbatim."""
    buttons = []
    for item in raw if isinstance(raw, list) else []:
        custom_id = item.get("customId") if isinstance(item, dict) else None
        if not custom_id:
            continue
        action, index = action_for(str(custom_id))
        label = str(item.get("label") or item.get("emoji") or action.value)
        buttons.append(Button(action=action, handle=str(custom_id), index=index, label=label))
    return tuple(buttons)


def tile_urls(raw: Any) -> tuple[str, ...]:
    """trueai's `imageUrls[{url, thumbnail}]`."""
    urls = []
    for item in raw if isinstance(raw, list) else []:
        url = item.get("url") if isinstance(item, dict) else item
        if url:
            urls.append(str(url))
    return tuple(urls)


def parse_task(data: dict[str, Any]) -> TaskSnapshot:
    """A proxy Task JSON (fetch answer, list-by-condition item, notifyHook body)."""
    status = str(data.get("status") or "")
    state = STATES.get(status, TaskState.RUNNING)
    reason = None
    if state is TaskState.FAILURE:
        reason = str(data.get("failReason") or data.get("description") or status)
    return TaskSnapshot(
        task_id=str(data.get("id")),
        state=state,
        progress=100 if state is TaskState.SUCCESS else parse_progress(data.get("progress")),
        image_url=data.get("imageUrl") or None,
        image_urls=tile_urls(data.get("imageUrls")),
        buttons=parse_buttons(data.get("buttons")),
        fail_reason=reason,
        error_kind=classify_failure(reason) if reason is not None else None,
    )


def is_task(body: Any) -> bool:
    return isinstance(body, dict) and "id" in body and "status" in body


def answer_text(body: Any) -> str:
    """What the provider said, for error details: a SubmitResultVO, an OpenAI-style error."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if "code" in body or "description" in body:
            text = f"code {body.get('code')}: {body.get('description') or ''}".rstrip()
            properties = body.get("properties")
            banned = properties.get("bannedWord") if isinstance(properties, dict) else None
            return f"{text} (banned word: {banned})" if banned else text
    return "empty body" if body is None else repr(body)[:200]


def error_kind(status: int, code: Any, description: str) -> ErrorKind:
    """The kind of a non-accepted answer, from its HTTP status, code and description."""
    if status in (401, 403):
        return ErrorKind.AUTH
    if status >= 500:
        return Provider.kind_for_status(status)
    if code == 23 or status == 429:
        return ErrorKind.RATE_LIMITED
    if code == 24:
        return ErrorKind.MODERATION
    hint = classify_failure(description)
    if hint is not ErrorKind.FAILED:
        return hint
    if status == 402 or any(word in description for word in BALANCE_HINTS):
        return ErrorKind.BALANCE
    if code in (3, 4):
        return ErrorKind.INVALID
    if code == 9:
        return ErrorKind.UNAVAILABLE
    return Provider.kind_for_status(status)


class AgictoProvider(Provider):
    name: ClassVar[str] = "agicto"
    default_url: ClassVar[str] = "https://api.agicto.cn/v1"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.BATCH_FETCH, Capability.WEBHOOK}
    )
    batch_size: ClassVar[int] = 20

    def __init__(
        self, base_url: str, api_key: str, *, mode: str = "fast", timeout: float = 30.0
    ) -> None:
        super().__init__(base_url, api_key, mode=mode, timeout=timeout)
        self._batch = True  # False once the server showed it has no list-by-condition

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}", "mj-api-secret": api_key}

    async def imagine(self, prompt: str) -> str:
        body = {
            "model": "mj-relax" if self.mode == "relax" else "mj-fast",
            "botType": "MID_JOURNEY",
            "prompt": prompt,
            "base64Array": [],
        }
        return await self._submit("/mj/submit/imagine", body)

    async def act(self, parent_task_id: str, button: Button) -> str:
        body = {"taskId": parent_task_id, "customId": button.handle}
        return await self._submit("/mj/submit/action", body)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        status, body = await self.request("GET", f"/mj/task/{task_id}/fetch")
        if status < 300 and is_task(body):
            return parse_task(body)
        if status < 300 and body is None:
            raise ProviderError(ErrorKind.INVALID, f"HTTP {status}: no task {task_id} (empty body)")
        raise self._error(status, body)

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        if not self._batch or not task_ids:
            return await super().fetch_many(task_ids)
        path = "/mj/task/list-by-condition"
        status, body = await self.request("POST", path, json={"ids": task_ids})
        if status in (404, 405):
            log.warning("%s has no %s (HTTP %s): polling task by task", self.name, path, status)
            self._batch = False
            return await super().fetch_many(task_ids)
        if status < 300 and isinstance(body, list):
            return [parse_task(item) for item in body if is_task(item)]
        raise self._error(status, body)

    async def _submit(self, path: str, body: dict[str, Any]) -> str:
        status, answer = await self.request("POST", path, json=body)
        code = answer.get("code") if isinstance(answer, dict) else None
        if status < 300 and code in ACCEPTED_CODES:
            result = answer.get("result")
            if result is None or result == "":
                raise self.unexpected_answer(status, answer)
            return str(result)
        raise self._error(status, answer)

    def _error(self, status: int, body: Any) -> ProviderError:
        """The error for an answer that is not a success."""
        if status < 300 and not (isinstance(body, dict) and isinstance(body.get("code"), int)):
            return self.unexpected_answer(status, body)
        code = body.get("code") if isinstance(body, dict) else None
        description = str(body.get("description") or "") if isinstance(body, dict) else ""
        return self.http_error(status, answer_text(body), error_kind(status, code, description))

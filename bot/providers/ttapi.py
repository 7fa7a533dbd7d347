"""TTApi (https://docs.ttapi.io): `TT-API-KEY` header, one action endpoint fed from `components`.

`POST /midjourney/v1/imagine`, `/action`, `/describe` and `/blend` answer
`{"status": "SUCCESS", "message": "success", "data": {"job_id": …}}`;
`GET /midjourney/v1/fetch?jobId=` answers the task (status, string progress, `cdnImage`,
`images`, `components`). Errors are HTTP 400/401/402/404/429/499/500/504 with
`{"status": "FAILED", "message": …, "data": null}`.

Gaps in the provider's documentation (providers.md §3) and what this adapter does:
- Submit id spelling: new docs `data.job_id`, legacy docs `data.jobId`; both are read.
- `data.action` (legacy `data.actions`) names the job's own action; next actions come only from
  `components`. Both spellings are read only to tell a describe ("describe" [INFERENCE], as
  an imagine's is "imagine").
- Post-upscale component names are third-party (high_variation, zoom_out_2, pan_left, …) and
  `zoom_out_2x` is unverified: every component is sent back verbatim as `action`; known
  spellings get their common Action, anything else is Action.OTHER.
- Moderation refusals: where they surface is UNKNOWN. A 4xx (or a 200 FAILED envelope) whose
  message reads like a refusal is MODERATION; a job that FAILs with "prompt violation" is a
  FAILURE whose error_kind is MODERATION (`classify_failure`).
- 499 "queue exhausted" (10 jobs in progress per account) is RATE_LIMITED, not UNAVAILABLE.
- Fetch of an unknown jobId is UNDOCUMENTED: a 4xx is INVALID; a 200 FAILED envelope reads as
  a failed task.
- MODAL/CANCEL are not used; unknown statuses are RUNNING.
- The request `timeout` field is not sent (the provider's defaults suit each mode); the
  translate flag's JSON name is UNKNOWN and not sent.
- Vary (Region) is `POST /midjourney/v1/inpaint {jobId, mask, prompt, hookUrl}` [DOC
  cn/inpaint], answered like every submit: `jobId` is the upscaled job, `mask` the bot's PNG
  (white = repaint) in bare base64, the `data:` prefix taken off as the page asks. No
  component names it [3P]: an upscale (a job whose `data.action` is `upsample1`–`upsample4`
  [INFERENCE]) gets a VARY_REGION button of the adapter's own (handle "inpaint", never sent).
  Whether other single images (Upscale Subtle/Creative) take /inpaint is UNKNOWN: they get
  none. `timeout` is not sent, as elsewhere; the prompt always is (empty when none is given:
  whether TTApi then keeps the parent's is UNKNOWN). A region without a mask is INVALID
  before any call.
- Custom Zoom, Remix and video are UNKNOWN (providers.md §3.5, 3.8): not claimed, and Custom
  Zoom has no component to offer it.
- Describe: `POST /midjourney/v1/describe {base64 | url, hookUrl, timeout}`; providers.md has
  the fields from a third party [3P], and docs.ttapi.io/api/cn/midjourney/describe [DOC]
  shows the same, `base64` with the `data:` prefix in its example: the image goes inline as a
  data URI (never `url`). No `mode` is listed: the job's speed is not sent. The result text is
  in `data.prompt` of the fetch answer [3P], keycap-numbered or one prompt a paragraph or
  line (UNKNOWN which); a finished describe with no text there is a FAILURE.
- Blend: the endpoint is documented [DOC legacy], its fields only by a third party [3P]:
  `imgBase64Array` (2–5), `dimensions` PORTRAIT/SQUARE/LANDSCAPE, `mode`, `hookUrl`, `timeout`.
  Whether the entries carry the `data:` prefix is UNKNOWN: they do, as describe's `base64`
  (inpaint's mask is the one field documented without it). Its job is read like an imagine.
- No batch query is documented (`fetch-list` pages the history): batch_size stays 1.
- Field types are not trusted: a URL is an http(s) string, a progress a finite number,
  components and the job id strings; anything else reads as absent. An unreadable `status`
  is RUNNING like an unknown one.
- No request field is documented to come back on the job (the hook's `notify_id` is
  third-party and the server's): the bot's `ref` is not sent and there is no RECONCILE.
- Callbacks (WEBHOOK): `hookUrl` on every submit; the hook body is the fetch body
  (legacy docs), sent on start, completion and failure per a third party, retried up to 3
  times on a non-200. Its job id is read from `jobId`, else `data.jobId`; a body without
  `status` is not a job.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import (
    BLEND_DIMENSIONS,
    Capability,
    TaskSnapshot,
    TaskState,
    classify_failure,
    split_prompts,
)

IMAGINE_PATH = "/midjourney/v1/imagine"
ACTION_PATH = "/midjourney/v1/action"
INPAINT_PATH = "/midjourney/v1/inpaint"
DESCRIBE_PATH = "/midjourney/v1/describe"
BLEND_PATH = "/midjourney/v1/blend"
FETCH_PATH = "/midjourney/v1/fetch"
NO_PROMPTS = "the describe finished without any prompt"

STATES = {
    "PENDING_QUEUE": TaskState.QUEUED,
    "ON_QUEUE": TaskState.RUNNING,
    "SUCCESS": TaskState.SUCCESS,
    "FAILED": TaskState.FAILURE,
}

INDEXED_COMPONENT = re.compile(r"(upsample|variation)([1-4])")
UPSCALE = re.compile(r"upsample[1-4]")
REGION = Button(Action.VARY_REGION, "inpaint", 0, "Vary (Region)")  # /inpaint, not a component
INDEXED_ACTIONS = {"upsample": Action.UPSCALE, "variation": Action.VARIATION}
NAMED_ACTIONS = {
    "reroll": Action.REROLL,
    "high_variation": Action.VARY_STRONG,
    "low_variation": Action.VARY_SUBTLE,
    "upscale2": Action.UPSCALE_2X,
    "upscale4": Action.UPSCALE_4X,
    "upscale_subtle": Action.UPSCALE_SUBTLE,
    "upscale_creative": Action.UPSCALE_CREATIVE,
    "redo_upscale2": Action.REDO_UPSCALE_2X,
    "redo_upscale4": Action.REDO_UPSCALE_4X,
    "redo_upscale_subtle": Action.REDO_UPSCALE_SUBTLE,
    "redo_upscale_creative": Action.REDO_UPSCALE_CREATIVE,
    "zoom_out_2": Action.ZOOM_OUT_2X,
    "zoom_out_2x": Action.ZOOM_OUT_2X,  # unverified spelling
    "zoom_out_1_5": Action.ZOOM_OUT_1_5X,
    "zoom_out_1_5x": Action.ZOOM_OUT_1_5X,  # unverified spelling
    "pan_left": Action.PAN_LEFT,
    "pan_right": Action.PAN_RIGHT,
    "pan_up": Action.PAN_UP,
    "pan_down": Action.PAN_DOWN,
    "make_square": Action.MAKE_SQUARE,
}


def button_for(component: str) -> Button:
    """One `components` entry as a Button; the entry itself is the handle `act()` sends back."""
    name = component.strip().lower()
    indexed = INDEXED_COMPONENT.fullmatch(name)
    if indexed:
        action = INDEXED_ACTIONS[indexed.group(1)]
        return Button(action, component, int(indexed.group(2)), component)
    return Button(NAMED_ACTIONS.get(name, Action.OTHER), component, 0, component)


def parse_components(components: Any) -> tuple[Button, ...]:
    return tuple(
        button_for(c) for c in values.items(components) if isinstance(c, str) and c.strip()
    )


def job_id_of(answer: Any) -> str | None:
    """The job id of a submit answer: `data.job_id` (new docs) or `data.jobId` (legacy)."""
    data = values.mapping(answer.get("data")) if isinstance(answer, dict) else {}
    return values.ident(data.get("job_id")) or values.ident(data.get("jobId"))


def parse_task(task_id: str, answer: dict[str, Any]) -> TaskSnapshot:
    """A fetch answer (or hook body) as a snapshot."""
    data = values.mapping(answer.get("data"))
    state = STATES.get(values.text(answer.get("status")), TaskState.RUNNING)
    progress = values.progress(data.get("progress"))
    reason = values.text(answer.get("message")) or None
    prompts: tuple[str, ...] = ()
    if state is TaskState.SUCCESS and is_describe(data):
        prompts = split_prompts(values.text(data.get("prompt")))
        if not prompts:
            state, reason = TaskState.FAILURE, NO_PROMPTS
    if state is TaskState.FAILURE:
        return TaskSnapshot(
            task_id, state, progress, fail_reason=reason, error_kind=classify_failure(reason)
        )
    buttons = parse_components(data.get("components"))
    if state is TaskState.SUCCESS and UPSCALE.fullmatch(job_action(data)):
        buttons += (REGION,)
    return TaskSnapshot(
        task_id,
        state,
        100 if state is TaskState.SUCCESS else progress,
        image_url=values.url(data.get("cdnImage")) or values.url(data.get("discordImage")),
        image_urls=values.urls(data.get("images")),
        buttons=buttons,
        prompts=prompts,
    )


def job_action(data: dict[str, Any]) -> str:
    """The job's own action (`data.action`, legacy `data.actions`), lower-cased."""
    return (values.text(data.get("action")) or values.text(data.get("actions"))).lower()


def is_describe(data: dict[str, Any]) -> bool:
    return job_action(data) == "describe"


def error_kind(status: int, message: str) -> ErrorKind:
    """The kind of an error answer. 4xx without a more specific status (400, 404, a 200
    FAILED envelope) is INVALID unless its message tells of a refusal or of quota."""
    if status == 499:  # queue exhausted: too many jobs in progress
        return ErrorKind.RATE_LIMITED
    kind = Provider.kind_for_status(status)
    if kind is ErrorKind.INVALID:
        by_text = classify_failure(message)
        if by_text is not ErrorKind.FAILED:
            return by_text
    return kind


class TtapiProvider(Provider):
    name = "ttapi"
    default_url = "https://api.ttapi.io"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax", "turbo")
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.DESCRIBE, Capability.BLEND, Capability.VARY_REGION, Capability.WEBHOOK}
    )
    inline_images: ClassVar[frozenset[Action]] = frozenset(
        {Action.DESCRIBE, Action.BLEND, Action.VARY_REGION}
    )

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"TT-API-KEY": api_key}

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[bytes] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return await self._submit(
            IMAGINE_PATH, {"prompt": prompt, "mode": speed or self.mode}, hook
        )

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return await self._submit(DESCRIBE_PATH, {"base64": image}, hook)

    async def blend(
        self,
        images: Sequence[str],
        shape: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        body = {
            "imgBase64Array": list(images),
            "dimensions": BLEND_DIMENSIONS[shape],
            "mode": speed or self.mode,
        }
        return await self._submit(BLEND_PATH, body, hook)

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
        if button.action is not Action.VARY_REGION:
            body = {"jobId": parent_task_id, "action": button.handle}
            return await self._submit(ACTION_PATH, body, hook)
        if not mask:
            raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a mask")
        bare = mask.removeprefix("data:image/png;base64,")
        body = {"jobId": parent_task_id, "mask": bare, "prompt": prompt or ""}
        return await self._submit(INPAINT_PATH, body, hook)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        status, answer = await self.request("GET", FETCH_PATH, params={"jobId": task_id})
        if 200 <= status < 300 and isinstance(answer, dict) and "status" in answer:
            return parse_task(task_id, answer)
        raise self._error(status, answer, f"GET {FETCH_PATH}")

    def read_callback(self, raw: bytes) -> TaskSnapshot:
        answer = self.callback_json(raw)
        data = values.mapping(answer.get("data"))
        task_id = values.ident(answer.get("jobId")) or values.ident(data.get("jobId"))
        if task_id is None or "status" not in answer:
            raise ProviderError(ErrorKind.INVALID, "hookUrl: not a job")
        return parse_task(task_id, answer)

    async def _submit(self, path: str, body: dict[str, Any], hook: str | None) -> str:
        if hook:
            body["hookUrl"] = hook
        status, answer = await self.request("POST", path, json=body)
        if 200 <= status < 300 and isinstance(answer, dict) and answer.get("status") == "SUCCESS":
            job_id = job_id_of(answer)
            if job_id:
                return job_id
        raise self._error(status, answer, f"POST {path}")

    def _error(self, status: int, answer: Any, call: str) -> ProviderError:
        """The error for an answer that is not a usable success. A 2xx that is neither a
        success nor a FAILED envelope is garbage, and the job may exist."""
        envelope = answer if isinstance(answer, dict) else {}
        message = str(envelope.get("message") or "")
        if status < 400 and envelope.get("status") != "FAILED":
            return self.unexpected_answer(status, answer)
        detail = f"{call}: status={envelope.get('status')!r} message={message!r}"
        return self.http_error(status, detail, error_kind(status, message))

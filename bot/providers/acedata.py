"""AceData Cloud (https://api.acedata.cloud): providers.md §2.

Every job goes through `POST /midjourney/imagine`, always with a `callback_url` so that the
API answers at once with `{"task_id": …}` instead of holding the request open until the image
is ready; the result is then polled with `POST /midjourney/tasks` (one task, or a batch).
Follow-ups are the same endpoint with `action` + `image_id`; a button's handle is
`"<action>|<image_id>"` because `act()` only gets the parent's task id. A blend is an
imagine too (its image URLs start the prompt, §2.2); describe is `POST /midjourney/describe
{image_url}`, answered at once with `{"descriptions": [...]}`; Animate is `POST
/midjourney/videos`, asynchronous like an imagine, its task polled the same way. Task items,
callbacks and error codes are read by acedata_tasks.py.

Unknowns and inferences (providers.md §2), and what this adapter does:
- Async mode needs a callback URL even where the bot has no public URL: without the job's
  own hook URL (webhook mode) it is the dummy AceData's own MCP client uses
  (`https://api.acedata.cloud/health`, which discards the payload).
- Callbacks (WEBHOOK): AceData POSTs the final result object (§2.5, with `task_id`) or the
  failure body `{"success": false, "task_id", "error"}`; it is read as the `response` of a
  task item. Retries are UNKNOWN; a lost one is caught by the tracker's safety polls.
- Whether `state` is sent at all, and whether `cancelled` exists (only the MCP client's
  heuristics know it): both are read when present; no `response` means queued.
- Progress while running is read from `response.progress` [INFERENCE]. A running answer that
  already says `success: true` is taken as finished only at progress 100 (or with no progress).
- A finished task without any image URL becomes a FAILURE rather than a SUCCESS with nothing
  to post.
- The answer for an unknown task id is UNKNOWN: an error answer keeps its kind (a 400 is
  INVALID), a body without `id` is INVALID as well; a batch simply leaves unknown ids out.
- `forbidden` (403) means moderation, an exhausted balance or a disabled credential (concepts
  page); the message decides: balance/quota → BALANCE, credential/disabled → AUTH [INFERENCE],
  otherwise MODERATION.
- Error bodies with and without `"success": false` are both documented; both are read.
- Translation: `translation` (default false) makes AceData translate a non-English prompt
  [DOC]; it is sent, true, with an imagine's or a Vary (Region)'s prompt whose words have
  letters beyond ASCII (prompts.is_english), and not otherwise. Whether a blend's or a
  video's prompt takes it is UNKNOWN: not sent there.
- Custom zoom is UNKNOWN (no action for it): `act()` refuses it (UNSUPPORTED).
- Vary Region is one follow-up, `action: "variation_region"` with the parent's `image_id`,
  `mask` and `prompt` (optional [DOC]; sent when given). The OpenAPI text calls `mask` a
  "Mask image URL", the imagine guide "the base64 encoding of the mask" and shows bare base64
  (no `data:` prefix) in its worked request: the guide is followed, as it is the one with an
  example. The mask comes inline (VARY_REGION is in `inline_images`) and goes without its
  prefix. White = repaint [DOC guide]. No mask, no request.
- Full-size image: `raw_image_url` (`image_url` is a thumbnail); tiles only when the API
  returns `sub_image_urls` (`split_images`, not requested: its cost is UNKNOWN).
- Field types are not trusted: a URL is an http(s) string, a progress a finite number, ids
  and action names strings; anything else reads as absent. A fetched task keeps the id it
  was fetched by; a batch item without a readable id is left out (the tracker counts it as
  not found).
- No request field is documented to come back on the task (`trace_id` is the server's):
  the bot's `ref` is not sent and there is no RECONCILE.
- Describe documents `image_url` only (no `mode`, no `callback_url`): nothing else is sent,
  and the answer is the finished task, its id the answer's `task_id` if one ever comes, else
  "describe" (the OpenAPI answer has none; there is nothing to poll). The example's
  descriptions carry no keycap numbers; split_prompts would take them off, one prompt per
  item. An answer without any description is an unexpected answer.
- Blend: the 2–5 URLs (the guide's maximum) start the prompt, then `--ar <shape>` [INFERENCE:
  the guide's example gives no aspect]; the rest is an imagine's (mode, callback_url). Both
  take URLs only: nothing is inline.
- Animate (the bot's own buttons: AceData lists no animate action) is `/midjourney/videos
  {action: "generate", image_url: <the upscale's image>, prompt, mode, callback_url}`. The
  videos guide and the OpenAPI have no motion field: the motion goes in the prompt as
  Midjourney's own parameter, `--motion low | high` [INFERENCE], after the parent's prompt
  text without its parameters (--ar, --v, …: a still image's; whether a video prompt takes
  them is UNKNOWN). `mode` is fast or turbo only (the OpenAPI enum): relax asks for fast, the
  default. Not sent: `resolution` (default 720p), `loop`, `end_image_url`. No image URL, no
  request.
- A video's result (the guide's example: `video_id`, `video_urls[4]`, `image_url` the cover,
  no `actions`) is told by its `video_urls`, or by the task item's `type: "videos"`; the
  first video is posted, the cover kept as its image. One that finishes without any video is
  a FAILURE. Extend (`action: "extend"`, `video_id`, `video_index`) is not offered: the bot
  has no button for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.prompts import is_english, split_parameters
from bot.providers import values
from bot.providers.acedata_tasks import error_kind, parse_task
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import (
    BLEND_DIMENSIONS,
    Capability,
    TaskSnapshot,
    TaskState,
    split_prompts,
)

IMAGINE_PATH = "/midjourney/imagine"
DESCRIBE_PATH = "/midjourney/describe"
TASKS_PATH = "/midjourney/tasks"
VIDEOS_PATH = "/midjourney/videos"
DEFAULT_CALLBACK_URL = "https://api.acedata.cloud/health"
MOTIONS = {Action.ANIMATE_LOW: "low", Action.ANIMATE_HIGH: "high"}
VIDEO_MODES = ("fast", "turbo")


def translated(fields: dict[str, Any]) -> dict[str, Any]:
    """`translation: true` for a prompt not in English: AceData translates it for Midjourney."""
    return fields if is_english(fields["prompt"]) else {**fields, "translation": True}


class AcedataProvider(Provider):
    name = "acedata"
    default_url = "https://api.acedata.cloud"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax", "turbo")
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.DESCRIBE,
            Capability.BLEND,
            Capability.VIDEO,
            Capability.VARY_REGION,
            Capability.BATCH_FETCH,
            Capability.WEBHOOK,
        }
    )
    batch_size = 20
    inline_images: ClassVar[frozenset[Action]] = frozenset({Action.VARY_REGION})

    def __init__(self, base_url: str, api_key: str, **options: Any) -> None:
        super().__init__(base_url, api_key, **options)
        self.http.headers["Accept"] = "application/json"

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[bytes] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        return await self._submit(translated({"prompt": prompt}), hook, speed)

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> TaskSnapshot:
        data = await self._post(DESCRIBE_PATH, {"image_url": image})
        texts = [text for text in values.items(data.get("descriptions")) if isinstance(text, str)]
        prompts = split_prompts("\n\n".join(texts))  # one per item, its number (if any) off
        if not prompts:
            raise self.unexpected_answer(200, data)
        task_id = values.ident(data.get("task_id")) or "describe"
        return TaskSnapshot(task_id, TaskState.SUCCESS, 100, prompts=prompts)

    async def blend(
        self,
        images: Sequence[str],
        shape: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        if shape not in BLEND_DIMENSIONS:
            raise ProviderError(ErrorKind.INVALID, f"no blend shape {shape!r}")
        return await self._submit({"prompt": f"{' '.join(images)} --ar {shape}"}, hook, speed)

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
        if button.action in MOTIONS:
            return await self._animate(button.action, prompt, image, hook, speed)
        region = button.action is Action.VARY_REGION
        if button.action.needs_input and not region:
            raise ProviderError(
                ErrorKind.UNSUPPORTED, f"AceData documents no {button.label or button.action}"
            )
        action, _, image_id = button.handle.partition("|")
        if not action or not image_id:
            raise ProviderError(
                ErrorKind.INVALID, f"button of task {parent_task_id} has no image id"
            )
        fields = {"action": action, "image_id": image_id}
        if region:
            if not mask:
                raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a mask")
            fields["mask"] = mask.rpartition(",")[2]  # bare base64: the data: prefix off
            if prompt:
                fields = translated({**fields, "prompt": prompt})
        return await self._submit(fields, hook, speed)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        data = await self._post(TASKS_PATH, {"id": task_id, "action": "retrieve"})
        if "id" not in data:
            raise ProviderError(ErrorKind.INVALID, f"task {task_id} not found: {str(data)[:120]}")
        return parse_task(data, task_id)

    async def fetch_many(self, task_ids: list[str]) -> list[TaskSnapshot]:
        snapshots: list[TaskSnapshot] = []
        for start in range(0, len(task_ids), self.batch_size):
            chunk = task_ids[start : start + self.batch_size]
            data = await self._post(TASKS_PATH, {"ids": chunk, "action": "retrieve_batch"})
            items = data.get("items")
            if not isinstance(items, list):
                raise ProviderError(
                    ErrorKind.UNAVAILABLE, f"{TASKS_PATH}: batch answer without items"
                )
            snapshots += self.read_batch(items, parse_task)
        return snapshots

    def read_callback(self, raw: bytes) -> TaskSnapshot:
        result = self.callback_json(raw)
        task_id = values.ident(result.get("task_id"))
        if task_id is None:
            raise ProviderError(ErrorKind.INVALID, "callback_url: no task_id")
        return parse_task({"id": task_id, "response": result}, task_id)

    async def _animate(
        self,
        action: Action,
        prompt: str | None,
        image: str | None,
        hook: str | None,
        speed: str | None,
    ) -> str:
        """A video of the upscaled `image`, its motion in the prompt (see above)."""
        if values.url(image) is None:
            raise ProviderError(ErrorKind.INVALID, "Animate needs the image's URL")
        text, _ = split_parameters(prompt or "")
        fields = {
            "action": "generate",
            "image_url": image,
            "prompt": f"{text} --motion {MOTIONS[action]}".strip(),
        }
        mode = speed or self.mode
        mode = mode if mode in VIDEO_MODES else "fast"
        return await self._submit(fields, hook, mode, VIDEOS_PATH)

    async def _submit(
        self, fields: dict[str, Any], hook: str | None, speed: str | None, path: str = IMAGINE_PATH
    ) -> str:
        """Always with a callback URL: with one, AceData answers at once (see above)."""
        body = {**fields, "mode": speed or self.mode, "callback_url": hook or DEFAULT_CALLBACK_URL}
        data = await self._post(path, body)
        task_id = values.ident(data.get("task_id"))
        if task_id is None:
            raise self.unexpected_answer(200, data)
        return task_id

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body`; the answer's JSON object, or the ProviderError its error stands for."""
        status, data = await self.request("POST", path, json=body)
        if not isinstance(data, dict):
            if status == 200:
                raise self.unexpected_answer(status, data)
            raise self.http_error(status, f"{path}: {str(data)[:120]}")
        error = data.get("error")
        if status == 200 and not error:
            return data
        if not isinstance(error, dict):
            raise self.http_error(status, f"{path}: {str(data)[:120]}")
        code = str(error.get("code") or "")
        message = str(error.get("message") or "")
        detail = f"{path}: {code}: {message} (trace_id {data.get('trace_id')})"
        raise self.http_error(status, detail, error_kind(code, message))

"""AGICTO, and any midjourney-proxy (novicezk / trueai-org / "plus") behind MJ_API_URL.

Protocol: providers.md §4. Paths `/mj/submit/imagine`, `/mj/submit/action`,
`/mj/submit/modal`, `/mj/submit/describe`, `/mj/submit/blend`, `/mj/submit/video`,
`/mj/task/{id}/fetch`, `/mj/task/list-by-condition`, `/mj/task/list` are appended to the base
URL. Task JSON is read in proxy_tasks.py, submit answers and the fields of the MODAL step and
of /video in proxy_submits.py.

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
  trueai types it `dynamic` (a list for some submits): anything but a string or an integer
  is an unexpected answer (the task may exist: `maybe_done`).
- Field types are not trusted (providers may send anything): a URL is an http(s) string, a
  progress a finite number, ids, labels and customIds strings; anything else reads as absent.
  A fetched task keeps the id it was fetched by; a batch item without a readable id is left
  out (the tracker counts it as not found).
- Code 21 is accepted (an existing task, or a MODAL one "Waiting for window confirm").
- Code 9 (FAILURE: "no available account", "submit failed", …) is taken as UNAVAILABLE: the
  proxy says nothing was created, so it is not `maybe_done`. Other unknown codes are INVALID.
- An unknown task id gets an empty body (200 in Java, 204 in ASP.NET) [INFERENCE]: INVALID.
- `MJ::Outpaint::100::…` (Discord's Make Square) is MAKE_SQUARE [INFERENCE]; other customIds
  outside §4.5 are OTHER with the provider's label.
- Animate (VIDEO) is the proxies' [SRC trueai SubmitController.Action/Video,
  TaskService.SubmitVideo, TaskInfo.cs, CustomComponentModel.cs]; AGICTO documents none of it:
  the capability is claimed for the proxy protocol, as for describe, blend and /modal. Two ways:
  - The provider's own button (trueai adds `MJ::JOB::animate_high::1::{hash}::SOLO` and
    `animate_low` to every upscale while its video setting is on; whether novicezk-plus
    passes Discord's on is UNKNOWN, its api.md names none; novicezk's source has neither
    buttons nor video) goes through `/mj/submit/action {taskId, customId}` like any
    follow-up: trueai makes any `MJ::JOB::animate_…` a VIDEO task. On an account with Remix
    on it may wait (code 21, `remix`) and is confirmed unchanged, as a plain follow-up is.
  - The bot's own button (empty handle: an upscale listing none) goes to `/mj/submit/video`
    with `image` = the upscale's image URL (trueai reads an http(s) value as a URL, anything
    else as base64, which an account may refuse: "disabled upload base64"), `motion` low |
    high, `batchSize: 1` (trueai's default is 4; one video is posted), and `prompt` = the
    parent's prompt text without its parameters (--ar, --v, …: a still image's; trueai
    appends `--video 1 --motion … --bs 1` and prepends the image URL). trueai refuses a
    blank prompt (code 4 "Prompt 不能为空"): a parent without text (a blend's upscale) sends
    the image URL as the prompt, which trueai then does not prepend again, so Midjourney gets
    `<url> --video 1 …`, an image-only Animate [INFERENCE]. `taskId` + `index` are not sent:
    trueai takes them only with `action: "extend"` (a video's extend; "任务类型错误"
    otherwise), so an upscale is named by its image. Not sent: `videoType` (default
    vid_1.1_i2v_480; 720 needs an HD account, else "无可用的账号实例"), `endImage`, `loop`,
    `action`. Sent as on the other new-task submits: `model`, `botType` (trueai sets
    MID_JOURNEY itself), `state`, `notifyHook`. Without a URL it is INVALID before any call.
  - A 404, 405 or 501 from /mj/submit/video is UNSUPPORTED, and so is trueai's code 4
    "视频功能未启用" (its video setting off; its upscales then list no Animate either).
    trueai's code 9 "未开启 REMIX…" (a Discord account without Remix) stays UNAVAILABLE as
    every code 9. Nothing is remembered.
- A video's task (`action` VIDEO or VIDEO_EXTEND) gives its videos from trueai's `videoUrl`,
  then those of `videoUrls` (`[{url, thumbnail}]`; plain strings are read too) not already
  named, in the fetch, list-by-condition and notifyHook bodies alike; a SUCCESS without any is
  a FAILURE. trueai sets `imageUrl` and `imageUrls` of a video to the videos again: its
  `imageUrl` is kept as the image only when it is not one of them, `imageUrls` is dropped.
  Of its buttons only the Extend ones are kept (customIds with `animate_high_extend` /
  `animate_low_extend`, which trueai puts on an upscaled video and Discord may put on a single
  one [INFERENCE]); custom_ids.py reads them as EXTEND_HIGH / EXTEND_LOW, plain follow-ups
  sent back through /mj/submit/action whose result is a video again. Dropped: trueai's
  `MJ::JOB::video_virtual_upscale` U buttons and the 🔄 of a video grid (a video's reroll
  or upscale would be read as an image job by the bot).
- Vary (Region), Custom Zoom and Remix are two calls in one act() [SRC trueai
  SubmitController.Action/Modal, TaskService.SubmitAction; DOC plus api.md]: the action
  (a remix adds trueai's `enableRemix: true`), whose new task waits as MODAL, then
  `/mj/submit/modal {taskId: <that task>, prompt}`, plus, for a region, `maskBase64`: the
  bot's `data:image/png;base64,` URI (SubmitModalDTO's example; trueai strips that prefix).
  The id /modal answers is returned (trueai: the MODAL task's own). AGICTO documents neither
  /modal nor `enableRemix`: the capabilities are claimed for the proxy protocol, and a
  404/405/501 from /mj/submit/modal is UNSUPPORTED.
- The task waits when the action answers code 21 (trueai); the plus docs only say it
  "becomes MODAL", so another code is checked by one fetch. A task that does not wait (a
  proxy ignoring `enableRemix`, an account without Remix, trueai's auto-submit confirming
  with the parent's prompt) runs as started: its id is returned, a warning logged, the new
  prompt lost. trueai refusing a remix (Remix off on a Discord account) is code 4: INVALID.
- Both calls carry `state` and `notifyHook` (SubmitModalDTO is a BaseSubmitDTO; trueai keeps
  the action's), so find_task finds the MODAL task, which gives the result. When /modal
  fails its error is raised and the MODAL task is left waiting (free [INFERENCE]).
- Custom Zoom's prompt must carry `--ar` and `--zoom` [DOC plus api.md]. The bot gives
  `--zoom`; without `--ar` (or `--aspect`) the prompt gets the MODAL answer's
  `properties.finalPrompt`'s (trueai: the parent's final prompt), else that of the parent
  task's `promptEn` or `prompt` (one more fetch), else goes as it is. A region's prompt may
  be empty (the proxy takes the parent's). A region without a mask, or a Custom Zoom
  without a prompt, is INVALID before any call.
- A plain follow-up is one call, unless the account has Remix on and trueai makes it wait
  (code 21 with `properties.remix`): it is then confirmed at once through /modal with the
  `finalPrompt` the proxy proposes (the parent's prompt), so it runs unchanged. novicezk-plus
  says so only in the task (an ordinary code, the task MODAL): not looked for, as that would
  cost a fetch per follow-up; the tracker then gives up on such a task. trueai keeps a
  confirmed task MODAL with `remixAutoSubmit: true` until its queue takes it: proxy_tasks.py
  reads that as QUEUED.
- Describe and blend (DESCRIBE, BLEND) are the proxies' `/mj/submit/describe {base64}` and
  `/mj/submit/blend {base64Array, dimensions}` [SRC]; whether AGICTO has them is UNKNOWN (the
  gateways it is built on route both [INFERENCE]). A 404 or 405 to either, or a JSON 501 (the
  one-api family's "API not implemented"), is UNSUPPORTED: the service cannot do it. Nothing
  is remembered: the next one asks again.
- Both carry `model` and `botType` as imagine does: AGICTO requires `model` on the one new-task
  submit it documents, and the proxies ignore fields they do not know (novicezk's describe
  has no botType) [INFERENCE]; and `state`, `notifyHook` (BaseSubmitDTO). Images go as data
  URIs (novicezk reads nothing else; trueai's `link` is not used), 2–5 for a blend (both
  proxies refuse other counts: code 4), the shape as `dimensions` PORTRAIT/SQUARE/LANDSCAPE.
  trueai's `language` is not sent: the prompts come in English.
- A describe's prompts are read from a SUCCESS task whose `action` is DESCRIBE: from
  `properties.finalPrompt`, which every variant sets (novicezk: the Discord embed's text,
  keycap-numbered paragraphs, also in `prompt`/`promptEn`; trueai: the same text, also in
  `description`, or on non-Discord accounts the suggestions joined by CRLF, also in
  `promptEn`), else from `promptEn`; `description` is never read (novicezk keeps
  "/describe …" there). One with no text is a FAILURE: nothing to show. Its `imageUrl`
  (novicezk: the described image) and buttons (trueai: PicReader, OTHER here) are kept as
  they come. A blend task is read like an imagine's (grid, buttons).
- Callbacks (WEBHOOK): AGICTO documents `notifyHook` in the imagine body; the proxies take it
  on every submit (BaseSubmitDTO), so the action body carries it too. The proxy POSTs the
  whole task JSON on every change and never retries (§4.7): the body is read like a fetch
  answer, by its own `id`; a lost one is caught by the tracker's safety polls.
- Image prompts go inline as `base64Array`, each a `data:image/jpeg;base64,` URI: AGICTO's
  table marks the field required (its example sends `[]`, as a prompt without images does),
  and the proxies read the entries as data URLs (a malformed one is code 4).
- Reconciling (RECONCILE): the bot's `ref` goes out as `state`, which AGICTO documents in the
  imagine body and both proxies keep on the task (BaseSubmitDTO, so the action body too;
  trueai caps it at 255 characters). Neither proxy filters a listing by `state`
  (list-by-condition reads only `ids`), so `find_task` reads `GET /mj/task/list` (novicezk:
  every stored task, newest first; trueai: the newest 100) and matches `state`. Whether
  AGICTO has that route is UNKNOWN (the one-api/new-api gateways such services are built
  on route only fetch, image-seed and list-by-condition under /mj/task [INFERENCE]): a 404 or
  405 is UNSUPPORTED, i.e. cannot tell. A list of 100 or more tasks without the ref may be
  cut short, and tasks without a `state` field may not echo it: both are UNSUPPORTED too,
  never "no such task". A listing over the answer cap is UNAVAILABLE like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.providers import values
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.proxy_submits import (
    ACCEPTED_CODES,
    VIDEO_OFF,
    WAITING,
    answer_text,
    code_of,
    error_kind,
    has_aspect,
    modal_fields,
    video_fields,
    with_aspect,
)
from bot.providers.proxy_tasks import is_task, parse_task
from bot.providers.tasks import BLEND_DIMENSIONS, Capability, TaskSnapshot, TaskState

log = logging.getLogger(__name__)

ACTION_PATH = "/mj/submit/action"
MODAL_PATH = "/mj/submit/modal"
LIST_PATH = "/mj/task/list"
LIST_LIMIT = 100  # trueai's listing stops at the newest 100 tasks
DESCRIBE_PATH = "/mj/submit/describe"
BLEND_PATH = "/mj/submit/blend"
VIDEO_PATH = "/mj/submit/video"
OPTIONAL_PATHS = (DESCRIBE_PATH, BLEND_PATH, MODAL_PATH, VIDEO_PATH)  # AGICTO may lack them
NO_ROUTE = (404, 405, 501)  # what a server answers about a route it does not have


class AgictoProvider(Provider):
    name: ClassVar[str] = "agicto"
    default_url: ClassVar[str] = "https://api.agicto.cn/v1"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax")
    inline_images: ClassVar[frozenset[Action]] = frozenset(
        {Action.IMAGINE, Action.DESCRIBE, Action.BLEND, Action.VARY_REGION}
    )
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.DESCRIBE,
            Capability.BLEND,
            Capability.VIDEO,
            Capability.VARY_REGION,
            Capability.CUSTOM_ZOOM,
            Capability.REMIX,
            Capability.BATCH_FETCH,
            Capability.WEBHOOK,
            Capability.RECONCILE,
        }
    )
    batch_size: ClassVar[int] = 20
    _batch = True  # False once the server showed it has no list-by-condition

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}", "mj-api-secret": api_key}

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[str] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        body = {**self._new_task(speed), "prompt": prompt, "base64Array": list(images)}
        return await self._submit("/mj/submit/imagine", body, ref, hook)

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        body = {**self._new_task(speed), "base64": image}
        return await self._submit(DESCRIBE_PATH, body, ref, hook)

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
            **self._new_task(speed),
            "base64Array": list(images),
            "dimensions": BLEND_DIMENSIONS[shape],
        }
        return await self._submit(BLEND_PATH, body, ref, hook)

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
        if button.action.is_video and not button.handle:  # the bot's own Animate
            body = {**self._new_task(speed), **video_fields(button.action, prompt, image)}
            return await self._submit(VIDEO_PATH, body, ref, hook)
        body: dict[str, Any] = {"taskId": parent_task_id, "customId": button.handle}
        modal = modal_fields(button.action, prompt, mask)
        if modal is not None and button.action.remixable:
            body["enableRemix"] = True
        task_id, answer = await self._accepted(ACTION_PATH, body, ref, hook)
        properties = values.mapping(answer.get("properties"))
        if modal is None:
            if code_of(answer) != WAITING or properties.get("remix") is not True:
                return task_id
            # An account with Remix on makes every variation wait (trueai): confirmed as is.
            final = values.text(properties.get("finalPrompt"))
            modal = {"prompt": final} if final else {}
        elif (
            code_of(answer) != WAITING and (await self.fetch(task_id)).state is not TaskState.MODAL
        ):
            log.warning("%s: %s task %s runs without its input", self.name, button.action, task_id)
            return task_id
        if button.action is Action.ZOOM_CUSTOM:
            final = properties.get("finalPrompt")
            modal["prompt"] = with_aspect(modal["prompt"], values.text(final))
            if not has_aspect(modal["prompt"]):
                parent = await self._task(parent_task_id)
                sources = (values.text(parent.get(key)) for key in ("promptEn", "prompt"))
                modal["prompt"] = with_aspect(modal["prompt"], *sources)
        return await self._submit(MODAL_PATH, {"taskId": task_id, **modal}, ref, hook)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        return parse_task(await self._task(task_id), task_id)

    async def _task(self, task_id: str) -> dict[str, Any]:
        """The Task JSON of one task."""
        status, body = await self.request("GET", f"/mj/task/{task_id}/fetch")
        if status < 300 and is_task(body):
            return body
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
            return self.read_batch(body, parse_task)
        raise self._error(status, body)

    async def find_task(self, ref: str) -> str | None:
        if not ref:
            raise ProviderError(ErrorKind.INVALID, "find_task needs a ref")
        status, body = await self.request("GET", LIST_PATH)
        if status in (404, 405):
            raise ProviderError(ErrorKind.UNSUPPORTED, f"HTTP {status}: no {LIST_PATH} here")
        if status >= 300 or not isinstance(body, list):
            raise self._error(status, body)
        tasks = [values.mapping(item) for item in body]
        for task in tasks:
            task_id = values.ident(task.get("id"))
            if task_id and values.text(task.get("state")) == ref:
                return task_id
        if len(tasks) >= LIST_LIMIT:
            raise ProviderError(
                ErrorKind.UNSUPPORTED, f"{LIST_PATH}: {len(tasks)} tasks, maybe not all of them"
            )
        if tasks and not any("state" in task for task in tasks):
            raise ProviderError(ErrorKind.UNSUPPORTED, f"{LIST_PATH}: tasks carry no state")
        return None

    def read_callback(self, raw: bytes) -> TaskSnapshot:
        body = self.callback_json(raw)
        task_id = values.ident(body.get("id"))
        if task_id is None or not is_task(body):
            raise ProviderError(ErrorKind.INVALID, "notifyHook: not a task")
        return parse_task(body, task_id)

    def _new_task(self, speed: str | None) -> dict[str, Any]:
        """The fields every submit of a new task (not a follow-up) starts with."""
        model = "mj-relax" if (speed or self.mode) == "relax" else "mj-fast"
        return {"model": model, "botType": "MID_JOURNEY"}

    async def _submit(self, path: str, body: dict[str, Any], ref: str, hook: str | None) -> str:
        return (await self._accepted(path, body, ref, hook))[0]

    async def _accepted(
        self, path: str, body: dict[str, Any], ref: str, hook: str | None
    ) -> tuple[str, dict[str, Any]]:
        """Submit; returns the new task's id and the whole answer."""
        if ref:
            body["state"] = ref
        if hook:
            body["notifyHook"] = hook
        status, answer = await self.request("POST", path, json=body)
        if status < 300 and code_of(answer) in ACCEPTED_CODES:
            task_id = values.ident(answer.get("result"))
            if task_id is None:
                raise self.unexpected_answer(status, answer)
            return task_id, answer
        if path in OPTIONAL_PATHS and status in NO_ROUTE:
            raise ProviderError(ErrorKind.UNSUPPORTED, f"HTTP {status}: no {path} here")
        description = values.text(answer.get("description")) if isinstance(answer, dict) else ""
        if path == VIDEO_PATH and VIDEO_OFF in description:
            raise ProviderError(ErrorKind.UNSUPPORTED, f"HTTP {status}: {answer_text(answer)}")
        raise self._error(status, answer)

    def _error(self, status: int, body: Any) -> ProviderError:
        """The error for an answer that is not a success."""
        code = code_of(body)
        if status < 300 and code is None:
            return self.unexpected_answer(status, body)
        description = values.text(body.get("description")) if isinstance(body, dict) else ""
        return self.http_error(status, answer_text(body), error_kind(status, code, description))

"""A fake AGICTO / midjourney-proxy server (providers.md §4).

Variants a test may switch:
- `result_as_int`: the submit `result` is an integer (AGICTO's example) or a string (proxy);
- `queue_code_22`: accepted submits answer code 22 "排队中…" instead of 1;
- `trueai_image_urls`: finished grids also carry trueai's `imageUrls[{url, thumbnail}]`;
- `list_by_condition`: False makes the batch query answer 404, as a server without it would;
- `task_list`: False does the same to `GET /mj/task/list`; `task_list_limit` cuts the
  listing to the newest n tasks (trueai: 100; novicezk lists them all);
- `describe_blend`: False makes `/mj/submit/describe` and `/mj/submit/blend` answer 404, as
  an AGICTO without them would (whether it has them is UNKNOWN);
- `describe_variant`: how a finished describe tells its prompts, all in
  `properties.finalPrompt`: "novicezk" (also in `prompt` and `promptEn`, keycap-numbered
  paragraphs as Discord shows them), "trueai" (the same text also in `description`, PicReader
  buttons) or "trueai_lines" (a non-Discord account: one prompt a line, CRLF, also in
  `promptEn`).

Describe takes `base64` (a data URL with an image; blank: code 4 "base64不能为空", anything
else: code 4 "base64格式错误"); blend takes 2–5 of them in `base64Array` (other counts: code 4
"base64List参数错误") and `dimensions` PORTRAIT|SQUARE|LANDSCAPE (default SQUARE; another
value fails enum parsing: HTTP 400, Spring's error body). As the fake's imagine, both want
AGICTO's `model` and `botType` (code 4 "参数错误" otherwise: the real ones are UNKNOWN).

Submits keep the `state` they were sent (any string; trueai refuses over 255 characters) and
every Task JSON echoes it, null when none was sent (BaseSubmitDTO, Task.java / TaskInfo.cs).

The MODAL follow-ups (providers.md §4.6): an action on `MJ::Inpaint::…` or `MJ::CustomZoom::…`,
or on a remixable button (V, 🔄, Vary, Pan) when the account has Remix on (`remix_on`),
makes a task that fetches as MODAL, takes no polls and calls nothing back until
`/mj/submit/modal {taskId, prompt, maskBase64}` confirms it; its prompt is then the modal's
(blank: the parent's, else code 4 "prompt不能为空") and it runs as any task, by the same id.
`modal_variant` picks how:
- "trueai" (its source): the action answers code 21 "Waiting for window confirm" with
  `properties {finalPrompt, remix: true}`, finalPrompt being the task's prompt (empty for an
  Inpaint, whose prompt trueai clears; the parent's otherwise); `enableRemix: true` with
  Remix off is code 4 "当前账号不支持 remix，请开启 remix 功能"; a confirmed task fetches once
  more as MODAL with `remixAutoSubmit: true` (its queue has not taken it yet). The auto-submit
  accounts (a remixable action confirmed at once with the parent's prompt) are not modelled.
- "novicezk" (midjourney-proxy-plus, docs/api.md): the action answers as any submit (code 1
  or 22) and only the task tells MODAL; `enableRemix` is ignored; no `remixAutoSubmit`.
Chosen here where the sources are silent or do not check: /modal on an unknown task is HTTP
404 code 3 "关联任务不存在或已失效", on one not MODAL code 4 "关联任务状态错误" (trueai
enqueues it anyway); a blank or non-string `taskId` code 4 "参数错误"; an Inpaint's
`maskBase64` must be a `data:image/png;base64,` URI of an image (the prefix trueai strips
before Discord), else code 4 "base64格式错误"; a Custom Zoom prompt without a `--zoom` of
1–2 is code 4 at once (trueai passes it on, and Discord refuses it), and one without `--ar`
is taken (the plus docs ask for it; Discord keeps the image's shape [INFERENCE]). Every mask
is decoded into `masks_received`. `modal_route` False makes /mj/submit/modal answer 404, as an
AGICTO without it would; `modal_new_id` makes /modal answer a new id for the task (no variant
is known to), to check that the adapter polls the id /modal gives.

Animate (providers.md §4.2, §4.5; trueai's SubmitController.Video, TaskService.SubmitVideo,
TaskInfo.cs, CustomComponentModel.cs). `video_variant` picks the server:
- "trueai" (its source, with its video setting on): every finished upscale (U1–U4 and the HD
  ones) also lists `MJ::JOB::animate_high::1::{hash}::SOLO` "Animate (High motion)" and
  `animate_low` (emoji 🎞️), which `/mj/submit/action` runs as any button; and
  `/mj/submit/video` takes an image;
- "no_buttons": upscales list no Animate, `/mj/submit/video` as trueai's. This is how the fake
  stands for novicezk: its source has neither buttons nor video, and midjourney-proxy-plus
  claims "video generation related interfaces" but its api.md names no animate customId
  (whether it passes Discord's on is UNKNOWN); `modal_variant` does not change video;
- "disabled": trueai with its video setting off: no Animate buttons, and `/mj/submit/video`
  answers code 4 "视频功能未启用";
- "absent": no Animate buttons, and `/mj/submit/video` answers 404, as an AGICTO without it
  would (whether AGICTO has it is UNKNOWN).
`/mj/submit/video` checks, in trueai's order: a blank or missing `prompt` is code 4 "Prompt
不能为空"; `image` must be an http(s) URL that serves an image (the fake fetches only its own,
on 127.0.0.1; trueai passes a URL on unread and Midjourney fetches it) else code 4
"图片链接无效" (the fake's wording), or a `data:` URI / bare base64 of an image, else code 4
"base64格式错误"; a `taskId` without `action: "extend"` is code 4 "任务类型错误" (trueai), and
extend itself is not modelled (code 4 "the fake does not extend videos"). Chosen where trueai
passes values on unchecked: `motion` (default low) other than low | high is code 4
"motion参数错误"; AGICTO's `model` and `botType` are wanted as on imagine (code 4 "参数错误").
`batchSize` 1 or 2 makes that many videos, anything else Midjourney's default 4 (trueai
appends `--bs` only for 1 and 2); `videoType`, `endImage` and `loop` are ignored. The task is
`animate_low` | `animate_high` (from `motion`), its parent the upscale whose image URL was
sent (None for any other image), its prompt trueai's: `<image url> <prompt> --video 1
--motion <m>` (the URL not repeated when the prompt has it) plus `--bs n`. An Animate button
run through /action makes four videos (Discord's default), and waits for /modal like a
remixable button when the account has Remix on (§4.6). A finished video reads as trueai
renders it: `action: "VIDEO"`, `videoUrl` (the first video), `videoUrls` and `imageUrls` both
`[{url, thumbnail}]` over the videos, `imageUrl` the first video again (trueai: "ImageUrl本身
就是视频链接"); while it runs, `imageUrl` is a PNG preview. Its buttons, by `video_buttons`:
"trueai" (default) one `MJ::JOB::video_virtual_upscale::{n}::{hash}` U{n} per video and a 🔄
(SetVideoUpscaleButtons), or "extend": `MJ::JOB::animate_high_extend::1::{hash}` "Extend
(High motion)" and `animate_low_extend` (SetVideoExtendButtons, which trueai puts on an
upscaled video). The fake runs none of a video's buttons (code 4 "customId无效").

Undocumented answers, chosen here: a bad key gets HTTP 401 with a SubmitResultVO-like body;
no balance gets HTTP 400 `{"code": 4, "description": "quota_not_enough", ...}` (new-api's
answer); a service failure gets code 9 "无可用的账号实例".
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from aiohttp import web

from tests.fakes.provider_base import (
    DESCRIBE_PROMPTS,
    FAIL_WORD,
    REFUSED_WORD,
    FakeProvider,
    FakeTask,
    data_image,
)

# common kind → (customId template, label, emoji); {i} is the U/V index, {hash} the job hash
BUTTONS = {
    "upscale": ("MJ::JOB::upsample::{i}::{hash}", "U{i}", ""),
    "variation": ("MJ::JOB::variation::{i}::{hash}", "V{i}", ""),
    "reroll": ("MJ::JOB::reroll::0::{hash}::SOLO", "", "🔄"),
    "vary_strong": ("MJ::JOB::high_variation::1::{hash}::SOLO", "Vary (Strong)", "🪄"),
    "vary_subtle": ("MJ::JOB::low_variation::1::{hash}::SOLO", "Vary (Subtle)", "🪄"),
    "vary_region": ("MJ::Inpaint::1::{hash}::SOLO", "Vary (Region)", "🖌️"),
    "zoom_out_2x": ("MJ::Outpaint::50::1::{hash}::SOLO", "Zoom Out 2x", "🔍"),
    "zoom_out_1_5x": ("MJ::Outpaint::75::1::{hash}::SOLO", "Zoom Out 1.5x", "🔍"),
    "zoom_custom": ("MJ::CustomZoom::{hash}", "Custom Zoom", "🔍"),
    "pan_left": ("MJ::JOB::pan_left::1::{hash}::SOLO", "", "⬅️"),
    "pan_right": ("MJ::JOB::pan_right::1::{hash}::SOLO", "", "➡️"),
    "pan_up": ("MJ::JOB::pan_up::1::{hash}::SOLO", "", "⬆️"),
    "pan_down": ("MJ::JOB::pan_down::1::{hash}::SOLO", "", "⬇️"),
    "upscale_subtle": (
        "MJ::JOB::upsample_v7_2x_subtle::1::{hash}::SOLO",
        "Upscale (Subtle)",
        "upscale_1",
    ),
    "upscale_creative": (
        "MJ::JOB::upsample_v7_2x_creative::1::{hash}::SOLO",
        "Upscale (Creative)",
        "upscale_1",
    ),
    "animate_high": ("MJ::JOB::animate_high::1::{hash}::SOLO", "Animate (High motion)", "🎞️"),
    "animate_low": ("MJ::JOB::animate_low::1::{hash}::SOLO", "Animate (Low motion)", "🎞️"),
    "video_upscale": ("MJ::JOB::video_virtual_upscale::{i}::{hash}", "U{i}", ""),
    "animate_high_extend": ("MJ::JOB::animate_high_extend::1::{hash}", "Extend (High motion)", "🎞️"),
    "animate_low_extend": ("MJ::JOB::animate_low_extend::1::{hash}", "Extend (Low motion)", "🎞️"),
}
ANIMATE_ACTIONS = [("animate_high", 0), ("animate_low", 0)]  # trueai's order
EXTEND_ACTIONS = [("animate_high_extend", 0), ("animate_low_extend", 0)]

# trueai's buttons on a finished describe (TaskInfo.SetDescribeButtions)
PICREADER = [(f"MJ::Job::PicReader::{n}", f"{n}\ufe0f\u20e3") for n in range(1, 5)]
PICREADER.append(("MJ::Picread::Retry", "🔄"))
DIMENSIONS = ("PORTRAIT", "SQUARE", "LANDSCAPE")

# common kind → the proxy's task `action`
TASK_ACTIONS = {
    "imagine": "IMAGINE",
    "describe": "DESCRIBE",
    "blend": "BLEND",
    "upscale": "UPSCALE",
    "variation": "VARIATION",
    "vary_strong": "VARIATION",
    "vary_subtle": "VARIATION",
    "vary_region": "VARIATION",
    "zoom_out_2x": "ZOOM",
    "zoom_out_1_5x": "ZOOM",
    "zoom_custom": "ZOOM",
    "pan_left": "PAN",
    "pan_right": "PAN",
    "pan_up": "PAN",
    "pan_down": "PAN",
    "upscale_subtle": "UPSCALE_HD",
    "upscale_creative": "UPSCALE_HD",
    "animate_high": "VIDEO",
    "animate_low": "VIDEO",
}
MODAL_KINDS = ("vary_region", "zoom_custom")  # the proxy always waits for /mj/submit/modal
REMIXABLE = (  # the proxy waits for /mj/submit/modal when Remix is on
    "variation",
    "reroll",
    "vary_strong",
    "vary_subtle",
    "pan_left",
    "pan_right",
    "pan_up",
    "pan_down",
)
PNG_URI = "data:image/png;base64,"
ZOOM = re.compile(r"--zoom\s+(\d+(?:\.\d+)?)\b")
MOTIONS = ("low", "high")

STATUSES = {
    "queued": "SUBMITTED",
    "running": "IN_PROGRESS",
    "success": "SUCCESS",
    "failure": "FAILURE",
}


def vo(code: int, description: str, result: Any = None, **properties: Any) -> dict[str, Any]:
    """A SubmitResultVO."""
    return {"code": code, "description": description, "properties": properties, "result": result}


def no_route() -> web.Response:
    """A gateway's answer about a route it does not have."""
    return web.json_response(
        {"error": {"message": "Invalid URL", "type": "invalid_request_error"}}, status=404
    )


def zoom_ok(prompt: str) -> bool:
    """A Custom Zoom prompt sets a `--zoom` of 1–2 (plus docs/api.md)."""
    zoom = ZOOM.search(prompt)
    return zoom is not None and 1 <= float(zoom.group(1)) <= 2


def is_video(task: FakeTask) -> bool:
    return task.kind.startswith("animate")


def describe_text(variant: str) -> str:
    """A finished describe's prompts, worded as `variant` words them."""
    if variant == "trueai_lines":
        return "\r\n".join(DESCRIBE_PROMPTS)
    return "\n\n".join(f"{n}\ufe0f\u20e3 {p}" for n, p in enumerate(DESCRIBE_PROMPTS, 1))


class FakeAgicto(FakeProvider):
    name = "agicto"
    hook_field = "notifyHook"

    def __init__(self) -> None:
        super().__init__()
        self.result_as_int = True
        self.queue_code_22 = False
        self.trueai_image_urls = False
        self.list_by_condition = True
        self.task_list = True
        self.task_list_limit: int | None = None
        self.describe_blend = True
        self.describe_variant = "novicezk"
        self.modal_variant = "trueai"
        self.remix_on = False  # the account's Remix mode
        self.modal_route = True
        self.modal_new_id = False
        self.video_variant = "trueai"
        self.video_buttons = "trueai"  # or "extend": what a finished video lists
        self.batch_queries: list[list[str]] = []  # ids of every list-by-condition call

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v1/mj/submit/imagine", self._imagine)
        router.add_post("/v1/mj/submit/action", self._action)
        router.add_post("/v1/mj/submit/modal", self._modal)
        router.add_post("/v1/mj/submit/describe", self._describe_or_blend)
        router.add_post("/v1/mj/submit/blend", self._describe_or_blend)
        router.add_post("/v1/mj/submit/video", self._video)
        router.add_get("/v1/mj/task/{id}/fetch", self._fetch)
        router.add_post("/v1/mj/task/list-by-condition", self._list_by_condition)
        router.add_get("/v1/mj/task/list", self._list)

    def is_submit(self, request: web.Request) -> bool:
        return request.method == "POST" and "/submit/" in request.path

    def error_response(self, kind: str) -> web.Response:
        answers = {
            "auth": (401, vo(9, "无效的令牌")),
            "balance": (400, vo(4, "quota_not_enough")),
            "moderation": (
                200,
                vo(24, "可能包含敏感词", promptEn=f"a {REFUSED_WORD}", bannedWord=REFUSED_WORD),
            ),
            "invalid": (200, vo(4, "prompt不能为空")),
            "rate_limited": (200, vo(23, "队列已满，请稍后尝试", discordInstanceId="1118")),
            "unavailable": (200, vo(9, "无可用的账号实例")),
        }
        status, body = answers[kind]
        return web.json_response(body, status=status)

    # --- submits ----------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.api_key}"

    def _accepted(self, task: FakeTask) -> web.Response:
        task.extra["submit_time"] = int(time.time() * 1000)
        result: int | str = int(task.id) if self.result_as_int else task.id
        if task.extra.get("modal") and self.modal_variant == "trueai":
            body = vo(21, "Waiting for window confirm", result, finalPrompt=task.prompt, remix=True)
        elif self.queue_code_22:
            body = vo(22, "排队中，前面还有1个任务", result, numberOfQueues=1)
        else:
            body = vo(1, "提交成功", result)
        return web.json_response(body)

    async def _imagine(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self.error_response("auth")
        body = await request.json()
        prompt = body.get("prompt")
        valid = (
            isinstance(prompt, str)
            and prompt.strip()
            and self._new_task_ok(body)
            and isinstance(body.get("base64Array"), list)
        )
        if not valid:
            return self.error_response("invalid")
        if not all(data_image(entry) for entry in body["base64Array"]):
            return web.json_response(vo(4, "base64格式错误"))
        if REFUSED_WORD in prompt:
            return web.json_response(
                vo(24, "可能包含敏感词", promptEn=prompt, bannedWord=REFUSED_WORD)
            )
        task = self.new_task("imagine", prompt)
        task.extra["state"] = body.get("state")
        self.submitted(request.path, body, task)
        return self._accepted(task)

    @staticmethod
    def _state_ok(body: dict[str, Any]) -> bool:
        state = body.get("state")
        return state is None or (isinstance(state, str) and len(state) <= 255)

    def _new_task_ok(self, body: dict[str, Any]) -> bool:
        return (
            body.get("model") in ("mj-fast", "mj-relax")
            and body.get("botType") in ("MID_JOURNEY", "NIJI_JOURNEY")
            and self._state_ok(body)
        )

    async def _describe_or_blend(self, request: web.Request) -> web.Response:
        """Images go as data URLs (the proxies read nothing else), one or 2–5 of them."""
        if not self.describe_blend:
            return no_route()
        if not self._authorized(request):
            return self.error_response("auth")
        body = await request.json()
        if not self._new_task_ok(body):
            return web.json_response(vo(4, "参数错误"))
        kind = request.path.rsplit("/", 1)[1]
        if kind == "describe":
            entries = [body.get("base64")]
            if not isinstance(entries[0], str) or not entries[0].strip():
                return web.json_response(vo(4, "base64不能为空"))
        else:
            if body.get("dimensions", "SQUARE") not in DIMENSIONS:
                error = {"status": 400, "error": "Bad Request", "path": "/mj/submit/blend"}
                return web.json_response(error, status=400)
            entries = body.get("base64Array")
            if not isinstance(entries, list) or not 2 <= len(entries) <= 5:
                return web.json_response(vo(4, "base64List参数错误"))
        images = [
            await self.load_image(e) if isinstance(e, str) and e.startswith("data:") else None
            for e in entries
        ]
        self.images_received.append(images)
        if None in images:
            return web.json_response(vo(4, "base64格式错误"))
        task = self.new_task(kind, "")
        task.extra["state"] = body.get("state")
        self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _action(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self.error_response("auth")
        body = await request.json()
        if not self._state_ok(body):
            return self.error_response("invalid")
        parent = self.tasks.get(str(body.get("taskId")))
        if parent is None:
            return web.json_response(vo(3, "关联任务不存在或已失效"), status=404)
        if parent.state != "success":
            return web.json_response(vo(4, "关联任务状态错误"))
        runs = [] if is_video(parent) else self.actions(parent)  # none of a video's own
        offered = {self.custom_id(parent, kind, i): (kind, i) for kind, i in runs}
        if body.get("customId") not in offered:
            return web.json_response(vo(4, "customId无效"))
        kind, index = offered[body["customId"]]
        remixable = kind in REMIXABLE or kind.startswith("animate")  # §4.6: Video too
        waits = kind in MODAL_KINDS or (remixable and self.remix_on)
        trueai = self.modal_variant == "trueai"
        if trueai and body.get("enableRemix") is True and not self.remix_on:
            return web.json_response(vo(4, "当前账号不支持 remix，请开启 remix 功能"))
        prompt = "" if trueai and kind == "vary_region" else parent.prompt
        task = self.new_task(kind, prompt, index, parent.id)
        task.extra["state"] = body.get("state")
        if is_video(task):
            task.extra["videos"] = 4  # Discord's Animate makes four
        if waits:
            self._wait(request.path, body, task)
        else:
            self.submitted(request.path, body, task)
        return self._accepted(task)

    async def _video(self, request: web.Request) -> web.Response:
        """`/mj/submit/video`: an image animated (trueai's SubmitController.Video)."""
        if self.video_variant == "absent":
            return no_route()
        if not self._authorized(request):
            return self.error_response("auth")
        if self.video_variant == "disabled":
            return web.json_response(vo(4, "视频功能未启用"))
        body = await request.json()
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return web.json_response(vo(4, "Prompt 不能为空"))
        image = body.get("image")
        if not isinstance(image, str) or await self.load_image(image) is None:
            is_url = isinstance(image, str) and image.startswith(("http://", "https://"))
            return web.json_response(vo(4, "图片链接无效" if is_url else "base64格式错误"))
        if body.get("taskId") and body.get("action") != "extend":
            return web.json_response(vo(4, "任务类型错误"))
        if body.get("action") == "extend":
            return web.json_response(vo(4, "the fake does not extend videos"))
        motion = body.get("motion", "low")
        if motion not in MOTIONS:
            return web.json_response(vo(4, "motion参数错误"))
        if not self._new_task_ok(body):
            return web.json_response(vo(4, "参数错误"))
        batch = body.get("batchSize")
        videos = batch if batch in (1, 2) and not isinstance(batch, bool) else 4
        prompt = prompt.strip() if image in prompt else f"{image} {prompt.strip()}"
        prompt += f" --video 1 --motion {motion}" + (f" --bs {videos}" if videos < 4 else "")
        task = self.new_task(f"animate_{motion}", prompt, parent=self._task_of(image))
        task.extra.update(state=body.get("state"), videos=videos)
        self.submitted(request.path, body, task)
        return self._accepted(task)

    def _task_of(self, url: str) -> str | None:
        """The id of the fake's task whose image `url` is; None for any other image."""
        prefix = f"{self.url}/img/"
        task_id = url.removeprefix(prefix).partition("/")[0] if url.startswith(prefix) else ""
        return task_id if task_id in self.tasks else None

    def _wait(self, path: str, body: dict[str, Any], task: FakeTask) -> None:
        """The task waits for /modal: the submit is recorded and its hook kept, no clock runs."""
        task.extra["modal"] = True
        self.submits.append((path, body))
        hook = body.get(self.hook_field)
        if isinstance(hook, str) and hook:
            task.extra["hook"] = hook

    async def _modal(self, request: web.Request) -> web.Response:
        if not self.modal_route:
            return no_route()
        if not self._authorized(request):
            return self.error_response("auth")
        body = await request.json()
        task_id = body.get("taskId")
        if not isinstance(task_id, str) or not task_id.strip() or not self._state_ok(body):
            return web.json_response(vo(4, "参数错误"))
        task = self.tasks.get(task_id)
        if task is None:
            return web.json_response(vo(3, "关联任务不存在或已失效"), status=404)
        if not task.extra.get("modal"):
            return web.json_response(vo(4, "关联任务状态错误"))
        given = body.get("prompt")
        prompt = (given if isinstance(given, str) else "").strip()
        prompt = prompt or self.tasks[task.parent or ""].prompt
        if not prompt:
            return web.json_response(vo(4, "prompt不能为空"))
        if task.kind == "zoom_custom" and not zoom_ok(prompt):
            return web.json_response(vo(4, "CustomZoom的prompt需要设置--zoom(1到2之间)"))
        if task.kind == "vary_region":
            mask = body.get("maskBase64")
            png = isinstance(mask, str) and mask.startswith(PNG_URI)
            self.masks_received.append(await self.load_image(mask) if png else None)
            if self.masks_received[-1] is None:
                return web.json_response(vo(4, "base64格式错误"))
        if self.modal_new_id:
            del self.tasks[task.id]
            task.id = self.new_id()
            self.tasks[task.id] = task
        del task.extra["modal"]
        task.prompt = prompt
        if FAIL_WORD in prompt:
            task.extra["will_fail"] = True
        if self.modal_variant == "trueai":
            task.extra.update(auto_submit=True, untaken=True)
        self.submitted(request.path, body, task)
        return self._accepted(task)

    # --- queries ----------------------------------------------------------------------

    async def _fetch(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self.error_response("auth")
        task = self.tasks.get(request.match_info["id"])
        if task is None:
            return web.Response(status=200)  # the proxy answers an unknown id with no body
        return web.json_response(self.render(self._advance(task)))

    async def _list_by_condition(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self.error_response("auth")
        if not self.list_by_condition:
            return no_route()
        ids = [str(i) for i in (await request.json()).get("ids", [])]
        self.batch_queries.append(ids)
        tasks = [self.tasks[i] for i in ids if i in self.tasks]
        return web.json_response([self.render(self._advance(t)) for t in tasks])

    async def _list(self, request: web.Request) -> web.Response:
        """Every stored task, newest (highest id) first, as novicezk's `TaskController.list`;
        listing does not advance them."""
        if not self._authorized(request):
            return self.error_response("auth")
        if not self.task_list:
            return no_route()
        tasks = sorted(self.tasks.values(), key=lambda t: int(t.id), reverse=True)
        return web.json_response([self.render(t) for t in tasks[: self.task_list_limit]])

    def callback_body(self, task: FakeTask) -> dict[str, Any]:
        """notifyHook: the whole task, on every change of status or progress (§4.7)."""
        return self.render(task)

    def _advance(self, task: FakeTask) -> FakeTask:
        """A MODAL task waits for /modal, and trueai's queue takes a confirmed one at the
        next fetch; the others progress per poll."""
        if task.extra.get("modal") or task.extra.pop("untaken", False):
            return task
        return self.poll(task)

    # --- rendering --------------------------------------------------------------------

    def job_hash(self, task: FakeTask) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.url}/{task.id}"))

    def custom_id(self, task: FakeTask, kind: str, index: int) -> str:
        return BUTTONS[kind][0].format(i=index, hash=self.job_hash(task))

    def actions(self, task: FakeTask) -> list[tuple[str, int]]:
        """The (kind, index) of the buttons a task lists: the base's, with trueai's Animate
        on an upscale; a finished video's own by `video_buttons`."""
        if task.state != "success":
            return []
        if is_video(task):
            if self.video_buttons == "extend":
                return EXTEND_ACTIONS
            return [("video_upscale", n) for n in range(1, task.extra.get("videos", 4) + 1)] + [
                ("reroll", 0)
            ]
        if task.single_image and self.video_variant == "trueai":
            return [*task.next_actions, *ANIMATE_ACTIONS]
        return task.next_actions

    def render_button(self, task: FakeTask, kind: str, index: int) -> dict[str, Any]:
        _, label, emoji = BUTTONS[kind]
        return {
            "customId": self.custom_id(task, kind, index),
            "emoji": emoji,
            "label": label.format(i=index),
            "type": 2,
            "style": 2,
        }

    def task_action(self, task: FakeTask) -> str:
        """A reroll takes its parent's action (an upscale's reroll is an IMAGINE)."""
        if task.kind != "reroll":
            return TASK_ACTIONS[task.kind]
        parent = self.tasks.get(task.parent or "")
        action = self.task_action(parent) if parent else "IMAGINE"
        return "IMAGINE" if action == "UPSCALE" else action

    def render(self, task: FakeTask) -> dict[str, Any]:
        submit_time = task.extra.get("submit_time", 0)
        untaken = task.extra.get("untaken") and task.state == "queued"
        modal = task.extra.get("modal") or untaken
        started = task.state != "queued"
        done = task.state in ("success", "failure")
        data: dict[str, Any] = {
            "id": task.id,
            "action": self.task_action(task),
            "status": "MODAL" if modal else STATUSES[task.state],
            "prompt": task.prompt,
            "promptEn": task.prompt,
            "description": "Waiting for window confirm" if modal else "Submit success",
            "state": task.extra.get("state"),
            "submitTime": submit_time,
            "startTime": submit_time + 1000 if started else None,
            "finishTime": submit_time + 30000 if done else None,
            "imageUrl": self.image_url(task) if started and task.state != "failure" else None,
            "progress": "" if task.state == "failure" else f"{self.progress(task)}%",
            "failReason": task.fail_reason or None,
            "properties": {"finalPrompt": task.prompt, "finalZhPrompt": ""},
            "buttons": [self.render_button(task, k, i) for k, i in self.actions(task)],
        }
        if self.modal_variant == "trueai":
            data["remixAutoSubmit"] = task.extra.get("auto_submit", False)
        if task.kind == "describe":
            data.update(self.describe_fields(task))
        elif is_video(task) and task.state == "success":
            data.update(self.video_fields(task))
        elif self.trueai_image_urls and task.state == "success" and not task.single_image:
            data["imageUrls"] = [{"url": u, "thumbnail": u} for u in self.tile_urls(task)]
        return data

    def video_fields(self, task: FakeTask) -> dict[str, Any]:
        """A finished video as trueai renders it: the videos in `videoUrl`, `videoUrls`,
        `imageUrls` and `imageUrl` alike."""
        urls = [self.video_url(task, n) for n in range(task.extra.get("videos", 4))]
        listed = [{"url": u, "thumbnail": self.image_url(task, n + 1)} for n, u in enumerate(urls)]
        return {"imageUrl": urls[0], "videoUrl": urls[0], "videoUrls": listed, "imageUrls": listed}

    def describe_fields(self, task: FakeTask) -> dict[str, Any]:
        """Where a describe task carries its prompts, in `describe_variant`."""
        text = describe_text(self.describe_variant) if task.state == "success" else ""
        fields: dict[str, Any] = {"properties": {"finalPrompt": text, "finalZhPrompt": ""}}
        if self.describe_variant == "novicezk":
            return {
                **fields,
                "prompt": text,
                "promptEn": text,
                "description": f"/describe {task.id}.jpg",
            }
        lines = self.describe_variant == "trueai_lines"
        buttons = [
            {"customId": custom_id, "emoji": emoji, "label": "", "type": 2, "style": 2}
            for custom_id, emoji in PICREADER
        ]
        return {
            **fields,
            "prompt": None,
            "promptEn": text if lines else None,
            "description": text if text and not lines else "/describe",
            "buttons": buttons if text else [],
        }

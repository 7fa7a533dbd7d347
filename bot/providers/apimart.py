"""APIMart (https://docs.apimart.ai): Bearer key, one endpoint per follow-up action.

`POST /v1/midjourney/generations[/<action>]` answers
`{"code": 200, "data": [{"status": "submitted", "task_id": …}]}`; `GET /v1/midjourney/{id}`
answers the task FLAT (status, `"45%"` progress, `grid_image_url`, `image_urls`,
`buttons[{customId, label}]`, `fail_reason`), read by apimart_tasks.py. The unified
`GET /v1/tasks/{id}` has no buttons and is not used.

Gaps in the provider's documentation (providers.md §1) and what this adapter does:
- Error body shape is UNKNOWN (only HTTP status + code 3/4/9 + text are documented): `code`
  and the first of `description` | `message` | `error.message` are read. The kind comes from
  the HTTP status; auth, balance and rate-limit answers are UNKNOWN and taken to be the usual
  401, 402 (or a message about balance/quota) and 429.
- Moderation refusals are UNDOCUMENTED: a submit error with code 24 (midjourney-proxy's
  BANNED_PROMPT, whose 3/4/9 codes APIMart reuses) or a message that reads like a refusal is
  MODERATION; a task that FAILs with such a `fail_reason` gets error_kind MODERATION.
- Whether inpaint's flat `{"task_id", "status": "modal"}` answer is wrapped is UNKNOWN: the
  `{"code", "data": [...]}`, `{"data": [...]}` and flat forms are all read.
- `CANCEL` is only in the workflow page's state machine: it is a FAILURE.
- Button keys other than `customId`/`label` are UNKNOWN: actions come from the
  midjourney-proxy customId catalogue, then from Midjourney's labels; anything else is OTHER.
- `custom_id` is sent where the page documents it next to the auto-matching field (reroll,
  low-variation, zoom, pan, inpaint). Upscale and variation get `index` only (the variation
  page says index and custom_id are mutually exclusive); high-variation gets `index: 1`
  (its page could not be read; `custom_id` there is INFERENCE).
- Upscale (Subtle/Creative/2x/4x), Redo, Custom Zoom and Make Square have no documented
  route: supports() is False and act() raises UNSUPPORTED.
- Vary Region is two calls in one act(): `/inpaint` (its task waits in MODAL), then
  `/modal {task_id: <the inpaint's id>, prompt, mask_url, speed}`. The modal page says the
  task id stays the same; the id /modal answers with is the one returned. The mask goes as the
  `data:image/png;base64,` URI the bot makes (mask_url is "URL or data URI"; a URL would have
  to be public, which the bot's media route need not be). The page says transparent = keep;
  the bot's mask is black = keep and is sent as it is (whether APIMart reads black as keep is
  UNKNOWN). An empty prompt inherits the parent's [DOC]. No inpaint is started without a
  mask; when /modal fails, the error is raised and the inpaint is left in MODAL, which the
  provider cancels (and refunds) after 30 minutes [seed workflow page].
- Which image to post: an `UPSCALE` task (or one with a single image) posts `image_urls[0]`,
  anything else `grid_image_url` (an upscale may echo its parent's grid: UNKNOWN).
- 403 on the query means "another user's task" [DOC]: INVALID, not AUTH.
- Remix and custom zoom paths are UNKNOWN; no webhook or batch query is documented.
- Field types are not trusted: a URL is an http(s) string, a progress a finite number, ids,
  labels and customIds strings; anything else reads as absent. A fetched task keeps the id
  it was fetched by.
- Image prompts go inline in `image_urls`, documented as "Image URLs or base64": each is sent
  as a `data:image/jpeg;base64,` URI (whether bare base64 is read too is UNKNOWN). How many
  are allowed is not documented. Describe and blend send theirs the same way (`/describe`
  reads only the first: one is sent; `/blend` takes 2–4, hence max_blend_images 4).
- Blend sends the shape as `dimensions` (PORTRAIT/SQUARE/LANDSCAPE), never the free `size`;
  its task is read like an imagine's (grid, buttons).
- A describe's text is "in prompt / description" [DOC]; which one holds it when both are set
  and differ is UNKNOWN: the first numbered with keycaps (1️⃣…), else the first not empty. It
  is read only from a SUCCESS task whose `action` or `mode` is DESCRIBE; one without any text
  is a FAILURE (nothing to show).
- Animate (Low/High motion) is `POST /generations/video` with `motion` low | high and
  `batch_size` 1 (one video to post), from the bot's button or APIMart's own (no custom_id
  field is documented for /video, so a button's handle is not sent). The first frame goes as
  `image_urls: [the upscale's image]` with the parent's prompt, the seed workflow page's form;
  the prompt loses its parameters (--ar, --v, …: a still image's, and whether a video job
  takes them is UNKNOWN). The page makes `prompt` optional only with `task_id`, so a parent
  without prompt text (a blend's upscale) is named by `task_id` + `index: 0` instead, its one
  image in the page's 0-based index [INFERENCE: how /video reads an upscale's task id is
  UNKNOWN]. Not sent: `speed` (video is "fixed FAST"), `video_type` (default
  vid_1.1_i2v_480), `animate_mode` (default manual; auto needs task_id + index), `end_url`.
  A parent with prompt text but no image URL is refused (INVALID) without a request.
- A video task is read from `video_url` and `video_urls[]` (the former first, without
  repeats); one whose `action` is VIDEO and that succeeds without any is a FAILURE. Its
  buttons are left out: no follow-up of a video is documented (nor extend).
- No documented field is echoed back on the task (`metadata` is sent-only as far as the docs
  go): the bot's `ref` is not sent and there is no RECONCILE; nor is `hook` (no webhook).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from bot.domain import Action, Button
from bot.prompts import split_parameters
from bot.providers import values
from bot.providers.apimart_tasks import parse_task
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import BLEND_DIMENSIONS, Capability, TaskSnapshot, classify_failure

GENERATIONS = "/v1/midjourney/generations"
QUERY = "/v1/midjourney/"

PAN_DIRECTIONS = {
    Action.PAN_LEFT: "left",
    Action.PAN_RIGHT: "right",
    Action.PAN_UP: "up",
    Action.PAN_DOWN: "down",
}
ZOOM_RATIOS = {Action.ZOOM_OUT_2X: 2, Action.ZOOM_OUT_1_5X: 1.5}
MOTIONS = {Action.ANIMATE_LOW: "low", Action.ANIMATE_HIGH: "high"}
ROUTES = {  # follow-up → path under /v1/midjourney/generations
    Action.UPSCALE: "/upscale",
    Action.VARIATION: "/variation",
    Action.VARY_STRONG: "/high-variation",
    Action.VARY_SUBTLE: "/low-variation",
    Action.REROLL: "/reroll",
    Action.VARY_REGION: "/inpaint",
    **dict.fromkeys(ZOOM_RATIOS, "/zoom"),
    **dict.fromkeys(PAN_DIRECTIONS, "/pan"),
    **dict.fromkeys(MOTIONS, "/video"),
}
BANNED_PROMPT = 24  # midjourney-proxy ReturnCode.BANNED_PROMPT


def parse_submit(data: Any) -> str | None:
    """The task id of a submit answer: `{"code", "data": [{…}]}`, `{"data": [{…}]}` or flat."""
    if not isinstance(data, dict):
        return None
    items = data.get("data")
    entry = items[0] if isinstance(items, list) and items else data
    return values.ident(entry.get("task_id")) if isinstance(entry, dict) else None


def parse_error(data: Any) -> tuple[Any, str]:
    """(code, message) of an error answer, whatever of the possible shapes it has."""
    if not isinstance(data, dict):
        return None, ""
    nested = data.get("error") if isinstance(data.get("error"), dict) else {}
    code = data.get("code", nested.get("code"))
    for message in (data.get("description"), data.get("message"), nested.get("message")):
        if message:
            return code, str(message)
    return code, ""


def error_kind(status: int, code: Any, message: str) -> ErrorKind:
    """The kind of an error answer from its HTTP status, code and text."""
    if status == 401:
        return ErrorKind.AUTH
    if status == 429:
        return ErrorKind.RATE_LIMITED
    if status >= 500:
        return ErrorKind.UNAVAILABLE
    hinted = classify_failure(message)
    if code == BANNED_PROMPT or hinted is ErrorKind.MODERATION:
        return ErrorKind.MODERATION
    if status == 402 or hinted is ErrorKind.BALANCE:
        return ErrorKind.BALANCE
    # A success status carrying an error code (3 not found, 4 validation, …) is a refusal.
    return Provider.kind_for_status(status) if status >= 400 else ErrorKind.INVALID


def animation(
    task_id: str, action: Action, prompt: str | None, image: str | None
) -> dict[str, Any]:
    """The `/video` body that animates the upscale `task_id`, whose image is `image`."""
    body: dict[str, Any] = {"motion": MOTIONS[action], "batch_size": 1}
    text, _ = split_parameters(prompt or "")
    if not text:  # "prompt (optional if task_id)"
        return {"task_id": task_id, "index": 0, **body}
    if values.url(image) is None:
        raise ProviderError(ErrorKind.INVALID, "Animate needs the image's URL")
    return {"image_urls": [image], "prompt": text, **body}


def follow_up(task_id: str, button: Button, speed: str) -> tuple[str, dict[str, Any]]:
    """The documented (path, body) that runs `button` on `task_id`."""
    action = button.action
    if action not in ROUTES:
        raise ProviderError(ErrorKind.UNSUPPORTED, f"APIMart documents no route for {action.value}")
    if action is Action.UPSCALE:
        body: dict[str, Any] = {"task_id": task_id, "index": button.index}
    elif action in (Action.VARIATION, Action.VARY_STRONG):
        body = {"task_id": task_id, "index": button.index or 1, "speed": speed}
    else:
        body = {"task_id": task_id, "custom_id": button.handle, "speed": speed}
    if action in ZOOM_RATIOS:
        body["zoom_ratio"] = ZOOM_RATIOS[action]
    if action in PAN_DIRECTIONS:
        body["direction"] = PAN_DIRECTIONS[action]
    return ROUTES[action], body


class ApimartProvider(Provider):
    name = "apimart"
    default_url = "https://api.apimart.ai"
    speeds: ClassVar[tuple[str, ...]] = ("fast", "relax", "turbo")
    inline_images: ClassVar[frozenset[Action]] = frozenset(
        {Action.IMAGINE, Action.DESCRIBE, Action.BLEND, Action.VARY_REGION}
    )
    max_blend_images = 4
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.DESCRIBE, Capability.BLEND, Capability.VIDEO, Capability.VARY_REGION}
    )

    def supports(self, action: Action) -> bool:
        return action in ROUTES and super().supports(action)

    async def imagine(
        self,
        prompt: str,
        *,
        images: Sequence[str] = (),
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        body: dict[str, Any] = {"prompt": prompt, "speed": speed or self.mode}
        if images:
            body["image_urls"] = list(images)
        return await self._submit(GENERATIONS, body)

    async def describe(
        self,
        image: str,
        *,
        ref: str = "",
        hook: str | None = None,
        speed: str | None = None,
    ) -> str:
        body = {"image_urls": [image], "speed": speed or self.mode}
        return await self._submit(GENERATIONS + "/describe", body)

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
        body = {
            "image_urls": list(images),
            "dimensions": BLEND_DIMENSIONS[shape],
            "speed": speed or self.mode,
        }
        return await self._submit(GENERATIONS + "/blend", body)

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
            body = animation(parent_task_id, button.action, prompt, image)
            return await self._submit(GENERATIONS + ROUTES[button.action], body)
        speed = speed or self.mode
        path, body = follow_up(parent_task_id, button, speed)
        region = button.action is Action.VARY_REGION
        if region and not mask:
            raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a mask")
        task_id = await self._submit(GENERATIONS + path, body)
        if not region:
            return task_id
        modal = {"task_id": task_id, "prompt": prompt or "", "mask_url": mask, "speed": speed}
        return await self._submit(GENERATIONS + "/modal", modal)

    async def fetch(self, task_id: str) -> TaskSnapshot:
        status, data = await self.request("GET", QUERY + task_id)
        if not 200 <= status < 300 or not isinstance(data, dict) or "status" not in data:
            kind = ErrorKind.INVALID if status == 403 else None
            raise self._error(status, data, kind)
        return parse_task(data, task_id)

    async def _submit(self, path: str, body: dict[str, Any]) -> str:
        status, data = await self.request("POST", path, json=body)
        task_id = parse_submit(data) if 200 <= status < 300 else None
        if task_id is None:
            raise self._error(status, data)
        return task_id

    def _error(self, status: int, data: Any, kind: ErrorKind | None = None) -> ProviderError:
        code, message = parse_error(data)
        if code is None and not message:
            detail = f"unexpected answer {str(data)[:200]!r}"
        else:
            detail = f"code {code}: {message}"
        if status >= 300:
            return self.http_error(status, detail, kind or error_kind(status, code, message))
        if code in (None, 200):
            # A success status with nothing usable in it: it may have been carried out.
            return self.unexpected_answer(status, data)
        return ProviderError(kind or error_kind(status, code, message), f"HTTP {status}: {detail}")

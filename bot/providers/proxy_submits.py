"""midjourney-proxy's submit answers (SubmitResultVO: code, description, result, properties)
and what its MODAL step, `/mj/submit/modal`, and its `/mj/submit/video` are sent. What the
sources leave open about them, and what is done about it, is listed in agicto.py."""

from __future__ import annotations

import re
from typing import Any

from bot.domain import Action
from bot.prompts import split_parameters
from bot.providers import values
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.tasks import classify_failure

ACCEPTED_CODES = (1, 21, 22)  # submitted, existed / waiting for the modal, queued
WAITING = 21  # "Waiting for window confirm": the new task is MODAL
BALANCE_HINTS = ("余额", "额度")  # Chinese balance words that `classify_failure` does not know
ASPECT = re.compile(r"--(?:ar|aspect)\s+(\d+:\d+)")
MOTIONS = {Action.ANIMATE_LOW: "low", Action.ANIMATE_HIGH: "high"}  # SubmitVideoDTO.motion
VIDEO_OFF = "视频功能未启用"  # trueai's /mj/submit/video with its video setting off


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


def code_of(body: Any) -> int | None:
    """The SubmitResultVO `code`, when it is an integer (not a bool, a string, …)."""
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def modal_fields(action: Action, prompt: str | None, mask: str | None) -> dict[str, str] | None:
    """What `/mj/submit/modal` carries after the action of this follow-up (besides the task
    id), or None for a plain follow-up: Vary (Region) its prompt and mask, Custom Zoom its
    prompt, a remixed follow-up the edited prompt. A missing input is INVALID."""
    if action is Action.VARY_REGION:
        if not mask:
            raise ProviderError(ErrorKind.INVALID, "Vary (Region) needs a mask")
        return {"prompt": prompt or "", "maskBase64": mask}
    if action is Action.ZOOM_CUSTOM:
        if not prompt:
            raise ProviderError(ErrorKind.INVALID, "Custom Zoom needs a prompt with its --zoom")
        return {"prompt": prompt}
    if prompt is not None and action.remixable:
        return {"prompt": prompt}
    return None


def has_aspect(prompt: str) -> bool:
    return ASPECT.search(prompt) is not None


def with_aspect(prompt: str, *sources: str) -> str:
    """A Custom Zoom prompt with an `--ar`: its own, else that of the first of `sources`
    that has one, else none (the prompt as it is)."""
    if has_aspect(prompt):
        return prompt
    for source in sources:
        found = ASPECT.search(source)
        if found:
            return f"{prompt} --ar {found.group(1)}"
    return prompt


def video_fields(action: Action, prompt: str | None, image: str | None) -> dict[str, Any]:
    """What `/mj/submit/video` carries to animate the image at `image` (besides the model,
    state and hook): the prompt's text without its parameters, or the image's URL where it
    has no text (trueai refuses a blank prompt), one video. No URL is INVALID."""
    url = values.url(image)
    if url is None:
        raise ProviderError(ErrorKind.INVALID, "Animate needs the image's URL")
    text, _ = split_parameters(prompt or "")
    return {"prompt": text or url, "motion": MOTIONS[action], "image": url, "batchSize": 1}

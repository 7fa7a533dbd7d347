"""midjourney-proxy's customIds (providers.md §4.5), which AGICTO and APIMart pass on as the
handles of their buttons: read, never built."""

from __future__ import annotations

import re

from bot.domain import Action

# The verb of `MJ::JOB::<verb>::…` customIds.
JOB_ACTIONS = {
    "upsample": Action.UPSCALE,
    "variation": Action.VARIATION,
    "reroll": Action.REROLL,
    "high_variation": Action.VARY_STRONG,
    "low_variation": Action.VARY_SUBTLE,
    "pan_left": Action.PAN_LEFT,
    "pan_right": Action.PAN_RIGHT,
    "pan_up": Action.PAN_UP,
    "pan_down": Action.PAN_DOWN,
    "upsample_v5_2x": Action.UPSCALE_2X,
    "upsample_v5_4x": Action.UPSCALE_4X,
    "animate_high": Action.ANIMATE_HIGH,
    "animate_low": Action.ANIMATE_LOW,
    "animate_high_extend": Action.EXTEND_HIGH,
    "animate_low_extend": Action.EXTEND_LOW,
}
HD_UPSCALE = re.compile(r"upsample_v\w+_2x_(subtle|creative)")
OUTPAINT_ACTIONS = {
    "50": Action.ZOOM_OUT_2X,
    "75": Action.ZOOM_OUT_1_5X,
    "100": Action.MAKE_SQUARE,
}


def action_for(custom_id: str) -> tuple[Action, int]:
    """The common action and U/V index of a proxy customId (providers.md §4.5)."""
    parts = custom_id.split("::")
    kind = parts[1] if len(parts) > 1 else ""
    if kind == "JOB" and len(parts) > 3:
        verb = parts[2]
        hd = HD_UPSCALE.fullmatch(verb)
        if hd:
            return (
                Action.UPSCALE_SUBTLE if hd.group(1) == "subtle" else Action.UPSCALE_CREATIVE
            ), 0
        action = JOB_ACTIONS.get(verb, Action.OTHER)
        if action in (Action.UPSCALE, Action.VARIATION):
            index = int(parts[3]) if parts[3].isdigit() else 0
            return (action, index) if 1 <= index <= 4 else (Action.OTHER, 0)
        return action, 0
    if kind == "Inpaint":
        return Action.VARY_REGION, 0
    if kind == "Outpaint" and len(parts) > 2:
        return OUTPAINT_ACTIONS.get(parts[2], Action.OTHER), 0
    if kind == "CustomZoom":
        return Action.ZOOM_CUSTOM, 0
    return Action.OTHER, 0

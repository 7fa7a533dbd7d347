"""Buttons → inline keyboards, and the short callback data that points back at them.

Callback data is `j:<job id>:<n>`, n being the button's place in the job's stored list:
a provider's own handle (often 60–80 bytes) never goes to Telegram, which allows 64. The
bot's own `⬇️ Full size` button under an upscale is `d:<job id>`, a two-step flow's buttons
`f:<flow id>:<step>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Action, Button

CALLBACK = re.compile(r"^j:(\d{1,18}):(\d{1,3})$")
FULL_SIZE = re.compile(r"^d:(\d{1,18})$")
FLOW = re.compile(r"^f:(\d{1,18}):(\w{1,8})$")

# Rows as Midjourney lays them out; actions not listed go to a last row.
ROWS: list[tuple[Action, ...]] = [
    (Action.UPSCALE, Action.REROLL),
    (Action.VARIATION,),
    (Action.UPSCALE_SUBTLE, Action.UPSCALE_CREATIVE, Action.UPSCALE_2X, Action.UPSCALE_4X),
    (
        Action.REDO_UPSCALE_SUBTLE,
        Action.REDO_UPSCALE_CREATIVE,
        Action.REDO_UPSCALE_2X,
        Action.REDO_UPSCALE_4X,
    ),
    (Action.VARY_SUBTLE, Action.VARY_STRONG, Action.VARY_REGION),
    (Action.ZOOM_OUT_2X, Action.ZOOM_OUT_1_5X, Action.ZOOM_CUSTOM, Action.MAKE_SQUARE),
    (Action.PAN_LEFT, Action.PAN_RIGHT, Action.PAN_UP, Action.PAN_DOWN),
    (Action.ANIMATE_LOW, Action.ANIMATE_HIGH),
    (Action.EXTEND_LOW, Action.EXTEND_HIGH),
    (Action.IMAGINE, Action.DESCRIBE),  # under a describe's answer: 1️⃣ 2️⃣ 3️⃣ 4️⃣ 🔄
]
ROW_OF = {action: number for number, row in enumerate(ROWS) for action in row}
MAX_ROW = 5
PRESSED = " ✓"  # after the label of a button that has been used, as Midjourney marks it


def encode(job_id: int, n: int) -> str:
    return f"j:{job_id}:{n}"


def decode(data: str | None) -> tuple[int, int] | None:
    """(job id, button number), or None for data this bot did not make."""
    match = CALLBACK.match(data or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def full_size_data(job_id: int) -> str:
    return f"d:{job_id}"


def decode_full_size(data: str | None) -> int | None:
    match = FULL_SIZE.match(data or "")
    return int(match.group(1)) if match else None


def flow_data(flow_id: int, step: str) -> str:
    """A button of a two-step flow (flows/): `f:<flow id>:<step>`."""
    return f"f:{flow_id}:{step}"


def decode_flow(data: str | None) -> tuple[int, str] | None:
    match = FLOW.match(data or "")
    return (int(match.group(1)), match.group(2)) if match else None


def label_key(action: Action) -> str:
    """The Fluent message that names a button."""
    return "button-" + action.value.replace("_", "-")


def keyboard(
    job_id: int,
    buttons: Sequence[Button],
    label: Callable[[Button], str],
    pressed: Collection[int] = (),
    full_size: str | None = None,
) -> InlineKeyboardMarkup | None:
    """Midjourney's layout: U1–U4 🔄 / V1–V4 / then one row per family of actions. Buttons
    whose number is in `pressed` are marked; `full_size`, when given, labels a last row's
    button that asks for the original file."""
    rows: dict[int, list[tuple[int, int, InlineKeyboardButton]]] = {}
    for n, button in enumerate(buttons):
        row = ROW_OF.get(button.action, len(ROWS))
        order = ROWS[row].index(button.action) if row < len(ROWS) else 0
        # U/V buttons by index, 🔄 after the upscales.
        key = (order * 10 + button.index) if button.action is not Action.REROLL else 99
        text = label(button) + (PRESSED if n in pressed else "")
        rows.setdefault(row, []).append(
            (key, n, InlineKeyboardButton(text, callback_data=encode(job_id, n)))
        )
    layout: list[list[InlineKeyboardButton]] = []
    for number in sorted(rows):
        items = [item for _, _, item in sorted(rows[number], key=lambda entry: entry[:2])]
        layout.extend(items[i : i + MAX_ROW] for i in range(0, len(items), MAX_ROW))
    if full_size:
        layout.append([InlineKeyboardButton(full_size, callback_data=full_size_data(job_id))])
    return InlineKeyboardMarkup(layout) if layout else None

from bot.domain import Action, Button
from bot.keyboards import decode, decode_full_size, encode, full_size_data, keyboard, label_key

GRID = [
    Button(Action.UPSCALE, "MJ::JOB::upsample::1::" + "a" * 36, 1, "U1"),
    Button(Action.UPSCALE, "u2", 2, "U2"),
    Button(Action.UPSCALE, "u3", 3, "U3"),
    Button(Action.UPSCALE, "u4", 4, "U4"),
    Button(Action.REROLL, "r", 0, ""),
    Button(Action.VARIATION, "v1", 1, "V1"),
    Button(Action.VARIATION, "v2", 2, "V2"),
    Button(Action.VARIATION, "v3", 3, "V3"),
    Button(Action.VARIATION, "v4", 4, "V4"),
]


def simple_label(button: Button) -> str:
    names = {Action.UPSCALE: "U", Action.VARIATION: "V"}
    if button.action in names:
        return f"{names[button.action]}{button.index}"
    return {Action.REROLL: "🔄"}.get(button.action, button.action.value)


def texts(markup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_callback_data_round_trip_and_size() -> None:
    data = encode(2**53, 17)
    assert decode(data) == (2**53, 17)
    assert len(data.encode()) <= 64


def test_forged_callback_data_is_rejected() -> None:
    for data in (None, "", "j:1", "j:x:1", "j:1:2:3", "MJ::JOB::upsample::1", "j:1:-1", "j:1:1 "):
        assert decode(data) is None


def test_grid_layout_whatever_the_provider_order() -> None:
    shuffled = [GRID[i] for i in (5, 4, 0, 8, 1, 6, 2, 7, 3)]
    markup = keyboard(7, shuffled, simple_label)
    assert texts(markup) == [["U1", "U2", "U3", "U4", "🔄"], ["V1", "V2", "V3", "V4"]]
    # Callback data points at the button's place in the stored list, never at the handle.
    first = markup.inline_keyboard[0][0]
    assert first.callback_data == "j:7:2"


def test_upscaled_layout_groups_families() -> None:
    buttons = [
        Button(Action.PAN_LEFT, "pl"),
        Button(Action.VARY_STRONG, "vs"),
        Button(Action.ZOOM_OUT_2X, "z2"),
        Button(Action.UPSCALE_SUBTLE, "us"),
        Button(Action.VARY_SUBTLE, "vsu"),
        Button(Action.OTHER, "x", label="Something new"),
        Button(Action.PAN_RIGHT, "pr"),
    ]
    assert texts(keyboard(1, buttons, simple_label)) == [
        ["upscale_subtle"],
        ["vary_subtle", "vary_strong"],
        ["zoom_out_2x"],
        ["pan_left", "pan_right"],
        ["other"],
    ]


def test_no_buttons_no_keyboard() -> None:
    assert keyboard(1, [], simple_label) is None


def test_label_keys() -> None:
    assert label_key(Action.ZOOM_OUT_1_5X) == "button-zoom-out-1-5x"


def test_full_size_is_a_last_row_of_its_own() -> None:
    upscale = [Button(Action.VARY_SUBTLE, "vs", 0, ""), Button(Action.ZOOM_OUT_2X, "z", 0, "")]
    markup = keyboard(7, upscale, simple_label, full_size="⬇️ Full size")
    assert texts(markup)[-1] == ["⬇️ Full size"]
    assert markup.inline_keyboard[-1][0].callback_data == full_size_data(7)
    assert decode_full_size(full_size_data(2**53)) == 2**53
    for data in (None, "", "d:", "d:x", "d:1:2", "j:1:2", "d:-1"):
        assert decode_full_size(data) is None


def test_pressed_buttons_are_marked() -> None:
    markup = keyboard(1, GRID, simple_label, pressed={1, 4})
    assert texts(markup) == [["U1", "U2 ✓", "U3", "U4", "🔄 ✓"], ["V1", "V2", "V3", "V4"]]

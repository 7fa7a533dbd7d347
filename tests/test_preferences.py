"""A person's settings: stored, chosen by taps, and joined to prompts that do not set them."""

import pytest

from bot.preferences import Preferences, apply

ALL = Preferences(version="niji 6", aspect="3:2", speed="relax", stylize=250, raw=True)


def test_settings_join_a_prompt_that_sets_none_of_them() -> None:
    assert apply("a cat", ALL) == "a cat --niji 6 --ar 3:2 --stylize 250 --style raw"
    assert apply("a cat", Preferences(version="8.1")) == "a cat --v 8.1"
    assert apply("a cat", Preferences()) == "a cat"


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a cat --v 6.1", "a cat --v 6.1 --ar 3:2 --stylize 250 --style raw"),
        ("a cat --version 7", "a cat --version 7 --ar 3:2 --stylize 250 --style raw"),
        ("a cat --niji 5", "a cat --niji 5 --ar 3:2 --stylize 250 --style raw"),
        ("a cat --aspect 1:1 --s 10", "a cat --aspect 1:1 --s 10 --niji 6 --style raw"),
        ("a cat --AR 9:16 --style cute", "a cat --AR 9:16 --style cute --niji 6 --stylize 250"),
    ],
)
def test_what_the_prompt_sets_itself_wins(prompt: str, expected: str) -> None:
    assert apply(prompt, ALL) == expected


def test_taps_choose_and_choosing_again_goes_back_to_the_default() -> None:
    prefs = Preferences().choose("v", "7").choose("ar", "16:9").choose("s", "50")
    assert (prefs.version, prefs.aspect, prefs.stylize) == ("7", "16:9", 50)
    assert prefs.choose("v", "7").version is None
    assert prefs.choose("raw", "").raw is True
    assert prefs.choose("reset", "") == Preferences()
    for code, value in [("v", "9"), ("ar", "5:1"), ("sp", "warp"), ("s", "x"), ("zz", "1")]:
        assert prefs.choose(code, value) == prefs


@pytest.mark.parametrize(
    "stored",
    [None, "", "[", "[]", "null", '{"version": "9", "stylize": "50", "raw": 1, "other": 2}'],
)
def test_stored_settings_that_are_no_longer_offered_are_the_defaults(stored: str | None) -> None:
    assert Preferences.from_json(stored) == Preferences()


def test_stored_settings_round_trip() -> None:
    assert Preferences.from_json(ALL.to_json()) == ALL

import pytest

from bot.prompts import MAX_PROMPT_LENGTH, PromptError, normalise, split_parameters, validate


def test_phone_dashes_become_double_hyphens() -> None:
    assert normalise("a cat —ar 16:9 –v 6.1") == "a cat --ar 16:9 --v 6.1"


def test_dash_inside_words_is_kept() -> None:
    assert normalise("black—white cat") == "black—white cat"


def test_whitespace_is_collapsed() -> None:
    assert normalise("  a\n\ncat   sitting ") == "a cat sitting"


def test_split_parameters() -> None:
    assert split_parameters("a cat --ar 16:9 --no red hats --tile") == (
        "a cat",
        [("ar", "16:9"), ("no", "red hats"), ("tile", "")],
    )


def test_valid_prompt_passes_through() -> None:
    text = "a cat --ar 3:2 --v 6.1 --chaos 20 --s 250 --q 0.5 --seed 42 --style raw --niji 6"
    assert validate(text) == text


@pytest.mark.parametrize(
    ("text", "key", "parameter"),
    [
        ("", "prompt-empty", ""),
        ("   ", "prompt-empty", ""),
        ("--ar 1:1", "prompt-empty", ""),
        ("cat --ar 16", "prompt-bad-parameter", "--ar"),
        ("cat --ar 0:1", "prompt-bad-parameter", "--ar"),
        ("cat --chaos 101", "prompt-bad-parameter", "--chaos"),
        ("cat --c lots", "prompt-bad-parameter", "--c"),
        ("cat --v 9.9", "prompt-bad-parameter", "--v"),
        ("cat --stylize -1", "prompt-bad-parameter", "--stylize"),
    ],
)
def test_invalid_prompts(text: str, key: str, parameter: str) -> None:
    with pytest.raises(PromptError) as raised:
        validate(text)
    assert (raised.value.key, raised.value.parameter) == (key, parameter)


def test_too_long() -> None:
    with pytest.raises(PromptError) as raised:
        validate("a" * (MAX_PROMPT_LENGTH + 1))
    assert raised.value.key == "prompt-too-long"
    assert raised.value.limit == MAX_PROMPT_LENGTH


def test_unknown_parameters_are_left_to_the_provider() -> None:
    assert validate("a cat --cref https://x.example/a.png --sw 50") == (
        "a cat --cref https://x.example/a.png --sw 50"
    )


def test_image_prompt_parameters() -> None:
    prompt = "https://example.com/a.png a cat --iw 2 --sref https://example.com/s.png --oref x"
    assert validate(prompt) == prompt
    for bad_weight in ("--iw 3.5", "--iw -1", "--iw x"):
        with pytest.raises(PromptError):
            validate(f"a cat {bad_weight}")

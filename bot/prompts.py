"""Prompts: normalise what phones do to them, and check the --parameters we know."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PROMPT_LENGTH = 2000

# Phones turn "--" into a dash; Midjourney needs the two hyphens.
DASHES = re.compile(r"(?<!\S)[—–](?=[a-z])")

ALIASES = {
    "aspect": "ar",
    "c": "chaos",
    "quality": "q",
    "s": "stylize",
    "version": "v",
    "w": "weird",
}


@dataclass(frozen=True)
class PromptError(Exception):
    """`key` names the Fluent message; `parameter` the offending --parameter, if any."""

    key: str
    parameter: str = ""
    limit: int = 0


RANGES: dict[str, tuple[float, float]] = {
    "chaos": (0, 100),
    "stylize": (0, 1000),
    "weird": (0, 3000),
    "iw": (0, 3),
    "seed": (0, 4294967295),
    "stop": (10, 100),
    "q": (0.25, 4),
    "repeat": (1, 40),
    "zoom": (1, 2),  # Custom Zoom
}
BLEND_SHAPES = ("2:3", "1:1", "3:2")  # portrait, square, landscape
ASPECT = re.compile(r"^\d{1,4}:\d{1,4}$")
VERSIONS = {"1", "2", "3", "4", "5", "5.0", "5.1", "5.2", "6", "6.0", "6.1", "7", "8", "8.1"}


def normalise(text: str) -> str:
    """Collapse whitespace and turn a leading dash before a parameter name into '--'."""
    text = DASHES.sub("--", text.strip())
    return " ".join(text.split())


def validate(text: str) -> str:
    """The prompt ready to submit, or PromptError."""
    prompt = normalise(text)
    if len(prompt) > MAX_PROMPT_LENGTH:
        raise PromptError("prompt-too-long", limit=MAX_PROMPT_LENGTH)
    description, parameters = split_parameters(prompt)
    if not description:
        raise PromptError("prompt-empty")
    for written, value in parameters:
        name = written.lower()
        _check_parameter(ALIASES.get(name, name), value, written)
    return prompt


def zoom_prompt(text: str) -> str:
    """A Custom Zoom's prompt: valid, and with `--zoom 2` where it sets no zoom itself."""
    prompt = validate(text)
    _, parameters = split_parameters(prompt)
    zooms = any(name.lower() == "zoom" for name, _ in parameters)
    return prompt if zooms else f"{prompt} --zoom 2"


def blend_shape(text: str) -> str | None:
    """The shape the words after /blend ask for: nothing (a square) or `--ar 2:3`, `1:1` or
    `3:2`; None for anything else, which a blend cannot take."""
    description, parameters = split_parameters(normalise(text))
    if description or len(parameters) > 1:
        return None
    if not parameters:
        return "1:1"
    name, value = parameters[0][0].lower(), parameters[0][1]
    return value if ALIASES.get(name, name) == "ar" and value in BLEND_SHAPES else None


def is_english(prompt: str) -> bool:
    """Whether the prompt's words (its --parameters aside) use no letters beyond ASCII: the
    cheap test for a prompt a provider should translate (French without accents passes)."""
    text, _ = split_parameters(prompt)
    return not any(char.isalpha() and not char.isascii() for char in text)


def split_parameters(prompt: str) -> tuple[str, list[tuple[str, str]]]:
    """'a cat --ar 16:9 --tile' → ('a cat', [('ar', '16:9'), ('tile', '')])."""
    words: list[str] = []
    parameters: list[tuple[str, list[str]]] = []
    for token in prompt.split():
        if token.startswith("--") and len(token) > 2:
            parameters.append((token[2:], []))
        elif parameters:
            parameters[-1][1].append(token)
        else:
            words.append(token)
    return " ".join(words), [(name, " ".join(value)) for name, value in parameters]


def _check_parameter(name: str, value: str, written: str) -> None:
    if name == "ar":
        width, _, height = value.partition(":")
        if not ASPECT.match(value) or int(width) == 0 or int(height) == 0:
            raise PromptError("prompt-bad-parameter", f"--{written}")
    elif name == "v":
        if value not in VERSIONS:
            raise PromptError("prompt-bad-parameter", f"--{written}")
    elif name in RANGES:
        low, high = RANGES[name]
        try:
            number = float(value)
        except ValueError:
            raise PromptError("prompt-bad-parameter", f"--{written}") from None
        if not low <= number <= high:
            raise PromptError("prompt-bad-parameter", f"--{written}")

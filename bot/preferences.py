"""A person's own defaults (/settings) and how they join a prompt.

Each setting applies unless the prompt sets the same parameter itself: `--v` or `--niji` for
the version, `--ar` (`--aspect`), `--stylize` (`--s`), `--style` for raw. Speed is not a
prompt parameter here: the adapters send it in the provider's own mode field, and only the
speeds a provider has are offered. Stylize "off" appends nothing (Midjourney's default).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace

from bot.prompts import ALIASES, split_parameters

VERSIONS = ("8.1", "7", "6.1", "niji 6")
ASPECTS = ("1:1", "3:2", "2:3", "16:9", "9:16", "4:3", "3:4")
SPEEDS = ("fast", "relax", "turbo")
STYLIZE = (50, 100, 250, 750)


@dataclass(frozen=True)
class Preferences:
    version: str | None = None
    aspect: str | None = None
    speed: str | None = None
    stylize: int | None = None
    raw: bool = False
    remix: bool = False  # V, 🔄, Vary and Pan ask for the prompt first (where offered)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> Preferences:
        """Stored settings; values no longer offered fall back to the default."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        known = {f.name for f in fields(cls)}
        prefs = cls(**{k: v for k, v in data.items() if k in known})
        return replace(
            prefs,
            version=prefs.version if prefs.version in VERSIONS else None,
            aspect=prefs.aspect if prefs.aspect in ASPECTS else None,
            speed=prefs.speed if prefs.speed in SPEEDS else None,
            stylize=prefs.stylize if prefs.stylize in STYLIZE else None,
            raw=prefs.raw is True,
            remix=prefs.remix is True,
        )

    def choose(self, code: str, value: str) -> Preferences:
        """The settings after a tap on `code`/`value` (see handlers/settings.py); choosing
        the value already chosen goes back to the default."""
        if code == "v" and value in VERSIONS:
            return replace(self, version=None if self.version == value else value)
        if code == "ar" and value in ASPECTS:
            return replace(self, aspect=None if self.aspect == value else value)
        if code == "sp" and value in SPEEDS:
            return replace(self, speed=None if self.speed == value else value)
        if code == "s" and value == "off":
            return replace(self, stylize=None)
        if code == "s" and value.isdigit() and int(value) in STYLIZE:
            return replace(self, stylize=None if self.stylize == int(value) else int(value))
        if code == "raw":
            return replace(self, raw=not self.raw)
        if code == "remix":
            return replace(self, remix=not self.remix)
        if code == "reset":
            return Preferences()
        return self


def apply(prompt: str, prefs: Preferences) -> str:
    """The prompt with the person's defaults appended where it sets none of its own."""
    _, parameters = split_parameters(prompt)
    given = {ALIASES.get(name.lower(), name.lower()) for name, _ in parameters}
    extra: list[str] = []
    if prefs.version and not given & {"v", "niji"}:
        kind, _, number = prefs.version.rpartition(" ")
        extra.append(f"--{kind or 'v'} {number}")
    if prefs.aspect and "ar" not in given:
        extra.append(f"--ar {prefs.aspect}")
    if prefs.stylize is not None and "stylize" not in given:
        extra.append(f"--stylize {prefs.stylize}")
    if prefs.raw and "style" not in given:
        extra.append("--style raw")
    return " ".join([prompt, *extra])

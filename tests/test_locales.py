"""Every locale has the keys and the variables of en.ftl, and the code's keys exist."""

import re
from pathlib import Path

from fluent.syntax import FluentParser, ast

from bot.delivery import doing_key
from bot.domain import Action
from bot.i18n import Translator, locales_dir
from bot.keyboards import label_key
from bot.providers.base import ErrorKind

ROOT = Path(__file__).parent.parent


def messages(path: Path) -> dict[str, set[str]]:
    resource = FluentParser().parse(path.read_text(encoding="utf-8"))
    found = {}
    for entry in resource.body:
        assert not isinstance(entry, ast.Junk), f"{path.name}: cannot parse {entry.content!r}"
        if isinstance(entry, ast.Message):
            variables = set(
                re.findall(r"\{ *\$([a-z_]+)", path.read_text()[entry.span.start : entry.span.end])
            )
            found[entry.id.name] = variables
    return found


def test_every_locale_matches_english() -> None:
    english = messages(locales_dir() / "en.ftl")
    for path in locales_dir().glob("*.ftl"):
        assert messages(path) == english, path.name


def test_keys_used_in_code_exist() -> None:
    keys = set(messages(locales_dir() / "en.ftl"))
    code = "\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py"))
    prefixes = {key.split("-")[0] for key in keys}
    literal = {
        text
        for text in re.findall(r'"([a-z]+(?:-[a-z0-9]+)+)"', code)
        if text.split("-")[0] in prefixes
    }
    assert literal <= keys, literal - keys
    for action in Action:
        if action is not Action.IMAGINE:
            assert label_key(action) in keys
        assert doing_key(action) in keys
    for kind in [*ErrorKind, "timeout", "unconfirmed", "unclear", "internal", "delivery"]:
        assert f"error-{kind}" in keys


def test_translator_falls_back_to_default() -> None:
    t = Translator(locales_dir(), "en")
    assert t.locale_for("xx-YY") == "en"
    assert t.locale_for("EN-gb") == "en"
    assert t("en", "button-upscale", index=2) == "U2"

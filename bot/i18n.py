"""Fluent messages from locales/*.ftl and the choice of a person's language."""

from __future__ import annotations

from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

# Each locale's name in itself, as the language picker shows it.
LANGUAGES = {"en": "English", "ru": "Русский", "zh": "中文", "ko": "한국어", "fr": "Français"}


def locales_dir() -> Path:
    """`bot/locales` in an installed wheel, `locales/` beside `bot/` in a checkout."""
    packaged = Path(__file__).parent / "locales"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "locales"


class Translator:
    def __init__(self, directory: Path, default_locale: str = "en") -> None:
        self.bundles: dict[str, FluentBundle] = {}
        for path in sorted(directory.glob("*.ftl")):
            bundle = FluentBundle([path.stem], use_isolating=False)
            bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self.bundles[path.stem] = bundle
        if "en" not in self.bundles:
            raise FileNotFoundError(f"no en.ftl in {directory}")
        self.default_locale = default_locale if default_locale in self.bundles else "en"

    def locale_for(self, language_code: str | None) -> str:
        """Telegram's language code ('zh-hans', 'fr-CA', 'en') → a locale we have."""
        if language_code:
            base = language_code.lower().replace("_", "-").split("-")[0]
            if base in self.bundles:
                return base
        return self.default_locale

    def __call__(self, locale: str, key: str, **args: object) -> str:
        bundle = self.bundles.get(locale, self.bundles["en"])
        if not bundle.has_message(key):
            bundle = self.bundles["en"]
        message = bundle.get_message(key)
        if message.value is None:
            raise KeyError(key)
        text, errors = bundle.format_pattern(message.value, args)
        if errors:
            raise errors[0]
        return text

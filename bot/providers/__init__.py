"""The provider adapters, by the name MJ_PROVIDER uses."""

from __future__ import annotations

import importlib

from bot.config import Settings
from bot.providers.base import Provider

ADAPTERS = {
    "agicto": ("bot.providers.agicto", "AgictoProvider"),
    "apimart": ("bot.providers.apimart", "ApimartProvider"),
    "acedata": ("bot.providers.acedata", "AcedataProvider"),
    "ttapi": ("bot.providers.ttapi", "TtapiProvider"),
    "gptunnel": ("bot.providers.gptunnel", "GptunnelProvider"),
    "mock": ("bot.providers.mock", "MockProvider"),
}


def provider_class(name: str) -> type[Provider]:
    module, cls = ADAPTERS[name]
    return getattr(importlib.import_module(module), cls)


def make_provider(settings: Settings) -> Provider:
    cls = provider_class(settings.mj_provider)
    key = settings.mj_api_key.get_secret_value() if settings.mj_api_key else ""
    options: dict[str, object] = {
        "mode": settings.mj_mode,
        "timeout": settings.mj_http_timeout,
        "allow_private_hosts": settings.allow_private_image_hosts,
    }
    if settings.mj_provider == "mock":
        options["duration"] = settings.mj_mock_seconds
    return cls(settings.mj_api_url or cls.default_url, key, **options)

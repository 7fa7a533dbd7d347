"""Settings from the environment and `.env` (real environment variables win)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.credits import parse_costs

ProviderName = Literal["agicto", "apimart", "acedata", "ttapi", "gptunnel", "mock"]
Locale = Literal["en", "ru", "zh", "ko", "fr"]
TELEGRAM_API = "https://api.telegram.org"

# BotFather's tokens are <bot id>:<35 characters>; the length is not promised, so 30+.
TOKEN_SHAPE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{30,}")
# Telegram's rule for setWebhook's secret_token.
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_PORT = 8080
LOOPBACK = ("127.0.0.1", "localhost")


class ConfigError(Exception):
    """A setting is missing or invalid; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr
    telegram_api_url: str = TELEGRAM_API
    mj_provider: ProviderName
    mj_api_url: str | None = None
    mj_api_key: SecretStr | None = None
    database_url: str = "sqlite:///data/mjbot.db"
    public_url: str | None = None
    port: int | None = Field(None, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: Locale = "en"
    allow_private_image_hosts: bool = False
    daily_free_credits: int | None = Field(None, ge=0, le=1_000_000)
    credit_costs: Annotated[dict[str, int], NoDecode] = {}
    max_jobs_per_user: int = Field(3, ge=1, le=1000)
    stars_packs: Annotated[tuple[tuple[int, int], ...], NoDecode] = ()
    access: Literal["open", "allowlist"] = "open"
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()

    # Tuning, in seconds; the defaults suit production.
    mj_mode: Literal["fast", "relax", "turbo"] = "fast"
    mj_poll_interval: float = Field(5.0, ge=0.01, le=600, allow_inf_nan=False)
    mj_job_timeout: float = Field(900.0, ge=1, le=86400, allow_inf_nan=False)
    mj_submit_timeout: float = Field(300.0, ge=5, le=86400, allow_inf_nan=False)
    mj_http_timeout: float = Field(30.0, ge=0.1, le=300, allow_inf_nan=False)
    mj_mock_seconds: float = Field(8.0, ge=0.01, le=3600, allow_inf_nan=False)
    status_edit_interval: float = Field(5.0, ge=0, le=600, allow_inf_nan=False)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError(
                "a token from @BotFather looks like 123456789:AAH... "
                "(digits, a colon, then 35 letters, digits, - or _)"
            )
        return value

    @field_validator("telegram_api_url", mode="before")
    @classmethod
    def _public_api_when_empty(cls, value: object) -> object:
        return value or TELEGRAM_API

    @field_validator("telegram_api_url", "mj_api_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        """Telegram pushes updates over HTTPS only; plain http is for tests on this machine."""
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        local = parts.scheme == "http" and parts.hostname in LOOPBACK
        if not (parts.scheme == "https" or local) or not parts.hostname:
            raise ValueError("must start with https:// (http:// only for 127.0.0.1 or localhost)")
        if parts.query or parts.fragment:
            raise ValueError("must be a plain root URL, without ?query or #fragment")
        return value.rstrip("/")

    @field_validator("port", "webhook_secret", "daily_free_credits", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1 to 256 characters, each a letter, a digit, _ or -")
        return value

    @field_validator("admin_user_ids", "allowed_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError("must be Telegram user ids (numbers) separated by commas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("credit_costs", mode="before")
    @classmethod
    def _costs(cls, value: object) -> object:
        return parse_costs(value) if isinstance(value, str) else value

    @field_validator("stars_packs", mode="before")
    @classmethod
    def _packs(cls, value: object) -> object:
        """`20:50,100:200` → ((20, 50), (100, 200)): credits for stars, as sold."""
        if not isinstance(value, str):
            return value
        packs = []
        for part in filter(None, (p.strip() for p in value.split(","))):
            credits, _, stars = part.partition(":")
            if not (credits.strip().isdigit() and stars.strip().isdigit()):
                raise ValueError("must be credits:stars pairs separated by commas, e.g. 20:50")
            pack = (int(credits), int(stars))
            if not (1 <= pack[0] <= 1_000_000 and 1 <= pack[1] <= 10_000):
                raise ValueError("each pack needs 1 to 1000000 credits for 1 to 10000 stars")
            packs.append(pack)
        if len(set(packs)) != len(packs) or len(packs) > 8:
            raise ValueError("at most 8 packs, each different")
        return tuple(packs)

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        """A file that outlives the process: no in-memory database, no URI options."""
        path = value.removeprefix("sqlite:///")
        if not value.startswith("sqlite:///") or not path:
            raise ValueError("must look like sqlite:///relative/path.db or sqlite:////abs/path.db")
        if path == ":memory:" or "?" in path:
            raise ValueError("must name a database file; :memory: and ?options are not supported")
        if path.rsplit("/", 1)[-1] in ("", ".", ".."):
            raise ValueError("must name a database file, not a directory")
        return value

    @model_validator(mode="after")
    def _key_unless_mock(self) -> Settings:
        if self.mj_provider != "mock" and not (
            self.mj_api_key and self.mj_api_key.get_secret_value()
        ):
            raise ValueError("MJ_API_KEY is required unless MJ_PROVIDER=mock")
        return self

    @property
    def database_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def server_port(self) -> int | None:
        """The port of the bot's HTTP server; None when none runs (polling without PORT)."""
        if self.public_url:
            return self.port or DEFAULT_PORT
        return self.port

    def secrets(self) -> list[str]:
        """Values no output may show."""
        values = [self.telegram_bot_token, self.mj_api_key, self.webhook_secret]
        return [value.get_secret_value() for value in values if value and value.get_secret_value()]


def load_settings(**overrides: object) -> Settings:
    """Settings, or ConfigError with one line naming the variable at fault."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "_".join(str(part) for part in error["loc"]).upper()
        if error["type"] == "missing":
            raise ConfigError(f"{name} is required but not set") from None
        message = error["msg"].removeprefix("Value error, ")
        if name:
            raise ConfigError(f"{name} is invalid: {message}") from None
        raise ConfigError(message) from None

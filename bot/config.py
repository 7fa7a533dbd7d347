"""Settings from the environment and `.env` (real environment variables win)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ProviderName = Literal["agicto", "apimart", "acedata", "ttapi", "gptunnel", "mock"]


class ConfigError(Exception):
    """A setting is missing or invalid; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr
    telegram_api_url: str = "https://api.telegram.org"
    mj_provider: ProviderName
    mj_api_url: str | None = None
    mj_api_key: SecretStr | None = None
    database_url: str = "sqlite:///data/mjbot.db"
    public_url: str | None = None
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: str = "en"

    # Tuning; the defaults suit production.
    mj_mode: Literal["fast", "relax", "turbo"] = "fast"
    mj_poll_interval: float = Field(5.0, gt=0)
    mj_job_timeout: float = Field(900.0, gt=0)
    mj_http_timeout: float = Field(30.0, gt=0)
    mj_mock_seconds: float = Field(8.0, gt=0)
    status_edit_interval: float = Field(3.0, ge=0)

    @field_validator("telegram_api_url", "mj_api_url", "public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith("sqlite:///") or value == "sqlite:///":
            raise ValueError("must look like sqlite:///relative/path.db or sqlite:////abs/path.db")
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

"""Configuration: the contract's names, defaults, and one clear line for a bad setting."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

BASE = {"telegram_bot_token": "1:abc", "mj_provider": "mock"}


def test_defaults() -> None:
    settings = load_settings(**BASE)
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.database_path == Path("data/mjbot.db")
    assert settings.public_url is None
    assert settings.admin_user_ids == frozenset()
    assert settings.default_locale == "en"


def test_values() -> None:
    settings = load_settings(
        **BASE,
        telegram_api_url="http://127.0.0.1:8081/",
        database_url="sqlite:////var/lib/mjbot/jobs.db",
        admin_user_ids="12, 34",
    )
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.database_path == Path("/var/lib/mjbot/jobs.db")
    assert settings.admin_user_ids == {12, 34}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mj_provider": None}, "MJ_PROVIDER is required"),
        ({"mj_provider": "midjourney"}, "MJ_PROVIDER is invalid"),
        ({"mj_provider": "ttapi"}, "MJ_API_KEY is required"),
        ({"database_url": "postgres://x"}, "DATABASE_URL is invalid"),
        ({"telegram_api_url": "api.telegram.org"}, "TELEGRAM_API_URL is invalid"),
        ({"admin_user_ids": "12,abc"}, "ADMIN_USER_IDS is invalid"),
        ({"mj_poll_interval": "0"}, "MJ_POLL_INTERVAL is invalid"),
    ],
)
def test_bad_settings_name_the_variable(overrides: dict, message: str) -> None:
    values = {**BASE, **overrides}
    with pytest.raises(ConfigError) as raised:
        load_settings(**{k: v for k, v in values.items() if v is not None})
    assert message in str(raised.value)


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_ends_with_one_line_and_status_2(tmp_path: Path) -> None:
    result = run_bot({"MJ_PROVIDER": "mock"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "mjbot: TELEGRAM_BOT_TOKEN is required but not set"
    ]


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=1:abc\nMJ_PROVIDER=mock\n")
    result = run_bot({"MJ_PROVIDER": "nope", "MJ_API_KEY": "secret-key-value"}, tmp_path)
    assert result.returncode == 2
    assert "MJ_PROVIDER is invalid" in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret-key-value" not in result.stderr + result.stdout

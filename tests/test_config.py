"""Configuration: the contract's names, defaults, and one clear line for a bad setting."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.fakes.telegram import TOKEN

BASE = {"telegram_bot_token": TOKEN, "mj_provider": "mock"}


def test_defaults() -> None:
    settings = load_settings(**BASE)
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.database_path == Path("data/mjbot.db")
    assert settings.public_url is None
    assert settings.admin_user_ids == frozenset()
    assert settings.default_locale == "en"
    assert settings.allow_private_image_hosts is False
    assert settings.mj_submit_timeout == 300


def test_an_empty_bot_api_url_is_the_default() -> None:
    settings = load_settings(**BASE, telegram_api_url="")
    assert settings.telegram_api_url == "https://api.telegram.org"


def test_values() -> None:
    settings = load_settings(
        **BASE,
        telegram_api_url="http://127.0.0.1:8081/",
        database_url="sqlite:////var/lib/mjbot/jobs.db",
        admin_user_ids="12, 34",
        default_locale="ko",
        allow_private_image_hosts="true",
        mj_submit_timeout="60",
    )
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.database_path == Path("/var/lib/mjbot/jobs.db")
    assert settings.admin_user_ids == {12, 34}
    assert settings.default_locale == "ko"
    assert settings.allow_private_image_hosts is True
    assert settings.mj_submit_timeout == 60


@pytest.mark.parametrize(
    "overrides",
    [
        # The fastest and slowest values the tests and benchmarks use.
        {"mj_poll_interval": "0.01", "mj_http_timeout": "1", "mj_mock_seconds": "0.3"},
        {"mj_poll_interval": "0.05", "mj_mock_seconds": "3", "mj_job_timeout": "60"},
        {"status_edit_interval": "0", "database_url": "sqlite:///bot.db"},
        # The ends of each range.
        {"mj_poll_interval": "600", "mj_job_timeout": "1", "mj_http_timeout": "0.1"},
        {"mj_job_timeout": "86400", "mj_http_timeout": "300", "mj_mock_seconds": "0.01"},
        {"mj_mock_seconds": "3600", "status_edit_interval": "600", "mj_submit_timeout": "5"},
        {"mj_submit_timeout": "86400"},
        {"telegram_bot_token": "1:" + "a" * 30},
        {"telegram_bot_token": "12345678901234567890:" + "A-_9" * 12},
    ],
)
def test_values_in_range(overrides: dict) -> None:
    load_settings(**{**BASE, **overrides})


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
        ({"database_url": "sqlite:///:memory:"}, "DATABASE_URL is invalid"),
        ({"database_url": "sqlite:///?mode=ro"}, "DATABASE_URL is invalid"),
        ({"database_url": "sqlite:///data/bot.db?mode=memory"}, "DATABASE_URL is invalid"),
        ({"database_url": "sqlite:////"}, "DATABASE_URL is invalid"),
        ({"database_url": "sqlite:///data/"}, "DATABASE_URL is invalid"),
        ({"database_url": "sqlite:///data/.."}, "DATABASE_URL is invalid"),
        ({"mj_poll_interval": "inf"}, "MJ_POLL_INTERVAL is invalid"),
        ({"mj_poll_interval": "nan"}, "MJ_POLL_INTERVAL is invalid"),
        ({"mj_poll_interval": "0.001"}, "MJ_POLL_INTERVAL is invalid"),
        ({"mj_poll_interval": "601"}, "MJ_POLL_INTERVAL is invalid"),
        ({"mj_job_timeout": "0.5"}, "MJ_JOB_TIMEOUT is invalid"),
        ({"mj_job_timeout": "86401"}, "MJ_JOB_TIMEOUT is invalid"),
        ({"mj_job_timeout": "-inf"}, "MJ_JOB_TIMEOUT is invalid"),
        ({"mj_http_timeout": "0.05"}, "MJ_HTTP_TIMEOUT is invalid"),
        ({"mj_http_timeout": "301"}, "MJ_HTTP_TIMEOUT is invalid"),
        ({"mj_mock_seconds": "0"}, "MJ_MOCK_SECONDS is invalid"),
        ({"mj_mock_seconds": "3601"}, "MJ_MOCK_SECONDS is invalid"),
        ({"status_edit_interval": "-1"}, "STATUS_EDIT_INTERVAL is invalid"),
        ({"status_edit_interval": "601"}, "STATUS_EDIT_INTERVAL is invalid"),
        ({"mj_submit_timeout": "4"}, "MJ_SUBMIT_TIMEOUT is invalid"),
        ({"mj_submit_timeout": "86401"}, "MJ_SUBMIT_TIMEOUT is invalid"),
        ({"allow_private_image_hosts": "maybe"}, "ALLOW_PRIVATE_IMAGE_HOSTS is invalid"),
        ({"default_locale": "de"}, "DEFAULT_LOCALE is invalid"),
        ({"daily_free_credits": "-1"}, "DAILY_FREE_CREDITS is invalid"),
        ({"daily_free_credits": "many"}, "DAILY_FREE_CREDITS is invalid"),
        ({"credit_costs": "imagine=one"}, "CREDIT_COSTS is invalid"),
        ({"credit_costs": "paint=1"}, "CREDIT_COSTS is invalid: unknown action 'paint'"),
        ({"credit_costs": "video=-8"}, "CREDIT_COSTS is invalid"),
        ({"max_jobs_per_user": "0"}, "MAX_JOBS_PER_USER is invalid"),
        ({"stars_packs": "20"}, "STARS_PACKS is invalid"),
        ({"stars_packs": "20:50,20:50"}, "STARS_PACKS is invalid"),
        ({"stars_packs": "0:50"}, "STARS_PACKS is invalid"),
        ({"stars_packs": "20:100000"}, "STARS_PACKS is invalid"),
        ({"access": "closed"}, "ACCESS is invalid"),
        ({"allowed_user_ids": "1,@ann"}, "ALLOWED_USER_IDS is invalid"),
        ({"telegram_bot_token": ""}, "TELEGRAM_BOT_TOKEN is invalid"),
        ({"telegram_bot_token": "123456:your-token"}, "TELEGRAM_BOT_TOKEN is invalid"),
        ({"telegram_bot_token": "bot123456:" + "a" * 35}, "TELEGRAM_BOT_TOKEN is invalid"),
        ({"telegram_bot_token": f"{TOKEN}\n"}, "TELEGRAM_BOT_TOKEN is invalid"),
        ({"telegram_bot_token": "123456:" + "a" * 34 + "="}, "TELEGRAM_BOT_TOKEN is invalid"),
    ],
)
def test_bad_settings_name_the_variable(overrides: dict, message: str) -> None:
    values = {**BASE, **overrides}
    with pytest.raises(ConfigError) as raised:
        load_settings(**{k: v for k, v in values.items() if v is not None})
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_refused_token_is_described_never_echoed() -> None:
    token = "123456:your-token"
    with pytest.raises(ConfigError) as raised:
        load_settings(**{**BASE, "telegram_bot_token": token})
    assert "your-token" not in str(raised.value)
    assert "123456789:" in str(raised.value)  # what a token looks like


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
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nMJ_PROVIDER=mock\n")
    result = run_bot({"MJ_PROVIDER": "nope", "MJ_API_KEY": "secret-key-value"}, tmp_path)
    assert result.returncode == 2
    assert "MJ_PROVIDER is invalid" in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret-key-value" not in result.stderr + result.stdout


def test_people_and_money_settings() -> None:
    settings = load_settings(
        **BASE,
        daily_free_credits="5",
        credit_costs=" imagine=2, Video=10 ,",
        max_jobs_per_user="1",
        stars_packs="20:50, 100:200",
        access="allowlist",
        allowed_user_ids="1, 2",
    )
    assert settings.daily_free_credits == 5
    assert settings.credit_costs == {"imagine": 2, "video": 10}
    assert settings.max_jobs_per_user == 1
    assert settings.stars_packs == ((20, 50), (100, 200))
    assert settings.access == "allowlist" and settings.allowed_user_ids == {1, 2}
    unset = load_settings(**BASE, daily_free_credits="", stars_packs="")
    assert unset.daily_free_credits is None and unset.stars_packs == ()

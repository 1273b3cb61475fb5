"""Settings are read from the environment (or a mapping) and fail fast when malformed."""

from __future__ import annotations

import pytest

from planner.settings import DEFAULT_DB_PATH, PROJECT_ROOT, Settings, SettingsError, load_settings, secrets_values

TOKEN = "x" * 16


def test_defaults_are_local_mode_with_sqlite_under_data() -> None:
    settings = load_settings({})

    assert settings.mode == "local"
    assert settings.is_local
    assert settings.is_sqlite
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'planner.db'}"
    assert DEFAULT_DB_PATH.parent.name == "data"
    assert settings.admin_token == ""


def test_blank_values_fall_back_to_defaults() -> None:
    settings = load_settings({"PLANNER_DATABASE_URL": "  ", "PLANNER_MODE": "", "PLANNER_PUBLIC_URL": ""})

    assert settings.database_url.startswith("sqlite:///")
    assert settings.mode == "local"
    assert settings.public_url == "http://localhost:8501"


def test_database_url_is_taken_from_the_environment() -> None:
    url = "postgresql+psycopg://planner@db.example:5432/planner"

    settings = load_settings({"PLANNER_DATABASE_URL": f" {url} "})

    assert settings.database_url == url
    assert not settings.is_sqlite


def test_reads_os_environ_when_no_mapping_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.delenv("PLANNER_MODE", raising=False)

    assert load_settings().database_url == "sqlite:///elsewhere.db"


@pytest.mark.parametrize("mode", ["hosted", "HOSTED", " Hosted "])
def test_hosted_mode_with_a_long_enough_admin_token(mode: str) -> None:
    settings = load_settings({"PLANNER_MODE": mode, "PLANNER_ADMIN_TOKEN": TOKEN})

    assert settings.mode == "hosted"
    assert not settings.is_local
    assert settings.admin_token == TOKEN


@pytest.mark.parametrize("token", [None, "", "x" * 15, "   " + "x" * 15 + "   "])
def test_hosted_mode_requires_an_admin_token_of_16_characters(token: str | None) -> None:
    env = {"PLANNER_MODE": "hosted"} | ({} if token is None else {"PLANNER_ADMIN_TOKEN": token})

    with pytest.raises(SettingsError, match="PLANNER_ADMIN_TOKEN"):
        load_settings(env)


def test_local_mode_does_not_need_an_admin_token() -> None:
    assert load_settings({"PLANNER_MODE": "local", "PLANNER_ADMIN_TOKEN": "short"}).is_local


@pytest.mark.parametrize("mode", ["public", "locale", "1", "hosted-ish"])
def test_unknown_mode_is_rejected(mode: str) -> None:
    with pytest.raises(SettingsError, match="PLANNER_MODE"):
        load_settings({"PLANNER_MODE": mode, "PLANNER_ADMIN_TOKEN": TOKEN})


def test_public_url_loses_its_trailing_slash() -> None:
    settings = load_settings({"PLANNER_PUBLIC_URL": "https://plans.example.org/"})

    assert settings.public_url == "https://plans.example.org"


@pytest.mark.parametrize(
    ("url", "is_sqlite"),
    [("sqlite:///x.db", True), ("sqlite://", True), ("postgresql+psycopg://h/db", False)],
)
def test_is_sqlite(url: str, is_sqlite: bool) -> None:
    assert Settings(database_url=url).is_sqlite is is_sqlite


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)


def test_secrets_files_supply_planner_values_and_the_later_file_wins(tmp_path) -> None:
    home, project = tmp_path / "home.toml", tmp_path / "project.toml"
    home.write_text('PLANNER_MODE = "hosted"\nPLANNER_ADMIN_TOKEN = "from-home-0123456789"\n')
    project.write_text('PLANNER_ADMIN_TOKEN = "from-project-0123456789"\nOTHER = "ignored"\n[auth]\nx = "y"\n')

    values = secrets_values((home, project, tmp_path / "missing.toml"))

    assert values == {"PLANNER_MODE": "hosted", "PLANNER_ADMIN_TOKEN": "from-project-0123456789"}


def test_the_environment_wins_over_the_secrets_files(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('PLANNER_PUBLIC_URL = "https://from-secrets.example"\nPLANNER_MODE = "hosted"\n'
                       'PLANNER_ADMIN_TOKEN = "secret-token-0123456789"\n')
    monkeypatch.setattr("planner.settings.SECRETS_FILES", (secrets,))
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://from-env.example")
    monkeypatch.delenv("PLANNER_MODE", raising=False)
    monkeypatch.delenv("PLANNER_ADMIN_TOKEN", raising=False)

    settings = load_settings()

    assert (settings.public_url, settings.mode) == ("https://from-env.example", "hosted")
    assert settings.admin_token == "secret-token-0123456789"


def test_admin_emails_are_a_lowercase_set() -> None:
    settings = load_settings({"PLANNER_ADMIN_EMAILS": " Lead@Trust.nhs.uk, other@x.org;;  "})

    assert settings.admin_emails == {"lead@trust.nhs.uk", "other@x.org"}


def test_the_streamlit_configuration_is_hardened() -> None:
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())

    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 50
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False

"""One Settings object read from the environment (DESIGN §4)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "planner.db"
MODES = ("local", "hosted")
KEYS = ("PLANNER_DATABASE_URL", "PLANNER_MODE", "PLANNER_ADMIN_TOKEN", "PLANNER_PUBLIC_URL", "PLANNER_ADMIN_EMAILS")
# Where Streamlit looks for secrets: the user's global file, then the project's (which wins).
SECRETS_FILES = (Path.home() / ".streamlit" / "secrets.toml", PROJECT_ROOT / ".streamlit" / "secrets.toml")


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Configuration for one running planner."""

    database_url: str
    mode: str = "local"
    admin_token: str = ""
    public_url: str = "http://localhost:8501"
    admin_emails: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an SQLite file or memory database."""
        return self.database_url.startswith("sqlite")

    @property
    def is_local(self) -> bool:
        """True in local mode, where the single user owns everything."""
        return self.mode == "local"


def default_database_url() -> str:
    """The embedded SQLite database under the project's data/ folder."""
    return f"sqlite:///{DEFAULT_DB_PATH}"


def secrets_values(paths: tuple[Path, ...] | None = None) -> dict[str, str]:
    """PLANNER_* values from Streamlit's secrets files, so the app and the command line agree."""
    found: dict[str, Any] = {}
    for path in SECRETS_FILES if paths is None else paths:
        if path.is_file():
            with path.open("rb") as handle:
                found.update(tomllib.load(handle))
    return {key: str(found[key]) for key in KEYS if isinstance(found.get(key), str | int)}


def _emails(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip())


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment, falling back to Streamlit's secrets files (or the mapping given)."""
    env = {**secrets_values(), **os.environ} if env is None else dict(env)
    mode = (env.get("PLANNER_MODE") or "local").strip().lower()
    if mode not in MODES:
        raise SettingsError(f"PLANNER_MODE must be 'local' or 'hosted', not {mode!r}")
    admin = (env.get("PLANNER_ADMIN_TOKEN") or "").strip()
    if mode == "hosted" and len(admin) < 16:
        raise SettingsError("PLANNER_ADMIN_TOKEN (16+ characters) is required in hosted mode")
    return Settings(
        database_url=(env.get("PLANNER_DATABASE_URL") or "").strip() or default_database_url(),
        mode=mode,
        admin_token=admin,
        public_url=(env.get("PLANNER_PUBLIC_URL") or "http://localhost:8501").rstrip("/"),
        admin_emails=_emails(env.get("PLANNER_ADMIN_EMAILS") or ""),
    )

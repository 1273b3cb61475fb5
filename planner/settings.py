"""One Settings object read from the environment (DESIGN §4)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "planner.db"
MODES = ("local", "hosted")


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Configuration for one running planner."""

    database_url: str
    mode: str = "local"
    admin_token: str = ""
    public_url: str = "http://localhost:8501"

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


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment (or the mapping given)."""
    env = dict(os.environ if env is None else env)
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
    )

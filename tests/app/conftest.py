"""AppTest fixtures: a migrated temporary database with a demo plan and a blank plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import plans
from planner.access import owner
from planner.db import write_session
from planner.migration import open_database
from planner.seed import DEMO_FILE, load_demo
from planner.settings import PROJECT_ROOT, load_settings
from planner.ui.navigation import page_file

APP = str(PROJECT_ROOT / "app.py")
PAGES = ["home", "context", "culture", "capabilities", "workforce", "priorities", "means",
         "initiatives", "summary", "share", "history", "vote"]


@dataclass
class AppDb:
    url: str
    demo_id: int | None
    blank_id: int

    def app(self, page: str = "home", plan_id: int | None = None) -> AppTest:
        """An AppTest of the whole app, switched to `page` with `plan_id` open."""
        at = AppTest.from_file(APP, default_timeout=60)
        if plan_id is not None:
            at.query_params["plan"] = str(plan_id)
        at.run()
        if page != "home":
            at.switch_page(page_file(page)).run()
        return at


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppDb:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    monkeypatch.setenv("PLANNER_MODE", "local")
    engine = open_database(load_settings())
    with write_session(engine) as session:
        blank_id = plans.create_plan(session, owner(), name="Blank plan", organisation="Test Trust")
        demo_id = load_demo(session, owner()) if (PROJECT_ROOT / "seed_data" / DEMO_FILE).exists() else None
    engine.dispose()
    return AppDb(url, demo_id, blank_id)


@pytest.fixture
def demo_id(app_db: AppDb) -> int:
    if app_db.demo_id is None:
        pytest.fail("seed_data/demo_plan.json is missing: the demo plan must ship with the app")
    return app_db.demo_id

"""Every page renders for the demo plan, an empty plan and no plan; key actions persist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from planner import plans
from planner.access import owner
from planner.db import make_engine, read_session, write_session
from planner.models import Plan
from planner.ui.navigation import SPECS

from .conftest import APP, PAGES, TAB_KEYS, AppDb, figures, open_tab, shown_charts
from .conftest import tables as markdown_tables


def _texts(at) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "error", "warning", "success")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def _each_tab(at: AppTest, page: str) -> Iterator[str]:
    """Open each of the page's lazy tabs in turn (only the open one's content runs); once for a page without."""
    labels = [tab.label for tab in at.tabs] if page in TAB_KEYS else []
    yield labels[0] if labels else page
    for label in labels[1:]:
        open_tab(at, page, label)
        yield label


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_demo_plan(app_db: AppDb, demo_id: int, page: str) -> None:
    at = app_db.app(page, demo_id)
    for tab in _each_tab(at, page):
        assert not at.exception, tab
        assert "Northshire" in _texts(at), tab


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_empty_plan(app_db: AppDb, page: str) -> None:
    at = app_db.app(page, app_db.blank_id)
    for tab in _each_tab(at, page):
        assert not at.exception, tab
        assert "Blank plan" in _texts(at), tab


@pytest.mark.parametrize("page", [p for p in PAGES if p != "home"])
def test_page_without_plan_says_what_to_do(app_db: AppDb, page: str) -> None:
    at = app_db.app(page)
    assert not at.exception
    assert "No plan is open" in _texts(at)


def test_demo_pages_show_demo_content(app_db: AppDb, demo_id: int) -> None:
    for page in ("context", "culture", "capabilities", "priorities", "means", "initiatives"):
        at = app_db.app(page, demo_id)
        tables = 0
        for tab in _each_tab(at, page):
            tables += len(at.dataframe) + len(markdown_tables(at))
            assert not at.info or "No " not in at.info[0].value, f"{page} ({tab}) shows an empty state for the demo"
        assert tables, f"{page} shows no table for the demo plan"


def _portfolio_tables(at: AppTest) -> list:
    return [table for table in at.dataframe if {"Initiative", "Needs attention"} <= set(table.value.columns)]


def _roadmaps(at: AppTest) -> list:
    return [chart for chart in shown_charts(at) if chart.title == "Roadmap"]


def test_only_the_open_tab_runs_on_initiatives(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("initiatives", demo_id)
    assert [tab.label for tab in at.tabs][:2] == ["Portfolio", "Roadmap"]
    assert len(_portfolio_tables(at)) == 1
    assert not _roadmaps(at), "the Roadmap ran while closed"

    at = open_tab(at, "initiatives", "Roadmap")

    assert not at.exception
    assert len(_roadmaps(at)) == 1
    assert not _portfolio_tables(at), "the Portfolio ran while closed"
    assert not [b for b in at.button if b.label == "Add initiative"]


def test_only_the_open_tab_runs_on_capabilities(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("capabilities", demo_id)
    assert len(shown_charts(at)) == 2 and figures(at), "the gap chart, the heatmap and the headline"
    assert not at.data_editor, "the rating sheet or the framework ran while closed"

    at = open_tab(at, "capabilities", "Rate capabilities")

    assert not at.exception
    assert [editor for editor in at.data_editor if "capability_ratings_" in editor.proto.id]
    assert not shown_charts(at) and not figures(at), "the gaps tab ran while closed"
    assert not [editor for editor in at.data_editor if "capability_framework_" in editor.proto.id]


def test_unknown_plan_in_url_shows_message(app_db: AppDb) -> None:
    at = app_db.app("home", 9999)
    assert not at.exception
    assert any("no plan 9999" in e.value for e in at.error)
    assert "plan" not in at.query_params


def test_home_lists_plans_with_progress(app_db: AppDb) -> None:
    at = app_db.app("home")
    assert "Blank plan" in _texts(at)
    assert any(p.proto.text.startswith("Discovery") for p in at.get("progress"))


def test_open_button_opens_plan(app_db: AppDb) -> None:
    at = app_db.app("home")
    at.button(key=f"open_{app_db.blank_id}").click().run()
    assert at.query_params["plan"] == [str(app_db.blank_id)] or at.query_params["plan"] == str(app_db.blank_id)
    assert "Open plan: Blank plan" in [s.value for s in at.subheader]


def test_archive_persists(app_db: AppDb) -> None:
    at = app_db.app("home")
    at.button(key=f"archive_{app_db.blank_id}").click().run()
    assert not at.exception
    with read_session(make_engine(app_db.url)) as session:
        assert session.get(Plan, app_db.blank_id).archived is True
    assert any("Archived" in s.value for s in at.success)


def test_load_demo_button_creates_demo(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("No plans yet" in i.value for i in at.info)
    at.button[1].click().run()
    assert not at.exception
    assert "Northshire" in _texts(at)


def test_newer_schema_is_refused_with_message(app_db: AppDb) -> None:
    engine = make_engine(app_db.url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    at = app_db.app("home")
    assert not at.exception
    assert any("newer than this planner" in e.value for e in at.error)


def test_unreachable_database_is_reported(monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    monkeypatch.setenv("PLANNER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("Cannot reach the database" in e.value for e in at.error)


def test_sidebar_switches_plan(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("context", demo_id)
    switcher = at.sidebar.selectbox[0]
    assert switcher.value == demo_id
    switcher.set_value(app_db.blank_id).run()
    assert not at.exception
    assert "Blank plan" in at.caption[0].value


def test_hosted_mode_without_token_shows_no_plans(app_db: AppDb, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_MODE", "hosted")
    monkeypatch.setenv("PLANNER_ADMIN_TOKEN", "a-long-enough-admin-token")
    at = app_db.app("home")
    assert not at.exception
    assert any("Ask your facilitator" in i.value for i in at.info)
    assert "Blank plan" not in _texts(at)


def test_hosted_mode_admin_token_sees_plans(app_db: AppDb, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_MODE", "hosted")
    monkeypatch.setenv("PLANNER_ADMIN_TOKEN", "a-long-enough-admin-token")
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["token"] = "a-long-enough-admin-token"
    at.run()
    assert "Blank plan" in _texts(at)
    at.query_params.pop("token")
    at.run()
    assert "Blank plan" in _texts(at), "the admin session should survive navigation without the token"


def test_every_url_path_has_an_entry_shim_that_runs_the_frame() -> None:
    # Streamlit serves a server's first request through legacy pages/ discovery: without a shim
    # named after the path, that request shows "Page not found" (see planner/ui/navigation.py).
    root = Path(APP).parent
    shims = {path.stem: path.read_text() for path in (root / "pages").glob("*.py")}
    paths = {spec.url_path for spec in SPECS if spec.url_path}

    assert set(shims) == paths
    assert all("run_app()" in text for text in shims.values())


def test_two_plans_of_one_name_stay_apart_in_the_switcher(app_db: AppDb) -> None:
    with write_session(app_db.engine()) as session:
        first = plans.create_plan(session, owner(), name="Same name")
        second = plans.create_plan(session, owner(), name="Same name")
    at = app_db.app("summary", second)

    switcher = next(box for box in at.selectbox if box.label == "Open plan")
    labels = list(switcher.options)  # AppTest holds the formatted labels
    at.run()  # an unrelated rerun must not switch to the first plan of that name

    assert {f"Same name · #{first}", f"Same name · #{second}"} <= set(labels)
    assert at.query_params["plan"] in (str(second), [str(second)])
    assert switcher.value == second

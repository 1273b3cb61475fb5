"""The benchmark scripts import, and the floor is served as the app is (they run outside the test suite)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from planner.settings import PROJECT_ROOT

SCRIPTS = sorted(path.stem for path in (PROJECT_ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_script_imports(name: str) -> None:
    assert importlib.import_module(f"benchmarks.{name}").__doc__


def test_floor_is_served_through_the_apps_page_routes(tmp_path: Path) -> None:
    from benchmarks import browser_pages

    (tmp_path / "floor_server.py").write_text(browser_pages.FLOOR_SERVER)
    found = discover_asgi_app(tmp_path / "floor_server.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert "deep_links.routes(['frame', 'chart'])" in browser_pages.FLOOR_SERVER

"""Page paths served with the base address named, so that the frontend skips its probe (deep_links)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.responses import Response
from streamlit import file_util
from streamlit.web.server.app_discovery import discover_asgi_app

from planner.settings import PROJECT_ROOT
from planner.ui import deep_links
from planner.ui.navigation import SPECS

STREAMLIT_INDEX = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
PAGES = [spec.url_path for spec in SPECS if spec.url_path]


def _served(path: str, **options) -> Response | None:
    """What the routes answer to a GET of `path`, or None when no route takes it (Streamlit's files do)."""
    for route in deep_links.routes(**options):
        if route.path == path and "GET" in route.methods:
            return asyncio.run(route.endpoint(None))
    return None


@pytest.mark.parametrize("path", PAGES)
def test_every_page_path_serves_streamlit_index_with_the_base_address(path: str) -> None:
    response = _served(f"/{path}", base_url_path="")
    assert response is not None and response.status_code == 200
    assert response.media_type == "text/html"
    assert response.headers["cache-control"] == "no-cache"
    text = response.body.decode()
    assert text.count(deep_links.BASE_SCRIPT) == 1
    assert text.index(deep_links.BASE_SCRIPT) < text.index('<script type="module"')
    assert text.replace(f"\n    {deep_links.BASE_SCRIPT}", "") == STREAMLIT_INDEX


def test_only_page_paths_are_served() -> None:
    paths = {route.path for route in deep_links.routes(base_url_path="")}
    assert paths == {f"/{path}" for path in PAGES}
    assert "/" not in paths  # the plan list at the root never probes
    assert all(route.methods >= {"GET", "HEAD"} for route in deep_links.routes(base_url_path=""))


def test_page_paths_sit_under_the_servers_base_path() -> None:
    assert _served("/planner/summary", base_url_path="/planner/") is not None
    assert _served("/summary", base_url_path="/planner/") is None
    assert deep_links.page_paths(["frame"], base_url_path="") == ["/frame"]


def test_an_index_without_head_is_served_unchanged(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html><body>bare</body></html>", encoding="utf-8")
    assert deep_links.index_html(str(tmp_path)) == "<html><body>bare</body></html>"


def test_streamlit_run_finds_the_app_in_server_py() -> None:
    found = discover_asgi_app(PROJECT_ROOT / "server.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert 'st.App("app.py", routes=deep_links.routes())' in (PROJECT_ROOT / "server.py").read_text()

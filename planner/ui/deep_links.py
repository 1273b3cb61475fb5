"""Pages opened at their own path (a shared link, a reload) without Streamlit's base-address probe.

Opened at `/<page>`, Streamlit's frontend first asks `/<page>/_stcore/health` whether that is the app's
base address and, after the 404, waits 100 ms before asking `/`. It skips the question when
`window.__streamlit.BACKEND_BASE_URL` names the base address, which it reads before it connects. So
`server.py` serves Streamlit's own index.html with that one line added at each page's path: `st.App`
routes come before Streamlit's static files. `streamlit run app.py` still works, one probe slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from streamlit import config, file_util

from planner.ui.navigation import SPECS

# A page's path has one segment, so the base address is the folder the page sits in; relative, so that
# it also holds behind a proxy that serves the app under a prefix of its own.
BASE_SCRIPT = '<script>window.__streamlit = {BACKEND_BASE_URL: new URL(".", location.href).href}</script>'
HEAD = "<head>"


def index_html(static_dir: str | None = None) -> str:
    """Streamlit's index.html with the base address named; unchanged (probe and all) if it has no <head>."""
    page = (Path(static_dir or file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    return page.replace(HEAD, f"{HEAD}\n    {BASE_SCRIPT}", 1)


def page_paths(url_paths: Iterable[str] | None = None, base_url_path: str | None = None) -> list[str]:
    """The full path of each page (default: every page but the root) under `server.baseUrlPath`."""
    base = (config.get_option("server.baseUrlPath") if base_url_path is None else base_url_path).strip("/")
    prefix = f"/{base}" if base else ""
    names = [spec.url_path for spec in SPECS if spec.url_path] if url_paths is None else url_paths
    return [f"{prefix}/{name}" for name in names]


def routes(url_paths: Iterable[str] | None = None, static_dir: str | None = None,
           base_url_path: str | None = None) -> list[Route]:  # fmt: skip
    """One route per page path, serving index.html with the base address named (for `st.App(routes=…)`)."""
    page = index_html(static_dir)

    async def index(_: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})  # as Streamlit serves index.html

    return [Route(path, index, methods=["GET", "HEAD"]) for path in page_paths(url_paths, base_url_path)]

"""The browser benchmark's time to content waits for pictures, as the app draws its charts as pictures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from benchmarks import browser_pages

from .conftest import Server

pytestmark = pytest.mark.browser

DELAY_S = 1.5
PICTURE = """import streamlit as st

st.title("A picture")
st.image("http://pictures.invalid/slow.svg", alt="a slow picture")  # answered by the test's route
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


def test_time_to_content_includes_a_slow_picture(tmp_path: Path, chromium: str, page: Page) -> None:
    script = tmp_path / "picture.py"
    script.write_text(PICTURE)
    server = Server(f"sqlite:///{tmp_path / 'planner.db'}", tmp_path / "streamlit.log", script=script)
    server.start()
    try:
        page.route("**/slow.svg", _slow)
        started = time.perf_counter()
        spent = browser_pages.load(page, server.url + "/")
        assert spent >= DELAY_S and time.perf_counter() - started >= DELAY_S
        assert page.locator("[data-testid=stImage] img").evaluate("img => img.complete && img.naturalWidth") == 40
    finally:
        server.stop()


def _slow(route: Route) -> None:
    time.sleep(DELAY_S)  # Playwright's sync handlers run on the test's thread: the page waits meanwhile
    route.fulfill(status=200, content_type="image/svg+xml", body=SVG)

"""A real `streamlit run` server on a free port with a temporary database, and Chromium to drive it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from planner.settings import PROJECT_ROOT

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    for candidate in (os.environ.get("PLANNER_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def browser_required() -> bool:
    """CI (or PLANNER_REQUIRE_BROWSER=1) must not skip the browser tests."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("PLANNER_REQUIRE_BROWSER") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A streamlit server process for the app, restartable on the same database."""

    database_url: str
    log: Path
    port: int = field(default_factory=_free_port)
    script: Path = Path("server.py")  # as the README runs it; relative paths are under the project root
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "PLANNER_DATABASE_URL": self.database_url, "PLANNER_MODE": "local"}

    def start(self) -> None:
        command = [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--server.fileWatcherType", "none"]  # an edit under test must not rerun open sessions
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env(), stdout=self.log.open("ab"),
                                        stderr=subprocess.STDOUT)
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start; log:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def cli(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "planner", *args], cwd=PROJECT_ROOT, env=self.env(),
                                capture_output=True, text=True, timeout=120, check=True)
        return result.stdout.strip()


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if browser_required():
            pytest.fail("Chromium is required here (CI) but /usr/bin/chromium is missing")
        pytest.skip("no Chromium at /usr/bin/chromium: apt-get install chromium to run the browser tests")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[Server]:
    """One server per test module, with the demo plan loaded; tests leave the demo plan in place."""
    tmp_path = tmp_path_factory.mktemp("server")
    server = Server(f"sqlite:///{tmp_path / 'planner.db'}", tmp_path / "streamlit.log")
    server.demo_id = int(server.cli("demo"))  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


FIGURE = "[data-figure]"  # a headline figure, as planner.ui.figures draws it


def figure_value(page: Any, label: str) -> Any:
    """The value of the headline figure whose label contains `label`."""
    return page.locator(FIGURE).filter(has=page.locator(".label", has_text=label)).locator(".value")

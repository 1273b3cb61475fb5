"""Time to content in Chromium: every page on the large plan vs the empty plan, and vs a bare "hello" page.

Time to content of one load is the wall time from the start of `page.goto(url)` until, all at once:
- the page's first script run has finished: an `h1` is in `[data-testid=stApp]` and the app's
  `data-test-script-state` is `notRunning` (before the first run the app has no `h1`, so a state seen
  together with the `h1` is the state after the run that drew it);
- no `stStatusWidget`, `stSkeleton`, `stAppSkeleton` or `stSpinner` element remains;
- every chart shown has drawn: each `stVegaLiteChart` holds its `canvas.marks`/`svg.marks`, each
  `stPlotlyChart` its `svg.main-svg`, each other chart type (`stDeckGlJsonChart`, `stGraphVizChart`,
  `stEChartsChart`, `stMermaidChart`) a `canvas` or `svg`, and each `stDataFrame` its grid `canvas`.
  "Shown" is `Element.checkVisibility()`: a chart in a closed expander or an unselected tab is not laid
  out, and the grid draws no canvas there until it is opened.
The condition (STATUS/READY below) is polled on every animation frame (Playwright's `wait_for_function`).

Loads are warm: one browser context per server (the app's, and a second `streamlit run` of a two-line
hello script with the same flags and `.streamlit` config), one discarded warm-up load per URL, then
--repeat rounds of fresh `goto`s, interleaved large plan / empty plan / hello page so that a busy moment
of the machine hits all three alike; each figure is a ratio of medians.
Run: python benchmarks/browser_pages.py --database URL --large ID --empty ID [--repeat 5] [--pages a,b]
(benchmarks/run.py builds the database and calls `browser_figures`.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from planner.settings import PROJECT_ROOT
from planner.ui.navigation import SPECS
from tests.browser.conftest import CHROMIUM_FLAGS, Server, chromium_path

HELLO = 'import streamlit as st\n\nst.title("Hello")\nst.write("A bare page.")\n'
GOALS = {"large vs empty plan": 1.2, "large plan vs hello page": 2.5}
SUMMARY_HELLO_GOAL = 3.0  # the board summary draws every section's charts
LOAD_TIMEOUT_MS = 120_000
DRAWN = {  # chart element -> what it holds once drawn
    "stVegaLiteChart": "canvas.marks, svg.marks",
    "stPlotlyChart": "svg.main-svg",
    "stDeckGlJsonChart": "canvas",
    "stGraphVizChart": "svg",
    "stEChartsChart": "canvas, svg",
    "stMermaidChart": "svg",
    "stDataFrame": "canvas",
}
STATUS = """drawn => {
    const app = document.querySelector('[data-testid=stApp]');
    const busy = ['stStatusWidget', 'stSkeleton', 'stAppSkeleton', 'stSpinner'];
    return {
        state: app && app.dataset.testScriptState,
        h1: !!(app && app.querySelector('h1')),
        busy: busy.filter(id => document.querySelector(`[data-testid=${id}]`)),
        undrawn: Object.entries(drawn).filter(([id, inner]) =>
            [...document.querySelectorAll(`[data-testid=${id}]`)]
                .some(chart => chart.checkVisibility() && !chart.querySelector(inner))
        ).map(([id]) => id),
    };
}"""
READY = f"""drawn => {{
    const now = ({STATUS})(drawn);
    return now.h1 && now.state === 'notRunning' && !now.busy.length && !now.undrawn.length;
}}"""


class PageError(RuntimeError):
    """A page that showed an exception or never reached its content."""


@dataclass
class HelloServer(Server):
    """A `streamlit run` of the hello script with the app's flags; cwd is the project root for its config."""

    script: Path = Path("hello.py")

    def start(self) -> None:
        command = [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--server.fileWatcherType", "none"]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=self.env(), stdout=self.log.open("ab"),
                                        stderr=subprocess.STDOUT)  # fmt: skip
        self._wait_healthy()


def load(page: Page, url: str) -> float:
    """Seconds from the start of `goto(url)` until the page shows its content (see the module docstring)."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(READY, arg=DRAWN, timeout=LOAD_TIMEOUT_MS)
    except PlaywrightTimeout as error:
        status = page.evaluate(STATUS, DRAWN)
        raise PageError(f"{url}: no content after {LOAD_TIMEOUT_MS / 1000:.0f} s; page status {status}") from error
    spent = time.perf_counter() - start
    if page.get_by_test_id("stException").count():
        raise PageError(f"{url}: {page.get_by_test_id('stException').first.inner_text()[:300]}")
    return spent


@contextmanager
def servers(database_url: str, folder: Path) -> Iterator[tuple[Server, Server]]:
    """The app's server and the hello page's server, started and stopped around the block."""
    (folder / "hello.py").write_text(HELLO)
    app = Server(database_url, folder / "app.log")
    hello = HelloServer(database_url, folder / "hello.log", script=folder / "hello.py")
    try:
        app.start()
        hello.start()
        yield app, hello
    finally:
        app.stop()
        hello.stop()


@contextmanager
def chromium() -> Iterator[Browser]:
    """The system Chromium with the browser tests' flags."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def new_page(browser: Browser) -> Page:
    """A page in a context of its own, sized as the browser tests size theirs."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    return page


def page_medians(app: Page, hello: Page, urls: tuple[str, str, str], repeat: int) -> tuple[float, float, float]:
    """Median load times (large, empty, hello) after a warm-up load of each page URL, in interleaved rounds."""
    large, empty, bare = urls
    load(app, large), load(app, empty)
    times: tuple[list[float], list[float], list[float]] = ([], [], [])
    for _ in range(repeat):
        for page, url, spent in ((app, large, times[0]), (app, empty, times[1]), (hello, bare, times[2])):
            spent.append(load(page, url))
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(times[2])


def figures(path: str, large: float, empty: float, hello: float) -> list[dict]:
    """The two JSON figures of one page, with the medians in ms to diagnose a shortfall."""
    times = {"large_ms": round(large * 1000), "empty_ms": round(empty * 1000), "hello_ms": round(hello * 1000)}
    result = []
    for label, ratio in (("large vs empty plan", large / empty), ("large plan vs hello page", large / hello)):
        goal = SUMMARY_HELLO_GOAL if path == "/summary" and "hello" in label else GOALS[label]
        figure = {"name": f"chromium {path} {label}", "value": round(ratio, 2), "unit": "ratio", "goal": goal}
        result.append(figure | {"met": ratio <= goal} | times)
    return result


def failed(path: str, error: Exception) -> list[dict]:
    """The page's two figures as failures, so that a broken page is reported and the run goes on."""
    return [{"name": f"chromium {path} {label}", "value": None, "unit": "ratio", "goal": None, "met": False,
             "error": str(error)} for label in GOALS]  # fmt: skip


@dataclass
class Bench:
    """The two browser pages (app and hello) and what to load in them."""

    app: Page
    hello: Page
    app_url: str
    hello_url: str
    plans: tuple[int, int]  # large, empty
    repeat: int

    def page_figures(self, key: str) -> list[dict]:
        """Both figures of the page `key`, or its failure."""
        path = "/" + next(spec.url_path for spec in SPECS if spec.key == key)
        urls = (f"{self.app_url}{path}?plan={self.plans[0]}", f"{self.app_url}{path}?plan={self.plans[1]}")
        try:
            return figures(path, *page_medians(self.app, self.hello, (*urls, self.hello_url), self.repeat))
        except PageError as error:
            return failed(path, error)


def browser_figures(database_url: str, large_id: int, empty_id: int, repeat: int, keys: list[str] | None = None):
    """Chromium figures of every page (or of `keys`), two per page, printed as they come and returned."""
    result: list[dict] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        servers(database_url, Path(folder)) as (app, hello),
        chromium() as browser,
    ):
        bench = Bench(new_page(browser), new_page(browser), app.url, hello.url + "/", (large_id, empty_id), repeat)
        load(bench.hello, bench.hello_url)  # the hello page's warm-up
        for key in keys or [spec.key for spec in SPECS]:
            for figure in bench.page_figures(key):
                print(json.dumps(figure), flush=True)
                result.append(figure)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a database URL holding both plans")
    parser.add_argument("--large", type=int, required=True, help="the large plan's id")
    parser.add_argument("--empty", type=int, required=True, help="the empty plan's id")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page keys (default: every page)")
    args = parser.parse_args()
    browser_figures(args.database, args.large, args.empty, args.repeat, args.pages and args.pages.split(","))


if __name__ == "__main__":
    main()

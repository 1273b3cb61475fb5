"""Time to content in Chromium: every page on the large plan vs the empty plan, and vs a bare "hello" page.

Also, without goals: each page on the large plan vs the small demo plan (data size alone); each page's
replay (benchmarks/page_replay.py: the elements the page drew on the large and on the empty plan, sent by a
script with no planner code), large vs empty plan, and the page on the large plan vs its replay; and Streamlit's
floor under every page (the FLOOR script, no planner code) vs the hello page.

Time to content of one load is the wall time from the start of `page.goto(url)` until, all at once:
- the page's first script run has finished: an `h1` is in `[data-testid=stApp]` and the app's
  `data-test-script-state` is `notRunning` (before the first run the app has no `h1`, so a state seen
  together with the `h1` is the state after the run that drew it);
- no `stStatusWidget`, `stSkeleton`, `stAppSkeleton` or `stSpinner` element remains;
- every chart shown has drawn: each `stVegaLiteChart` holds its `canvas.marks`/`svg.marks`, each
  `stPlotlyChart` its `svg.main-svg`, each other chart type (`stDeckGlJsonChart`, `stGraphVizChart`,
  `stEChartsChart`, `stMermaidChart`) a `canvas` or `svg`, and each `stDataFrame` its grid `canvas`;
  each picture shown (an `img` in an `stImage` or `stHtml` element: the app draws its charts as pictures,
  planner/chart_images.py) has loaded, and,
  once all else holds, has been decoded (`HTMLImageElement.decode()`), ready to paint.
  "Shown" is `Element.checkVisibility()`: a chart in a closed expander or an unselected tab is not laid
  out, and the grid draws no canvas there until it is opened.
The condition (STATUS/READY below) is polled on every animation frame (Playwright's `wait_for_function`).

Loads are warm: one browser context per server (the app's `streamlit run server.py`, a second `streamlit run`
of a two-line hello script, a third of the floor script and a fourth of the replay, all with the same flags and
`.streamlit` config), one discarded warm-up load per URL, then --repeat rounds of fresh `goto`s, interleaved
large plan / empty plan / demo plan / large plan just after a change / replayed large plan / replayed empty plan
/ hello page so that a busy moment of the machine hits all alike;
each figure is a ratio of medians. So every load but the one after a change finds the server holding the reads
an earlier load of the same plan made (planner.ui.memo), as a second viewer of an unchanged plan does.
Run: python benchmarks/browser_pages.py --database URL --large ID --empty ID --demo ID [--repeat 5] [--pages a,b]
(benchmarks/run.py builds the database and calls `browser_figures`.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import Engine

from benchmarks import page_replay
from planner.db import bump_revision, make_engine, write_session
from planner.ui.navigation import SPECS
from tests.browser.conftest import CHROMIUM_FLAGS, Server, chromium_path

HELLO = 'import streamlit as st\n\nst.title("Hello")\nst.write("A bare page.")\n'
# Streamlit's own floor under the app's pages, with no planner code: the app's frame (twelve pages in the
# sidebar, a select box under them, a page opened at its path) with a title only, and with one small chart
# and one small grid. It is served as the app is (FLOOR_SERVER, like server.py), so that a page path costs
# what it costs the app: served by `streamlit run` of the script alone, the frontend would first probe
# `<path>/_stcore/health` and wait 100 ms after the 404 (planner/ui/deep_links.py).
FLOOR = """import base64

import altair as alt
import pandas as pd
import streamlit as st

DATA = pd.DataFrame({"item": list("abcde"), "value": [3, 1, 4, 1, 5]})
BARS = "".join(f'<text x="0" y="{24 + 30 * n}" font-size="12">{item}</text>'
               f'<rect x="40" y="{10 + 30 * n}" width="{100 * value}" height="20" fill="#005EB8"/>'
               for n, (item, value) in enumerate(zip(DATA["item"], DATA["value"])))
SVG = f'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="160">{BARS}</svg>'
PICTURE = "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode()


def hello():
    st.title("Hello")
    st.write("A bare page.")


def chart_and_grid():
    hello()
    st.altair_chart(alt.Chart(DATA).mark_bar().encode(x="value", y="item"))
    st.dataframe(DATA, hide_index=True)


def figures_and_picture():
    hello()
    for column, (item, value) in zip(st.columns(4), zip(DATA["item"], DATA["value"])):
        column.metric(item, value)
    st.image(PICTURE, width="content")


pages = [st.Page(hello, title="Home", url_path="home", default=True), st.Page(hello, title="Frame", url_path="frame"),
         st.Page(chart_and_grid, title="Chart and grid", url_path="chart"),
         st.Page(figures_and_picture, title="Figures and a picture", url_path="figures")]
pages += [st.Page(hello, title=f"Page {n}", url_path=f"page{n}") for n in range(8)]
st.sidebar.selectbox("Open plan", ["A plan", "Another plan"])
st.navigation(pages).run()
"""
FLOOR_PATHS = {
    "frame": "streamlit frame at a page path",
    "chart": "streamlit frame with one chart and one grid",
    "figures": "streamlit frame with four figures and a five-bar picture",
}
FLOOR_SERVER = f"""import streamlit as st

from planner.ui import deep_links

app = st.App("floor.py", routes=deep_links.routes({list(FLOOR_PATHS)!r}))
"""
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
PICTURES = "'[data-testid=stImage] img, [data-testid=stHtml] img'"  # a JavaScript string: what a picture is
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
        unloaded: [...document.querySelectorAll(PICTURES)]
            .filter(img => img.checkVisibility() && !(img.complete && img.naturalWidth)).length,
    };
}""".replace("PICTURES", PICTURES)
# Polled on every animation frame: the cheap checks come first, so that the charts' layout is not forced (by
# checkVisibility) frame after frame while the script still runs, which would add work of the benchmark's own.
READY = """drawn => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || !app.querySelector('h1') || app.dataset.testScriptState !== 'notRunning') return false;
    const busy = ['stStatusWidget', 'stSkeleton', 'stAppSkeleton', 'stSpinner'];
    if (busy.some(id => document.querySelector(`[data-testid=${id}]`))) return false;
    if (Object.entries(drawn).some(([id, inner]) =>
        [...document.querySelectorAll(`[data-testid=${id}]`)]
            .some(chart => chart.checkVisibility() && !chart.querySelector(inner)))) return false;
    return [...document.querySelectorAll(PICTURES)]
        .every(img => !img.checkVisibility() || (img.complete && img.naturalWidth > 0));
}""".replace("PICTURES", PICTURES)

DECODED = """() => Promise.all([...document.querySelectorAll(PICTURES)]
    .filter(img => img.checkVisibility()).map(img => img.decode()))""".replace("PICTURES", PICTURES)


class PageError(RuntimeError):
    """A page that showed an exception or never reached its content."""


def load(page: Page, url: str) -> float:
    """Seconds from the start of `goto(url)` until the page shows its content (see the module docstring)."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function(READY, arg=DRAWN, timeout=LOAD_TIMEOUT_MS)
    except PlaywrightTimeout as error:
        status = page.evaluate(STATUS, DRAWN)
        raise PageError(f"{url}: no content after {LOAD_TIMEOUT_MS / 1000:.0f} s; page status {status}") from error
    page.evaluate(DECODED)
    spent = time.perf_counter() - start
    if page.get_by_test_id("stException").count():
        raise PageError(f"{url}: {page.get_by_test_id('stException').first.inner_text()[:300]}")
    return spent


@contextmanager
def servers(database_url: str, folder: Path, replay: Path) -> Iterator[tuple[Server, Server, Server, Server]]:
    """The app's server, the hello page's, the floor script's and the `replay` script's (benchmarks/page_replay.py),
    started and stopped around the block."""
    (folder / "hello.py").write_text(HELLO)
    (folder / "floor.py").write_text(FLOOR)
    (folder / "floor_server.py").write_text(FLOOR_SERVER)
    app = Server(database_url, folder / "app.log")
    hello = Server(database_url, folder / "hello.log", script=folder / "hello.py")
    floor = Server(database_url, folder / "floor.log", script=folder / "floor_server.py")
    replayed = Server(database_url, folder / "replay.log", script=replay)
    started: list[Server] = []
    try:
        for server in (app, hello, floor, replayed):
            server.start()
            started.append(server)
        yield app, hello, floor, replayed
    finally:
        for server in started:
            server.stop()


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


def page_medians(pages: Mapping[str, Page], default: Page, urls: tuple[str, ...], repeat: int,
                 before: Mapping[int, Callable[[], None]] | None = None) -> list[float]:  # fmt: skip
    """Median load times of the URLs, each in its browser page in `pages` (else in `default`), after a warm-up
    load of each but the last (the hello page, warmed once for all).

    Loads go in interleaved rounds, so that a busy moment of the machine hits every URL alike. `before` maps the
    index of a URL to what to do before each of its loads (unmeasured).
    """
    before = before or {}
    for index, url in enumerate(urls[:-1]):
        before.get(index, _nothing)()
        load(pages.get(url, default), url)
    times: list[list[float]] = [[] for _ in urls]
    for _ in range(repeat):
        for index, url in enumerate(urls):
            before.get(index, _nothing)()
            times[index].append(load(pages.get(url, default), url))
    return [statistics.median(spent) for spent in times]


def _nothing() -> None:
    pass


def figures(path: str, medians: Mapping[str, float]) -> list[dict]:
    """The JSON figures of one page from the median of each of its loads (large, empty, demo, changed,
    replay_large, replay_empty, hello: Bench.page_figures), with the medians in ms to diagnose a shortfall.

    Large vs demo plan has no goal: it shows what data size costs when both plans fill the page, where
    large vs empty compares a full page with the empty plan's empty states. Nor has the large plan's load just
    after a change to it (`changed`): the other loads come after an earlier one of the same unchanged plan, whose
    reads the server keeps for the next viewer (planner.ui.memo), where this one reads the plan afresh. Nor have
    the replays (benchmarks/page_replay.py): the replayed large vs empty plan is what the two pages' content
    costs in Streamlit with no planner code, and the large plan vs its replay what the planner adds to it.
    """
    large, empty, hello = medians["large"], medians["empty"], medians["hello"]
    times = {f"{name}_ms": round(spent * 1000) for name, spent in medians.items()}
    result = []
    for label, ratio in (("large vs empty plan", large / empty), ("large plan vs hello page", large / hello)):
        goal = SUMMARY_HELLO_GOAL if path == "/summary" and "hello" in label else GOALS[label]
        figure = {"name": f"chromium {path} {label}", "value": round(ratio, 2), "unit": "ratio", "goal": goal}
        result.append(figure | {"met": ratio <= goal} | times)
    for label, ratio in (
        ("large vs demo plan", large / medians["demo"]),
        ("large plan after a change vs empty plan", medians["changed"] / empty),
        ("replayed with no planner code, large vs empty plan", medians["replay_large"] / medians["replay_empty"]),
        ("large plan vs its replay with no planner code", large / medians["replay_large"]),
    ):
        result.append({"name": f"chromium {path} {label}", "value": round(ratio, 2), "unit": "ratio"} | times)
    return result


def floor_figures(page: Page, floor_url: str, hello_url: str, repeat: int) -> list[dict]:
    """Streamlit's floor under the app's pages (the FLOOR script) vs the hello page: what no page can go below.

    Also the frame with four figures and a small picture vs the bare frame, with no planner code and next to no
    data: what a page's first screen of content costs against an empty state, whatever the plan's size.
    """
    urls = [f"{floor_url}/{path}" for path in FLOOR_PATHS]
    *floors, hello = page_medians({}, page, (*urls, hello_url), repeat)
    result = [{"name": f"chromium {label} vs hello page", "value": round(spent / hello, 2), "unit": "ratio",
               "ms": round(spent * 1000), "hello_ms": round(hello * 1000)}
              for label, spent in zip(FLOOR_PATHS.values(), floors, strict=True)]  # fmt: skip
    spent = dict(zip(FLOOR_PATHS, floors, strict=True))
    result.append({"name": f"chromium {FLOOR_PATHS['figures']} vs the bare frame", "unit": "ratio",
                   "value": round(spent["figures"] / spent["frame"], 2)})  # fmt: skip
    return result


def failed(path: str, error: Exception) -> list[dict]:
    """The page's figures with a goal, as failures, so that a broken page is reported and the run goes on."""
    return [{"name": f"chromium {path} {label}", "value": None, "unit": "ratio", "goal": None, "met": False,
             "error": str(error)} for label in GOALS]  # fmt: skip


@dataclass
class Bench:
    """The browser pages (app, replay and hello) and what to load in them."""

    app: Page
    replay: Page
    hello: Page
    app_url: str
    replay_url: str
    hello_url: str
    plans: tuple[int, int, int]  # large, empty, demo
    repeat: int
    change: Callable[[], None]  # a change to the large plan: a new revision, which no read is kept under

    def page_figures(self, key: str) -> list[dict]:
        """The figures of the page `key`, or its failure."""
        path = "/" + next(spec.url_path for spec in SPECS if spec.key == key)
        large, empty, demo = (f"{self.app_url}{path}?plan={plan_id}" for plan_id in self.plans)
        replays = {f"replay_{name}": f"{self.replay_url}/{key}-{name}" for name in ("large", "empty")}
        loads = {"large": large, "empty": empty, "demo": demo, "changed": large} | replays | {"hello": self.hello_url}
        pages = {self.hello_url: self.hello} | dict.fromkeys(replays.values(), self.replay)
        before = {list(loads).index("changed"): self.change}  # the large plan again, each time just after a change
        try:
            medians = page_medians(pages, self.app, tuple(loads.values()), self.repeat, before)
            return figures(path, dict(zip(loads, medians, strict=True)))
        except PageError as error:
            return failed(path, error)


def new_revision(engine: Engine, plan_id: int) -> None:
    """Move the plan's revision, as every write to it does (planner.db.bump_revision), changing nothing else."""
    with write_session(engine) as session:
        bump_revision(session, plan_id)


def browser_figures(database_url: str, plans: tuple[int, int, int], repeat: int, keys: list[str] | None = None):
    """Chromium figures of Streamlit's floor and of every page (or of `keys`), printed as they come and returned.

    `plans` are the ids of the large, empty and demo plans.
    """
    keys = keys or [spec.key for spec in SPECS]
    recorded = page_replay.recordings(keys, {"large": plans[0], "empty": plans[1]}, database_url)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        replay_script = page_replay.write_replay(folder, recorded)
        with servers(database_url, folder, replay_script) as (app, hello, floor, replay), chromium() as browser:
            change = partial(new_revision, make_engine(database_url), plans[0])
            bench = Bench(new_page(browser), new_page(browser), new_page(browser), app.url, replay.url,
                          hello.url + "/", plans, repeat, change)  # fmt: skip
            load(bench.hello, bench.hello_url)  # the hello page's warm-up
            result = _printed(floor_figures(new_page(browser), floor.url, bench.hello_url, repeat))
            for key in keys:
                result += _printed(bench.page_figures(key))
    return result


def _printed(figures: list[dict]) -> list[dict]:
    for figure in figures:
        print(json.dumps(figure), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a database URL holding the three plans")
    parser.add_argument("--large", type=int, required=True, help="the large plan's id")
    parser.add_argument("--empty", type=int, required=True, help="the empty plan's id")
    parser.add_argument("--demo", type=int, required=True, help="the demo plan's id")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page keys (default: every page)")
    args = parser.parse_args()
    plans = (args.large, args.empty, args.demo)
    browser_figures(args.database, plans, args.repeat, args.pages and args.pages.split(","))


if __name__ == "__main__":
    main()

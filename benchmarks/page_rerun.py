"""Server-side rerun time of every page, as ratios: demo plan vs empty plan, and vs a bare "hello" page.

Run: python benchmarks/page_rerun.py [--repeat N]
Prints one JSON line per figure; ratios only, since absolute times on shared machines mean little.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from planner import plans
from planner.access import owner
from planner.db import write_session
from planner.migration import open_database
from planner.seed import load_demo
from planner.settings import PROJECT_ROOT, load_settings
from planner.ui import memo
from planner.ui.navigation import SPECS, page_file

HELLO = 'import streamlit as st\nst.title("Hello")\nst.write("A bare page.")\n'


@contextmanager
def compiled_once() -> Iterator[None]:
    """AppTest runs that reuse compiled scripts, as a server does.

    AppTest gives every run a new ScriptCache, so each run parses and compiles app.py and the page's script
    again (9 ms for /priorities' here), which a server does once per process. Left in, that constant hid part
    of what a page's rerun costs and flattered every ratio.
    """
    shared = ScriptCache()
    with patch.object(app_test, "ScriptCache", lambda: shared), patch.object(local_script_runner, "ScriptCache",
                                                                            lambda: shared):  # fmt: skip
        yield


def median_run(at: AppTest, repeat: int) -> float:
    """The median time of `repeat` reruns of an AppTest, after one warm-up run."""
    at.run()  # warm: imports, engine, caches
    if at.exception:  # a page that fails would time its error message
        raise RuntimeError(at.exception[0].value)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_time(key: str, plan_id: int, repeat: int) -> float:
    """The median server-side rerun time of one page with a plan open."""
    with compiled_once():
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
        at.query_params["plan"] = str(plan_id)
        at.run()
        if key != "home":
            at.switch_page(page_file(key))
        return median_run(at, repeat)


def first_run_time(key: str, plan_id: int, repeat: int, changed: bool = False) -> float:
    """The median time of a page's first run in a new session (what someone opening a link waits for).

    The server keeps plan reads for the next session while the plan is unchanged (planner.ui.memo): so this
    times a viewer after an earlier one, or, `changed`, the first viewer after a change to the plan.
    """
    times = []
    with compiled_once():
        for _ in range(repeat):
            at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
            at.query_params["plan"] = str(plan_id)
            at.run()
            if key != "home":
                at.switch_page(page_file(key))
            if changed:
                memo.forget_reads()
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            if at.exception:
                raise RuntimeError(at.exception[0].value)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = open_database(load_settings())
    with write_session(engine) as session:
        empty_id = plans.create_plan(session, owner(), name="Empty plan")
        demo_id = load_demo(session, owner())
    with compiled_once():
        hello = median_run(AppTest.from_string(HELLO), args.repeat)
    for spec in SPECS:
        demo, empty = page_time(spec.key, demo_id, args.repeat), page_time(spec.key, empty_id, args.repeat)
        for name, value in (
            (f"rerun {spec.url_path or '/'} demo vs empty plan", demo / empty),
            (f"rerun {spec.url_path or '/'} demo plan vs hello page", demo / hello),
        ):
            print(json.dumps({"name": name, "value": round(value, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

"""The /workforce page rerun with the counts of a 200,000-row import vs an empty plan, as a ratio (issue 4).

Run: python benchmarks/workforce_rerun.py [--rows 200000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.testing.v1 import AppTest

from benchmarks.workforce_import import write_extract
from planner import plans, workforce
from planner.access import owner
from planner.db import read_session, write_session
from planner.migration import open_database
from planner.settings import PROJECT_ROOT, load_settings
from planner.ui.navigation import page_file
from planner.workforce_file import read_workforce_file


def _imported_plan(engine, rows: int, folder: Path) -> int:
    extract = folder / "extract.csv"
    write_extract(extract, rows)
    with write_session(engine) as session:
        plan_id = plans.create_plan(session, owner(), name="Imported workforce")
    with read_session(engine) as session:
        tiers = workforce.tiers(session, owner(), plan_id)
        bands = workforce.band_tiers(session, owner(), plan_id)
    names = dict(zip(tiers["key"], tiers["name"], strict=True))
    found = read_workforce_file(extract.read_bytes(), extract.name, bands, names)
    with write_session(engine) as session:
        workforce.replace_workforce(session, owner(), plan_id, found.counts, source=extract.name)
    return plan_id


def _rerun_seconds(plan_id: int, repeat: int) -> float:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["plan"] = str(plan_id)
    at.run()
    at.switch_page(page_file("workforce")).run()
    assert not at.exception, at.exception
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    engine = open_database(load_settings())
    full = _imported_plan(engine, args.rows, folder)
    with write_session(engine) as session:
        empty = plans.create_plan(session, owner(), name="Empty workforce")
    ratio = _rerun_seconds(full, args.repeat) / _rerun_seconds(empty, args.repeat)
    name = f"workforce page rerun, {args.rows:,}-row import vs empty plan"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

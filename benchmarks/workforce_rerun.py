"""The /workforce page rerun with the counts of a 200,000-row import vs an empty plan, as a ratio (issue 4).

Run: python benchmarks/workforce_rerun.py [--rows 200000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchmarks.page_rerun import page_time
from benchmarks.workforce_import import write_extract
from planner import plans, workforce
from planner.access import owner
from planner.db import read_session, write_session
from planner.migration import open_database
from planner.settings import load_settings
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
    ratio = page_time("workforce", full, args.repeat) / page_time("workforce", empty, args.repeat)
    name = f"workforce page rerun, {args.rows:,}-row import vs empty plan"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

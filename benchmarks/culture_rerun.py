"""Facilitator page rerun with 400 responses in a round vs an empty round, as a ratio (issue 3).

Run: python benchmarks/culture_rerun.py [--responses 400] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.testing.v1 import AppTest

from planner import culture, plans
from planner.access import Access, Role, owner
from planner.db import write_session
from planner.framework import names
from planner.migration import open_database
from planner.settings import PROJECT_ROOT, load_settings
from planner.ui.navigation import page_file


def _plan_with_round(engine, name: str, responses: int) -> int:
    rng = random.Random(7)
    with write_session(engine) as session:
        plan_id = plans.create_plan(session, owner(), name=name)
        round_id = culture.create_round(session, owner(), plan_id, "Workshop", date(2026, 11, 25))
    elements = ["vision", "objectives", "people", "voice", "learning", "teams", "equity"]
    voter = Access(Role.PARTICIPANT, plan_id=plan_id, round_id=round_id)
    groups = list(names("survey_groups"))
    for n in range(responses):
        with write_session(engine) as session:
            scores = {key: rng.randint(1, 5) for key in elements}
            culture.submit_vote(session, voter, round_id, f"key-{n}", rng.choice(groups), scores, f"Comment {n}")
    return plan_id


def _rerun_seconds(plan_id: int, repeat: int) -> float:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.query_params["plan"] = str(plan_id)
    at.run()
    at.switch_page(page_file("culture")).run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = open_database(load_settings())
    full = _plan_with_round(engine, "Full round", args.responses)
    empty = _plan_with_round(engine, "Empty round", 0)
    ratio = _rerun_seconds(full, args.repeat) / _rerun_seconds(empty, args.repeat)
    name = f"culture page rerun, {args.responses} responses vs empty round"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

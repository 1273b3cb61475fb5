"""Facilitator page rerun with 400 responses in a round vs an empty round, as a ratio (issue 3).

Run: python benchmarks/culture_rerun.py [--responses 400] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchmarks.page_rerun import page_time
from planner import culture, plans
from planner.access import Access, Role, owner
from planner.db import write_session
from planner.framework import names
from planner.migration import open_database
from planner.settings import load_settings


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = open_database(load_settings())
    full = _plan_with_round(engine, "Full round", args.responses)
    empty = _plan_with_round(engine, "Empty round", 0)
    ratio = page_time("culture", full, args.repeat) / page_time("culture", empty, args.repeat)
    name = f"culture page rerun, {args.responses} responses vs empty round"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

"""The /initiatives page rerun with 300 initiatives vs 3 (with check-ins, milestones and links), as a ratio (issue 6).

Run: python benchmarks/initiatives_rerun.py [--initiatives 300] [--small 3] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchmarks.page_rerun import page_time
from planner import initiatives, means, plans, records
from planner.access import owner
from planner.db import write_session
from planner.migration import open_database
from planner.models import Priority
from planner.settings import load_settings

KINDS = list(initiatives.KINDS)
RAGS = list(initiatives.RAGS)
TODAY = date.today()


def _priorities(session, plan_id: int, count: int = 6) -> list[int]:
    return [
        records.add(session, owner(), Priority, plan_id, {"title": f"Priority {n}", "rank": n, "element_keys": []})
        for n in range(1, count + 1)
    ]


def _one(session, plan_id: int, n: int, priorities: list[int], means_ids: list[int]) -> None:
    """An initiative with two check-ins, three milestones and two links."""
    start = TODAY - timedelta(days=30 * (n % 18))
    initiative = initiatives.add_initiative(
        session, owner(), plan_id, title=f"Initiative {n}", kind=KINDS[n % 3], owner=f"Owner {n % 12}",
        start=start, end=start + timedelta(days=365), budget=10_000 + n, tier_keys=["middle"],
        priority_ids=[priorities[n % len(priorities)]], means_ids=[means_ids[n % len(means_ids)]],
    )  # fmt: skip
    for k in range(2):
        day = min(TODAY, start + timedelta(days=20 + 40 * k))
        initiatives.add_check_in(session, owner(), plan_id, initiative, day, RAGS[(n + k) % 3], 20 * (k + 1))
    for k in range(3):
        due = start + timedelta(days=90 * k)
        initiatives.add_milestone(session, owner(), plan_id, initiative, f"Milestone {k}", due)


def _plan(engine, name: str, count: int) -> int:
    with write_session(engine) as session:
        plan_id = plans.create_plan(session, owner(), name=name, horizon_start=date(2026, 4, 1),
                                    horizon_end=date(2029, 3, 31))  # fmt: skip
        priorities = _priorities(session, plan_id)
        means_ids = [
            means.add_means(session, owner(), plan_id, priority_id=p, mode="develop", approach=f"Means {p}")
            for p in priorities
        ]
        for n in range(count):
            _one(session, plan_id, n, priorities, means_ids)
    return plan_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=300)
    parser.add_argument("--small", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = open_database(load_settings())
    large = _plan(engine, "Large portfolio", args.initiatives)
    small = _plan(engine, "Small portfolio", args.small)
    ratio = page_time("initiatives", large, args.repeat) / page_time("initiatives", small, args.repeat)
    name = f"initiatives page rerun, {args.initiatives} initiatives vs {args.small}"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

"""The PDF board pack of the large plan (DESIGN §7) vs drawing its charts alone with vl-convert, as a ratio (issue 7).

The large plan: 60 capabilities rated at 5 tiers, 300 initiatives, 400 survey responses, 200 context
items and workforce counts of 20,000 leaders. The ratio says what reading the plan, laying out the
pages and embedding the pictures add to the charts' own drawing time.

Run: python benchmarks/board_pack.py [--repeat 3]
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
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from planner import capabilities, context, culture, export, initiatives, means, plans, priorities, workforce
from planner.access import Access, Role, owner
from planner.db import read_session, write_session
from planner.framework import names
from planner.migration import open_database
from planner.settings import load_settings

TIERS = {"board": 20, "executive": 30, "senior": 450, "middle": 4_500, "first_line": 15_000}  # 20,000 leaders
MIXES = {
    "gender": {"Female": 0.72, "Male": 0.27, "Not stated": 0.01},
    "ethnicity": {"White": 0.7, "BME": 0.25, "Not stated": 0.05},
    "disability": {"Yes": 0.06, "No": 0.86, "Not stated": 0.08},
    "age_band": {"Under 25": 0.03, "25-34": 0.2, "35-44": 0.3, "45-54": 0.3, "55-64": 0.15, "65 and over": 0.02},
    "staff_group": {"Medical and dental": 0.15, "Other clinical": 0.6, "Non-clinical": 0.25},
}
ELEMENTS = ["vision", "objectives", "people", "voice", "learning", "teams", "equity"]
KINDS = list(initiatives.KINDS)
RAGS = list(initiatives.RAGS)
START = date(2026, 4, 1)


def _counts(headcount: int, tier_key: str) -> list[tuple[str, str, str, int]]:
    return [
        (tier_key, dimension, category, round(headcount * share))
        for dimension, mix in MIXES.items()
        for category, share in mix.items()
    ]


def _workforce(session, plan_id: int) -> None:
    rows = [row for key, headcount in TIERS.items() for row in _counts(headcount, key)]
    rows += _counts(100_000, workforce.WHOLE)
    frame = pd.DataFrame(rows, columns=["tier_key", "dimension", "category", "count"])
    workforce.replace_workforce(session, owner(), plan_id, frame, source="benchmark")


def _capabilities(session, plan_id: int, rng: random.Random) -> list[int]:
    """Capabilities up to 60, each rated at every tier by one assessor."""
    have = capabilities.list_capabilities(session, owner(), plan_id)
    ids = list(have["id"]) + [
        capabilities.add_capability(session, owner(), plan_id, f"Benchmark capability {n}", kind="collective")
        for n in range(len(have), 60)
    ]
    for capability_id in ids:
        for tier_id in capabilities.tiers(session, owner(), plan_id):
            required = rng.randint(2, 4)
            values = {"required": required, "current": rng.randint(0, required), "importance": rng.randint(1, 3)}
            capabilities.set_rating(session, owner(), plan_id, capability_id, tier_id, "Board", None, **values)
    return ids


def _design(session, plan_id: int, capability_ids: list[int]) -> tuple[list[int], list[int]]:
    """Twelve priorities and thirty means covering them."""
    prios = [priorities.promote(session, owner(), plan_id, capability_id=c) for c in capability_ids[:12]]
    modes = list(means.modes())
    means_ids = [
        means.add_means(session, owner(), plan_id, priority_id=prios[n % 12], mode=modes[n % 3],
                        approach=f"Means {n}", cost=5_000 * (n + 1), reach=10 * (n + 1))
        for n in range(30)
    ]  # fmt: skip
    return prios, means_ids


def _initiative(session, plan_id: int, n: int, prios: list[int], means_ids: list[int]) -> None:
    start = START + timedelta(days=11 * (n % 90))
    found = initiatives.add_initiative(
        session, owner(), plan_id, title=f"Initiative {n}", kind=KINDS[n % 3], owner=f"Owner {n % 12}",
        start=start, end=start + timedelta(days=200 + n), budget=5_000 + 100 * n, tier_keys=[list(TIERS)[n % 5]],
        priority_ids=[prios[n % len(prios)]], means_ids=[means_ids[n % len(means_ids)]],
    )  # fmt: skip
    day = min(date.today(), start + timedelta(days=30))
    initiatives.add_check_in(session, owner(), plan_id, found, day, RAGS[n % 3], 10 + n % 80)


def _survey(engine, plan_id: int, responses: int, rng: random.Random) -> None:
    with write_session(engine) as session:
        round_id = culture.create_round(session, owner(), plan_id, "Staff pulse", date(2026, 10, 1))
    voter = Access(Role.PARTICIPANT, plan_id=plan_id, round_id=round_id)
    groups = list(names("survey_groups"))
    with write_session(engine) as session:
        for n in range(responses):
            scores = {key: rng.randint(1, 5) for key in ELEMENTS}
            culture.submit_vote(session, voter, round_id, f"key-{n}", rng.choice(groups), scores)


def large_plan(engine) -> int:
    """The large plan of DESIGN §7, built through the planner's write functions."""
    rng = random.Random(7)
    with write_session(engine) as session:
        plan_id = plans.create_plan(session, owner(), name="Large plan", organisation="Benchmark Trust",
                                    horizon_start=START, horizon_end=date(2029, 3, 31))  # fmt: skip
        for n in range(200):
            context.add_item(session, owner(), plan_id, category="strategy", title=f"Context item {n}", detail="x" * 80)
        _workforce(session, plan_id)
        prios, means_ids = _design(session, plan_id, _capabilities(session, plan_id, rng))
        for n in range(300):
            _initiative(session, plan_id, n, prios, means_ids)
    _survey(engine, plan_id, 400, rng)
    return plan_id


def median_time(repeat: int, run: Callable[[], object]) -> float:
    """The median wall time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["PLANNER_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = open_database(load_settings())
    plan_id = large_plan(engine)
    with read_session(engine) as session:
        figures = export.contents(session, owner(), plan_id).figures
        export.chart_png(figures[0].chart)  # the first drawing starts vl-convert's engine: not part of either time

        def pack() -> bytes:
            return export.pdf_bytes(session, owner(), plan_id)

        def charts_alone() -> list[bytes]:
            return [export.chart_png(figure.chart) for figure in figures]

        ratio = median_time(args.repeat, pack) / median_time(args.repeat, charts_alone)
    name = f"PDF board pack of the large plan ({len(figures)} charts) vs drawing its charts alone with vl-convert"
    print(json.dumps({"name": name, "value": round(ratio, 2), "unit": "ratio"}))


if __name__ == "__main__":
    main()

"""The large plan of DESIGN §7, built by scaling up the demo plan's document.

60 capabilities rated at 5 tiers by two assessors, 300 initiatives (each with links, 3 milestones and
2 check-ins), 400 survey responses in the latest round, 200 context items, and workforce aggregates
counting 20,000 leaders, and one snapshot. Content is the demo's, numbered; random.Random(7) makes every build
the same.
"""

from __future__ import annotations

import copy
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from planner import snapshots
from planner.access import owner
from planner.document import insert_document
from planner.seed import DEMO_FILE, read_seed

CAPABILITIES, INITIATIVES, RESPONSES, CONTEXT_ITEMS, LEADERS = 60, 300, 400, 200, 20_000
Record = dict[str, Any]
COMMENT = "More time for teams to improve together."


def _grow(rows: list[Record], table: str, count: int, vary: Any) -> list[Record]:
    """`rows` followed by numbered copies of them (changed by `vary(copy, n)`) up to `count` rows."""
    grown = list(rows)
    for n in range(len(rows), count):
        row = copy.deepcopy(rows[n % len(rows)])
        row["ref"] = f"{table}-{n + 1}"
        vary(row, n)
        grown.append(row)
    return grown


def _capabilities(records: dict[str, list[Record]], rng: random.Random) -> None:
    def vary(row: Record, n: int) -> None:
        row.update(key=f"{row['key']}_{n + 1}", name=f"{row['name']} {n + 1}", position=n + 1, source="plan")

    records["capability"] = _grow(records["capability"], "capability", CAPABILITIES, vary)
    tiers = [tier["ref"] for tier in records["leadership_tier"]]
    ratings = []
    for capability in records["capability"]:
        for tier in tiers:
            for assessor in ("Leadership team", "Board self-assessment"):
                required = rng.randint(2, 4)  # the app's scale is 0 (Not in place) to 4 (Exemplary)
                ratings.append({"ref": f"capability_rating-{len(ratings) + 1}", "capability_id": capability["ref"],
                                "tier_id": tier, "assessor": assessor, "required": required,
                                "current": rng.randint(1, required), "importance": rng.randint(1, 3),
                                "evidence": "Assessed at the leadership team workshop."})  # fmt: skip
    records["capability_rating"] = ratings


def _survey(records: dict[str, list[Record]], rng: random.Random) -> None:
    """Replace the latest round's answers with RESPONSES responses, a rating per element and some comments."""
    latest = records["survey_round"][-1]["ref"]
    kept = [r for r in records["survey_response"] if r["round_id"] != latest]
    groups = sorted({r["group_key"] for r in records["survey_response"]})
    elements = [e["ref"] for e in records["cultural_element"] if e["enabled"]]
    responses = kept + [{"ref": f"survey_response-new-{n}", "round_id": latest, "participant_hash": f"{n:032x}",
                         "group_key": rng.choice(groups)} for n in range(RESPONSES)]  # fmt: skip
    keep = {r["ref"] for r in kept}
    ratings = [r for r in records["survey_rating"] if r["response_id"] in keep]
    comments = [c for c in records["survey_comment"] if c["response_id"] in keep]
    for response in responses[len(kept) :]:
        for element in elements:
            ratings.append({"ref": f"survey_rating-new-{len(ratings)}", "response_id": response["ref"],
                            "element_id": element, "score": rng.randint(1, 5)})  # fmt: skip
        if rng.random() < 0.3:
            comments.append({"ref": f"survey_comment-new-{len(comments)}", "round_id": latest,
                             "response_id": response["ref"], "element_id": rng.choice(elements),
                             "group_key": response["group_key"], "text": COMMENT})  # fmt: skip
    records.update(survey_response=responses, survey_rating=ratings, survey_comment=comments)


def _workforce(records: dict[str, list[Record]]) -> None:
    """Scale every aggregate so that each dimension counts LEADERS leaders, and the benchmarks with them (the
    whole workforce stays as many times the leaders as in the demo plan)."""
    totals: dict[str, int] = {}
    for row in records["workforce_aggregate"]:
        totals[row["dimension"]] = totals.get(row["dimension"], 0) + row["count"]
    for row in records["workforce_aggregate"] + records["workforce_benchmark"]:
        row["count"] = round(row["count"] * LEADERS / totals[row["dimension"]])


def _initiatives(records: dict[str, list[Record]]) -> None:
    """INITIATIVES initiatives, each copy with its source's links, milestones and check-ins."""
    source = records["initiative"]

    def vary(row: Record, n: int) -> None:
        row.update(title=f"{row['title']} ({n + 1})", position=n + 1)

    records["initiative"] = _grow(source, "initiative", INITIATIVES, vary)
    for table in ("initiative_link", "milestone", "check_in"):
        children = records[table]
        for initiative in records["initiative"][len(source) :]:
            original = source[(int(initiative["ref"].rsplit("-", 1)[1]) - 1) % len(source)]["ref"]
            for child in [c for c in children if c["initiative_id"] == original]:
                records[table].append({**child, "ref": f"{child['ref']}-{initiative['ref']}",
                                       "initiative_id": initiative["ref"]})  # fmt: skip


def large_document() -> dict[str, Any]:
    """The demo plan's document scaled up to the large plan."""
    document = copy.deepcopy(read_seed(DEMO_FILE))
    records, rng = document["records"], random.Random(7)

    def vary_item(row: Record, n: int) -> None:
        row.update(title=f"{row['title']} ({n + 1})", position=n + 1)

    records["context_item"] = _grow(records["context_item"], "context_item", CONTEXT_ITEMS, vary_item)
    _capabilities(records, rng)
    _survey(records, rng)
    _workforce(records)
    _initiatives(records)
    return document


def add_large_plan(session: Session, name: str = "Large plan") -> int:
    """Insert the large plan, with a snapshot of it as the daily rule takes of a plan in use, in the caller's
    transaction; return its id."""
    plan_id = insert_document(session, large_document(), name=name)
    snapshots.take_snapshot(session, owner(), plan_id, "Daily snapshot", kind="daily")
    return plan_id

"""Plan exports for people and tools outside the planner (DESIGN §4; more formats arrive with issue 7).

Exports keep the culture diagnostic's anonymity (issue 3): in each survey round, the answers of every
group the results page withholds (fewer than MIN_GROUP, and the complementary groups) carry the group
"withheld" instead of their own, imported tallies of those groups are merged, and no participant key
leaves the database (each response is known by its ref). An export read back in and exported again
gives the same document.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlmodel import Session

from planner import workforce
from planner.access import Access, Role
from planner.culture import WITHHELD, withheld_groups
from planner.document import plan_document

FORMATS = ("json",)
Record = dict[str, Any]


def json_document(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    """The whole plan (DESIGN §4), survey answers anonymised, plus a top-level `workforce` list."""
    access.require(Role.VIEWER, plan_id)
    document = plan_document(session, plan_id)
    document["records"] = anonymised(document["records"])
    # A reader-friendly copy of the workforce records: tier names instead of refs, Whole workforce included.
    document["workforce"] = workforce.export_rows(session, plan_id)
    return document


def json_text(document: dict[str, Any]) -> str:
    """The document as the plan file's text: UTF-8 JSON, stable key order, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def anonymised(records: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """The plan document's records with small survey groups withheld and participant keys dropped."""
    hidden = _withheld_groups(records)

    def group(record: Record) -> str:
        return WITHHELD if (record["round_id"], record["group_key"]) in hidden else record["group_key"]

    responses = [{**r, "participant_hash": r["ref"], "group_key": group(r)} for r in records["survey_response"]]
    comments = [{**c, "group_key": group(c) if c["group_key"] else ""} for c in records["survey_comment"]]
    tallies = _merged_tallies([{**t, "group_key": group(t)} for t in records["survey_tally"]])
    return records | {"survey_response": responses, "survey_comment": comments, "survey_tally": tallies}


def _group_sizes(records: dict[str, list[Record]]) -> dict[str, dict[str, int]]:
    """Round ref → group → people: votes, plus for tallies the largest count over the elements (as results do)."""
    sizes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for response in records["survey_response"]:
        sizes[response["round_id"]][response["group_key"]] += 1
    tally_sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for tally in records["survey_tally"]:
        tally_sums[(tally["round_id"], tally["group_key"], tally["element_id"])] += tally["count"]
    largest: dict[tuple[str, str], int] = defaultdict(int)
    for (round_ref, group, _element), count in tally_sums.items():
        largest[(round_ref, group)] = max(largest[(round_ref, group)], count)
    for (round_ref, group), count in largest.items():
        sizes[round_ref][group] += count
    return sizes


def _withheld_groups(records: dict[str, list[Record]]) -> set[tuple[str, str]]:
    hidden = set()
    for round_ref, sizes in _group_sizes(records).items():
        hidden |= {(round_ref, group) for group in withheld_groups(sizes)}
    return hidden


def _merged_tallies(tallies: list[Record]) -> list[Record]:
    """One tally per round, element, group and score (relabelling can make two), refs renumbered in order."""
    merged: dict[tuple[str, str, str, int], Record] = {}
    for tally in tallies:
        key = (tally["round_id"], tally["element_id"], tally["group_key"], tally["score"])
        if key in merged:
            merged[key] = {**merged[key], "count": merged[key]["count"] + tally["count"]}
        else:
            merged[key] = tally
    return [{**tally, "ref": f"survey_tally-{n}"} for n, tally in enumerate(merged.values(), start=1)]

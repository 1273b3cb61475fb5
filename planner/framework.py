"""The collective-leadership framework shipped in seed_data/framework.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.document import FORMAT_VERSION
from planner.settings import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "seed_data"


@dataclass(frozen=True)
class PageGuide:
    """What a page is for, in the framework's words, and what to do when it is empty."""

    title: str
    phase: str
    guidance: str
    deck_quote: str
    empty: str


def read_seed(name: str) -> Any:
    """Parse one JSON file from seed_data/."""
    return json.loads(Path(SEED_DIR, name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def framework() -> dict[str, Any]:
    """The framework content (read once; it ships with the code and never changes at run time)."""
    return read_seed("framework.json")


def page_guide(page: str) -> PageGuide:
    """Guidance for one page key (home, context, culture, …)."""
    return PageGuide(**framework()["pages"][page])


def names(section: str) -> dict[str, str]:
    """Key → display name for a framework list such as survey_groups or modes."""
    return {item["key"]: item["name"] for item in framework()[section]}


def level_names() -> dict[int, str]:
    """Capability level value → name (1 Essential … 4 Exemplary)."""
    return {level["value"]: level["name"] for level in framework()["levels"]}


def framework_document(name: str = "New leadership strategy") -> dict[str, Any]:
    """A blank plan document holding only the framework: elements, questions, tiers, capabilities."""
    content = framework()
    records: dict[str, list[dict[str, Any]]] = {}
    element_fields = ("key", "name", "summary", "guidance", "optional")
    _append(records, "cultural_element", [{**_pick(e, *element_fields), "enabled": True} for e in content["elements"]])
    for n, element in enumerate(content["elements"], start=1):
        _append(
            records, "element_question", [{**q, "element_id": f"cultural_element-{n}"} for q in element["questions"]]
        )
    _append(records, "leadership_tier", [_pick(t, "key", "name", "description") for t in content["tiers"]])
    tier_refs = {t["key"]: f"leadership_tier-{n}" for n, t in enumerate(content["tiers"], start=1)}
    bands = [{"band": b["band"], "tier_id": tier_refs[b["tier"]]} for b in content["band_mapping"]]
    _append(records, "band_mapping", bands, positioned=False)
    capability_fields = ("key", "name", "description", "kind", "source")
    _append(records, "capability", [_pick(c, *capability_fields) for c in content["capabilities"]])
    return {"format_version": FORMAT_VERSION, "plan": {"name": name}, "records": records}


def _pick(item: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {field: item[field] for field in fields}


def _append(
    records: dict[str, list[dict[str, Any]]], table: str, rows: list[dict[str, Any]], positioned: bool = True
) -> None:
    """Add rows to a document table, numbering refs across the table and positions within this batch."""
    existing = records.setdefault(table, [])
    for position, row in enumerate(rows, start=1):
        extra = {"position": position} if positioned else {}
        existing.append({"ref": f"{table}-{len(existing) + 1}", **extra, **row})

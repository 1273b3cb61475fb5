"""Strategic context: intelligence on strategy, vision, mission, challenges and opportunities; the narrative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from planner import records
from planner.access import Access, Role
from planner.db import bump_revision, versioned_update
from planner.framework import framework, names
from planner.history import record_event
from planner.models import ContextItem, CulturalElement, Plan
from planner.plans import PlanNotFound
from planner.validation import InvalidInput, choice, limited_text, required_text

PRIORITIES = {"high": "High", "medium": "Medium", "low": "Low"}
EDITABLE = ("category", "title", "detail", "implication", "source", "priority", "element_keys")
COLUMNS = ["id", "version", "position", *EDITABLE]
TEXT_LIMITS = {
    "detail": ("Detail", 5000),
    "implication": ("Implication for leadership", 5000),
    "source": ("Source", 500),
}
NARRATIVE_LIMIT = 20_000


@dataclass(frozen=True)
class NarrativeView:
    """The plan's strategic narrative, the version it was read at, and its length in words."""

    text: str
    version: int
    words: int


def categories() -> dict[str, str]:
    """Context category key → name, in the framework's order."""
    return names("context_categories")


def category_prompts() -> dict[str, str]:
    """Context category key → the framework's question for that heading."""
    return {category["key"]: category["prompt"] for category in framework()["context_categories"]}


def word_count(text: str) -> int:
    """Words in a text: runs of non-space characters."""
    return len(text.split())


def elements(session: Session, access: Access, plan_id: int) -> dict[str, str]:
    """The plan's cultural elements, key → name, in the plan's order."""
    access.require(Role.VIEWER, plan_id)
    query = (
        select(CulturalElement.key, CulturalElement.name)
        .where(CulturalElement.plan_id == plan_id)
        .order_by(CulturalElement.position, CulturalElement.id)
    )
    return dict(session.execute(query).all())


def list_items(
    session: Session, access: Access, plan_id: int, category: str | None = None, element_key: str | None = None
) -> pd.DataFrame:
    """The plan's context items (with id and version), optionally only one category or element."""
    access.require(Role.VIEWER, plan_id)
    columns = [getattr(ContextItem, name) for name in COLUMNS]
    query = select(*columns).where(ContextItem.plan_id == plan_id).order_by(ContextItem.position, ContextItem.id)
    return filtered(pd.DataFrame(session.execute(query).all(), columns=COLUMNS), category, element_key)


def filtered(items: pd.DataFrame, category: str | None = None, element_key: str | None = None) -> pd.DataFrame:
    """The items of one category and/or bearing on one element (None: no filter), renumbered from 0."""
    keep = pd.Series(True, index=items.index)
    if category:
        keep &= items["category"] == category
    if element_key:
        keep &= items["element_keys"].map(lambda keys: element_key in (keys or []))
    return items[keep].reset_index(drop=True)


def _clean(session: Session, plan_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Validated values for the given fields; InvalidInput names the first problem."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Context items have no field(s) {', '.join(sorted(unknown))}.")
    clean = {name: limited_text(fields[name], *TEXT_LIMITS[name]) for name in TEXT_LIMITS if name in fields}
    if "title" in fields:
        clean["title"] = required_text(fields["title"], "Title", 200)
    if "category" in fields:
        clean["category"] = choice(fields["category"], categories(), "Category")
    if "priority" in fields:
        clean["priority"] = choice(fields["priority"], PRIORITIES, "Priority")
    if "element_keys" in fields:
        clean["element_keys"] = element_keys(session, plan_id, fields["element_keys"])
    return clean


def element_keys(session: Session, plan_id: int, keys: Any) -> list[str]:
    """The plan's element keys among `keys`, in the plan's order; InvalidInput for strangers."""
    if isinstance(keys, str) or not isinstance(keys, list | tuple | set):
        raise InvalidInput("Cultural elements must be given as a list.")
    query = select(CulturalElement.key).where(CulturalElement.plan_id == plan_id)
    known = session.execute(query.order_by(CulturalElement.position, CulturalElement.id)).scalars().all()
    strangers = [str(key) for key in keys if key not in known]
    if strangers:
        raise InvalidInput(f"Cultural element(s) {', '.join(strangers)} are not part of this plan.")
    return [key for key in known if key in keys]  # the plan's order, without duplicates


def add_item(session: Session, access: Access, plan_id: int, **fields: Any) -> int:
    """Add a context item (category and title required); return its id."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean(session, plan_id, fields)
    for required in ("category", "title"):
        if required not in clean:
            raise InvalidInput(f"{required.capitalize()} is required.")
    last = select(func.coalesce(func.max(ContextItem.position), 0)).where(ContextItem.plan_id == plan_id)
    clean["position"] = session.execute(last).scalar_one() + 1
    return records.add(session, access, ContextItem, plan_id, clean)


def update_item(session: Session, access: Access, plan_id: int, item_id: int, seen_version: int, **changes: Any) -> int:
    """Change a context item if nobody else has since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = _clean(session, plan_id, changes)
    if not clean:
        return seen_version
    return records.update(session, access, ContextItem, item_id, seen_version, clean, plan_id)


def delete_item(session: Session, access: Access, plan_id: int, item_id: int, seen_version: int) -> None:
    """Delete a context item if nobody has changed it since `seen_version`."""
    records.remove(session, access, ContextItem, item_id, seen_version, plan_id)


def narrative(session: Session, access: Access, plan_id: int) -> NarrativeView:
    """The plan's strategic narrative with its version and word count."""
    access.require(Role.VIEWER, plan_id)
    found = session.execute(select(Plan.narrative, Plan.version).where(Plan.id == plan_id)).first()
    if found is None:
        raise PlanNotFound(f"There is no plan {plan_id}. It may have been deleted.")
    return NarrativeView(found.narrative, found.version, word_count(found.narrative))


def save_narrative(session: Session, access: Access, plan_id: int, seen_version: int, text: str) -> int:
    """Store the plan's strategic narrative unless the plan changed since `seen_version`; return the new version."""
    access.require(Role.EDITOR, plan_id)
    clean = limited_text(text, "The strategic narrative", NARRATIVE_LIMIT)
    before = narrative(session, access, plan_id).text
    version = versioned_update(session, Plan, plan_id, seen_version, {"narrative": clean})
    bump_revision(session, plan_id)
    record_event(
        session,
        access,
        "plan.narrative",
        plan_id=plan_id,
        entity="plan",
        entity_id=plan_id,
        before={"narrative": before},
        after={"narrative": clean},
    )
    return version

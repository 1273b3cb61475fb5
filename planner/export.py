"""Plan exports for people and tools outside the planner (DESIGN §4; more formats arrive with issue 7)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from planner import workforce
from planner.access import Access, Role
from planner.document import plan_document

FORMATS = ("json",)


def json_document(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    """The whole plan (DESIGN §4) plus a top-level `workforce` list of {tier, dimension, category, count}."""
    access.require(Role.VIEWER, plan_id)
    document = plan_document(session, plan_id)
    # A reader-friendly copy of the workforce records: tier names instead of refs, Whole workforce included.
    document["workforce"] = workforce.export_rows(session, plan_id)
    return document


def json_text(document: dict[str, Any]) -> str:
    """The document as the plan file's text: UTF-8 JSON, stable key order, one trailing newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

"""Importing a plan file (an export from this or another host) as a new plan, checked whole before anything is kept."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session

from planner.access import Access, Role
from planner.document import FORMAT_VERSION, DocumentError, insert_document
from planner.history import record_event
from planner.snapshots import TITLES
from planner.validation import required_text

MAX_BYTES = 50 * 2**20  # the hosted upload limit (.streamlit/config.toml, deploy/nginx.conf)
Document = dict[str, Any]


class PlanFileError(DocumentError):
    """A file that is not a plan file this planner can read; the message says why."""


@dataclass(frozen=True)
class PlanFilePreview:
    """What importing a file will create: the plan's name and how many records of each kind."""

    name: str
    organisation: str
    format_version: int
    counts: pd.DataFrame  # Section, Records

    @property
    def total(self) -> int:
        """All records in the file."""
        return int(self.counts["Records"].sum())


def read_plan_file(data: bytes) -> Document:
    """Parse a plan file's bytes: UTF-8 JSON with a plan, records and a format_version this planner reads."""
    if len(data) > MAX_BYTES:
        raise PlanFileError(f"The file is {len(data) / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanFileError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read); is it a plan file?"
        ) from error
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise PlanFileError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    except (ValueError, RecursionError) as error:
        raise PlanFileError(f"The file is not valid JSON: {error}.") from error
    _check_version(document)
    return document


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _check_version(document: Any) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
        raise PlanFileError("Not a plan file: expected a JSON object with 'format_version', 'plan' and 'records'.")
    version = document.get("format_version")
    if version is None:
        raise PlanFileError("The file has no format_version, so it is not a plan file exported by the planner.")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PlanFileError(f"The file's format_version must be a whole number, not {version!r}.")
    if version > FORMAT_VERSION:
        raise PlanFileError(
            f"This plan file has format version {version}, newer than this planner reads ({FORMAT_VERSION}). "
            "Update the planner, then import the file again."
        )
    if version != FORMAT_VERSION:
        raise PlanFileError(f"Unsupported plan file format version {version}: this planner reads {FORMAT_VERSION}.")


def preview(document: Document) -> PlanFilePreview:
    """What a parsed plan file holds, for the user to confirm (its records are checked only on import)."""
    plan = document["plan"]
    records = document.get("records") if isinstance(document.get("records"), dict) else {}
    counts = [
        (TITLES.get(table, table.replace("_", " ").capitalize()), len(rows))
        for table, rows in records.items()
        if isinstance(rows, list) and rows
    ]
    return PlanFilePreview(
        name=str(plan.get("name") or ""),
        organisation=str(plan.get("organisation") or ""),
        format_version=document["format_version"],
        counts=pd.DataFrame(counts, columns=["Section", "Records"]),
    )


def import_document(session: Session, access: Access, document: Document, name: str = "") -> int:
    """Insert a parsed plan file as a new plan (optionally renamed) in the caller's transaction; return its id."""
    access.require(Role.OWNER)
    _check_version(document)
    renamed = {"name": required_text(name, "Name of the new plan", 120)} if name.strip() else {}
    plan_id = insert_document(session, document, origin="import", **renamed)
    after = {"name": renamed.get("name", document["plan"].get("name")), "records": preview(document).total}
    record_event(session, access, "plan.import", plan_id=plan_id, entity="plan", entity_id=plan_id, after=after)
    return plan_id


def import_plan(session: Session, access: Access, data: bytes) -> int:
    """Read a plan file and insert it as a new plan; return its id. A bad file raises DocumentError, nothing kept."""
    access.require(Role.OWNER)
    return import_document(session, access, read_plan_file(data))

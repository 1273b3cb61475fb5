"""Plan exports for people and tools outside the planner (DESIGN §4, issue 7): JSON, Excel, Markdown, PDF, PowerPoint.

Exports keep the culture diagnostic's anonymity (issue 3): in each survey round, the answers of every
group the results page withholds (fewer than MIN_GROUP, and the complementary groups) carry the group
"withheld" instead of their own, imported tallies of those groups are merged, and no participant key
leaves the database (each response is known by its ref). An export read back in and exported again
gives the same document.

The other formats show the plan as people read it: `contents` reads it once (culture only through
`culture.results`, so only the means, group means and group sizes that the results page shows, of
rounds with at least MIN_GROUP responses; never comments or single answers), and each format lays
those contents out. Spreadsheet cells never hold a formula that came from user text; the PDF uses
DejaVu Sans (or Liberation Sans) when installed, else core fonts with text made Latin-1.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import secrets
import struct
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from pptx import Presentation
from pptx.util import Emu, Inches, Pt
from sqlmodel import Session

from planner import (
    capabilities,
    chart_images,
    charts,
    context,
    culture,
    initiatives,
    means,
    plans,
    priorities,
    renderer,
    traceability,
    workforce,
)
from planner.access import Access, Role
from planner.culture import WITHHELD, withheld_groups
from planner.document import plan_document
from planner.progress import PHASES

FORMATS = ("json", "xlsx", "pdf", "pptx", "md")
FORMAT_NAMES = {
    "pdf": "PDF board pack",
    "pptx": "PowerPoint",
    "xlsx": "Excel",
    "md": "Markdown",
    "json": "JSON plan file",
}
MEDIA_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "md": "text/markdown",
}
SUMMARY = "Summary"
HEADINGS = (SUMMARY, *PHASES)
Record = dict[str, Any]
Progress = Callable[[float, str], None]


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


# --- Any format -------------------------------------------------------------------------------


def export_bytes(session: Session, access: Access, plan_id: int, fmt: str, progress: Progress | None = None) -> bytes:
    """The plan as a file in one of FORMATS."""
    if fmt == "json":
        return json_text(json_document(session, access, plan_id)).encode("utf-8")
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    report = progress or _quiet
    found = contents(session, access, plan_id, _part(report, 0.0, GATHERING[fmt]))
    return document_bytes(found, fmt, _part(report, GATHERING[fmt], 1.0))


def document_bytes(found: Contents, fmt: str, progress: Progress | None = None) -> bytes:
    """Plan contents laid out as xlsx, pdf, pptx or md (JSON comes from the plan document instead)."""
    layouts: dict[str, Callable[[Contents, Progress], bytes]] = {
        "xlsx": workbook_bytes,
        "pdf": board_pack_bytes,
        "pptx": deck_bytes,
        "md": lambda found, _report: markdown_of(found).encode("utf-8"),
    }
    data = layouts[fmt](found, progress or _quiet)
    (progress or _quiet)(1.0, "Done")
    return data


def file_name(plan_name: str, fmt: str, day: date | None = None) -> str:
    """A download name such as northshire-leadership-strategy-2026-11-26.pdf."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", plan_name) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", letters.lower()).strip("-")[:60].strip("-") or "plan"
    return f"{slug}-{(day or date.today()).isoformat()}.{fmt}"


def xlsx_bytes(session: Session, access: Access, plan_id: int, progress: Progress | None = None) -> bytes:
    """The plan as an Excel workbook: one sheet per table, header rows frozen, values typed, no formulas."""
    return export_bytes(session, access, plan_id, "xlsx", progress)


def markdown_text(session: Session, access: Access, plan_id: int, progress: Progress | None = None) -> str:
    """The whole plan as readable Markdown: a heading per phase, its tables as Markdown tables."""
    return export_bytes(session, access, plan_id, "md", progress).decode("utf-8")


def pdf_bytes(session: Session, access: Access, plan_id: int, progress: Progress | None = None) -> bytes:
    """The board pack as PDF: cover, summary, a section per phase with its charts and key tables."""
    return export_bytes(session, access, plan_id, "pdf", progress)


def pptx_bytes(session: Session, access: Access, plan_id: int, progress: Progress | None = None) -> bytes:
    """The board pack as PowerPoint: title, summary and phase slides with charts and editable tables."""
    return export_bytes(session, access, plan_id, "pptx", progress)


GATHERING = {"xlsx": 0.8, "md": 0.8, "pdf": 0.2, "pptx": 0.2}  # share of the work spent reading the plan


def _quiet(_fraction: float, _message: str) -> None:
    return None


def _part(report: Progress, low: float, high: float) -> Progress:
    """A progress callback for one stage, mapping its 0–1 onto low–high of the whole."""
    return lambda fraction, message: report(low + (high - low) * min(max(fraction, 0.0), 1.0), message)


# --- Contents: what the document formats show ------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Paragraphs under a heading."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: headings, rows of plain typed values, column formats, and which columns the board pack shows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    formats: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # the workbook sheet; None: not in the workbook
    pack: tuple[str, ...] | None = None  # the columns the PDF and slides show; None: not in them
    note: str = ""
    listed: bool = True  # False: only in the workbook (the Markdown shows the same content elsewhere)

    def select(self, columns: Iterable[str]) -> Table:
        """The same table with only the given columns."""
        keep = [self.columns.index(name) for name in columns]
        rows = tuple(tuple(row[i] for i in keep) for row in self.rows)
        return Table(self.title, tuple(self.columns[i] for i in keep), rows, self.formats, note=self.note)


@dataclass(frozen=True, eq=False)
class Figure:
    """A chart, drawn as a picture in the PDF and the slides."""

    title: str
    chart: charts.Chart


Block = Text | Table | Figure


@dataclass(frozen=True)
class Section:
    """One part of the document: Summary, Discovery, Design or Development."""

    heading: str
    blocks: tuple[Block, ...]

    @property
    def figures(self) -> list[Figure]:
        """The section's charts, in order."""
        return [block for block in self.blocks if isinstance(block, Figure)]


@dataclass(frozen=True)
class Contents:
    """Everything the document formats show of one plan, read at one moment."""

    plan: plans.PlanView
    made_on: date
    headlines: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]

    @property
    def figures(self) -> list[Figure]:
        """Every chart in the document, in order."""
        return [figure for section in self.sections for figure in section.figures]

    @property
    def tables(self) -> list[Table]:
        """Every table in the document, in order."""
        return [block for section in self.sections for block in section.blocks if isinstance(block, Table)]

    def stamp(self) -> str:
        """The line every page carries: when it was made and from which plan version."""
        return f"Exported {self.made_on:%d %b %Y} · plan version {self.plan.revision}"


@dataclass(frozen=True, eq=False)
class Reads:
    """The plan as the read functions return it; culture only from results of rounds large enough to report."""

    plan: plans.PlanView
    today: date
    narrative: str
    elements: dict[str, str]
    tiers: dict[str, str]
    items: pd.DataFrame
    rounds: list[tuple[culture.RoundView, culture.CultureResults]]
    unreported: int
    cells: pd.DataFrame
    gaps: pd.DataFrame
    counts: pd.DataFrame
    heads: workforce.Headcounts
    mix: pd.DataFrame
    wres: pd.DataFrame
    qualities: pd.DataFrame
    priority_rows: pd.DataFrame
    objectives: pd.DataFrame
    means_rows: pd.DataFrame
    coverage: means.Coverage
    totals: means.Totals
    portfolio: pd.DataFrame
    check_ins: pd.DataFrame
    chains: pd.DataFrame
    budget: traceability.Budget


def contents(
    session: Session, access: Access, plan_id: int, progress: Progress | None = None, today: date | None = None
) -> Contents:
    """Read the plan once and arrange it as the Summary and the three phases."""
    report = progress or _quiet
    report(0.0, "Reading the plan…")
    found = read_plan(session, access, plan_id, today or date.today(), report)
    headlines = tuple(_headlines(found))
    sections = (_summary(found, headlines), _discovery(found), _design(found), _development(found))
    report(1.0, "Plan read")
    return Contents(found.plan, found.today, headlines, sections)


def read_plan(session: Session, access: Access, plan_id: int, today: date, progress: Progress) -> Reads:
    """Everything the exports show, read through the planner's read functions (each checks access)."""
    access.require(Role.VIEWER, plan_id)  # before get_plan, which lets a participant see the plan's name
    plan = plans.get_plan(session, access, plan_id, with_progress=True)
    progress(0.1, "Reading Discovery…")
    values = _discovery_reads(session, access, plan_id)
    progress(0.5, "Reading Design…")
    values |= _design_reads(session, access, plan_id)
    progress(0.7, "Reading Development…")
    values |= _development_reads(session, access, plan_id, today)
    return Reads(plan=plan, today=today, **values)


def _discovery_reads(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    cells = capabilities.filtered(capabilities.consensus(capabilities.rating_table(session, access, plan_id)))
    rounds = _reported_rounds(session, access, plan_id)
    return {
        "narrative": context.narrative(session, access, plan_id).text,
        "elements": context.elements(session, access, plan_id),
        "tiers": means.tiers(session, access, plan_id),
        "items": context.list_items(session, access, plan_id),
        "rounds": rounds,
        "unreported": len(culture.list_rounds(session, access, plan_id)) - len(rounds),
        "cells": cells,
        "gaps": capabilities.roll_up(cells),
        "counts": workforce.counts(session, access, plan_id),
        "heads": workforce.headcounts(session, access, plan_id),
        "mix": workforce.staff_mix(session, access, plan_id),
        "wres": workforce.representation(session, access, plan_id, "ethnicity", "BME"),
        "qualities": workforce.qualities(session, access, plan_id),
    }


def _reported_rounds(
    session: Session, access: Access, plan_id: int
) -> list[tuple[culture.RoundView, culture.CultureResults]]:
    """Rounds, oldest first, with their results, leaving out those with fewer than MIN_GROUP responses."""
    found = [
        (r, culture.results(session, access, plan_id, r.id)) for r in culture.list_rounds(session, access, plan_id)
    ]
    return [(r, result) for r, result in found if not result.suppressed_total]


def _design_reads(session: Session, access: Access, plan_id: int) -> dict[str, Any]:
    return {
        "priority_rows": priorities.list_priorities(session, access, plan_id),
        "objectives": priorities.list_objectives(session, access, plan_id),
        "means_rows": means.list_means(session, access, plan_id),
        "coverage": means.coverage(session, access, plan_id),
        "totals": means.totals(session, access, plan_id),
    }


def _development_reads(session: Session, access: Access, plan_id: int, today: date) -> dict[str, Any]:
    portfolio = initiatives.portfolio(session, access, plan_id, today)
    order = {initiative_id: n for n, initiative_id in enumerate(portfolio["id"])}
    every = initiatives.check_ins(session, access, plan_id)  # one query, then grouped as the portfolio lists them
    check_ins = every.iloc[every["initiative_id"].map(order).argsort(kind="stable")].reset_index(drop=True)
    return {
        "portfolio": portfolio,
        "check_ins": check_ins,
        "chains": traceability.chains(session, access, plan_id),
        "budget": traceability.budget(session, access, plan_id),
    }


# --- Values --------------------------------------------------------------------------------------

# Column formats: how numbers read in text (Python format) and in Excel (number format).
TEXT_FORMATS = {
    "int": "{:,.0f}",
    "money": "£{:,.0f}",
    "mean": "{:.2f}",
    "level": "{:.1f}",
    "percent": "{:.1%}",
    "signed": "{:+.1f}",
}
EXCEL_FORMATS = {
    "int": "#,##0",
    "money": '"£"#,##0',
    "mean": "0.00",
    "level": "0.0",
    "percent": "0.0%",
    "signed": "+0.0;-0.0;0.0",
}


def plain(value: Any) -> Any:
    """A cell value as plain Python: None for missing, lists joined, numpy scalars and timestamps unwrapped."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if value is None or (not isinstance(value, str | date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)  # spreadsheets have no time zones
    return value.item() if hasattr(value, "item") else value


def text_of(value: Any, kind: str = "") -> str:
    """A value as the PDF, slides and Markdown show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, int | float) and kind in TEXT_FORMATS:
        return "–" if isinstance(value, float) and math.isnan(value) else TEXT_FORMATS[kind].format(value)
    return str(value)


def _table(title: str, frame: pd.DataFrame, columns: dict[str, str], **options: Any) -> Table:
    """A Table of the frame's columns (frame column → heading, in order), values made plain."""
    rows = tuple(tuple(plain(v) for v in row) for row in frame[list(columns)].itertuples(index=False, name=None))
    return Table(title, tuple(columns.values()), rows, **options)


def _names(keys: Any, lookup: dict[str, str]) -> str:
    return ", ".join(lookup.get(key, key) for key in (keys or []))


def _date(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def paragraphs(text: str) -> tuple[str, ...]:
    """Text split into paragraphs at blank lines, each paragraph's lines kept."""
    return tuple(part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip())


# --- Summary ------------------------------------------------------------------------------------


def _summary(r: Reads, headlines: tuple[tuple[str, str], ...]) -> Section:
    blocks: list[Block] = [_plan_table(r)]
    if r.plan.description:
        blocks.append(Text("About this plan", paragraphs(r.plan.description)))
    headline = Table("Headline figures", ("Figure", "Value"), headlines, sheet="Summary", pack=("Figure", "Value"))
    blocks += [headline, _top_gaps(r.gaps), _status_counts(r.portfolio), _uncovered(r.coverage), _completeness(r.plan)]
    return Section(SUMMARY, tuple(blocks))


def _plan_table(r: Reads) -> Table:
    plan = r.plan
    rows = (
        ("Name", plan.name),
        ("Organisation", plan.organisation),
        ("Sector", plan.sector),
        ("Horizon start", plan.horizon_start),
        ("Horizon end", plan.horizon_end),
        ("Plan version", plan.revision),
        ("Last changed", plain(plan.updated_at)),
        ("Exported on", r.today),
        ("Description", plan.description),
        ("Strategic narrative", r.narrative),
    )
    return Table("Plan", ("Field", "Value"), rows, sheet="Plan", listed=False)


def _headlines(r: Reads) -> list[tuple[str, str]]:
    """The figures a board member reads first, as sentences."""
    spent = f"£{r.budget.budget:,} in initiatives, against £{r.budget.estimate:,} estimated for the means"
    uncovered = int(((r.coverage.rows["kind"] == "priority") & (r.coverage.rows["status"] == "none")).sum())
    done = "; ".join(
        f"{phase} {sum(ok for _, ok in parts)} of {len(parts)}" for phase, parts in r.plan.progress.items()
    )
    return [
        ("Culture index", _culture_headline(r.rounds)),
        ("Largest capability gaps", _gaps_headline(r.gaps)),
        ("BME share on the board", _board_headline(r.wres)),
        ("Initiatives", _status_headline(r.portfolio)),
        ("Budget committed", spent),
        ("Priorities", f"{len(r.priority_rows)} priorities; {uncovered} not yet covered by any means"),
        ("Plan completeness", done or "–"),
    ]


def culture_index(result: culture.CultureResults) -> float:
    """The mean of the element means (1–5) of a round's results; NaN when nothing was rated."""
    values = result.means["mean"].dropna()
    return float(values.mean()) if not values.empty else math.nan


def _culture_headline(rounds: list[tuple[culture.RoundView, culture.CultureResults]]) -> str:
    if not rounds:
        return f"No survey round with at least {culture.MIN_GROUP} responses yet"
    (latest, result), index = rounds[-1], culture_index(rounds[-1][1])
    text = f"{index:.2f} of 5 in {latest.name} ({result.total_responses} responses)"
    if len(rounds) > 1:
        previous = culture_index(rounds[-2][1])
        text += f"; {index - previous:+.2f} since {rounds[-2][0].name}"
    return text


def _gaps_headline(gaps: pd.DataFrame) -> str:
    if gaps.empty:
        return "No capability rated on both levels yet"
    return "; ".join(f"{row.capability} ({row.gap:+.1f})" for row in gaps.head(5).itertuples())


def _board_headline(wres: pd.DataFrame) -> str:
    if wres.empty or pd.isna(wres.iloc[0]["share"]):
        return "No ethnicity counts for the board yet"
    board = wres.iloc[0]
    if pd.isna(board["workforce_share"]):
        return f"{board['share']:.1%} on the {board['tier'].lower()}; no whole-workforce figure to compare"
    shares = f"{board['share']:.1%} on the {board['tier'].lower()} vs {board['workforce_share']:.1%} of the workforce"
    return f"{shares} ({board['difference_pp']:+.1f} pp)"


def _status_headline(portfolio: pd.DataFrame) -> str:
    if portfolio.empty:
        return "No initiatives yet"
    found = portfolio["status_label"].value_counts()
    parts = [f"{int(found[label])} {label.lower()}" for label in charts.STATUS_COLOURS if label in found]
    return f"{len(portfolio)}: " + ", ".join(parts)


def _top_gaps(gaps: pd.DataFrame) -> Table:
    columns = {"rank": "Rank", "capability": "Capability", "current": "Current", "required": "Required", "gap": "Gap"}
    formats = {"Current": "level", "Required": "level", "Gap": "signed"}
    return _table("Five largest capability gaps", gaps.head(5), columns, formats=formats, pack=tuple(columns.values()))


def _status_counts(portfolio: pd.DataFrame) -> Table:
    found = portfolio["status_label"].value_counts()
    rows = tuple((label, int(found.get(label, 0))) for label in charts.STATUS_COLOURS)
    return Table("Initiatives by status", ("Status", "Initiatives"), rows, pack=("Status", "Initiatives"))


def _uncovered(coverage: means.Coverage) -> Table:
    rows = means.uncovered_rows(coverage)
    columns = {"label": "Priority or element", "reason": "Why it is flagged"}
    return _table("Not yet covered by any means", rows, columns, pack=tuple(columns.values()))


def _completeness(plan: plans.PlanView) -> Table:
    rows = tuple((phase, part.capitalize(), done) for phase, parts in plan.progress.items() for part, done in parts)
    return Table(
        "Plan completeness", ("Phase", "Part", "Done"), rows, sheet="Completeness", pack=("Phase", "Part", "Done")
    )


# --- Discovery ------------------------------------------------------------------------------------


def _discovery(r: Reads) -> Section:
    blocks: list[Block] = []
    if r.narrative.strip():
        blocks.append(Text("Strategic narrative", paragraphs(r.narrative)))
    blocks.append(_context_table(r))
    blocks += _culture_blocks(r)
    blocks += _capability_blocks(r)
    blocks += _workforce_blocks(r)
    return Section("Discovery", tuple(blocks))


def _context_table(r: Reads) -> Table:
    items = r.items.assign(
        category=r.items["category"].map(lambda key: context.categories().get(key, key)),
        priority=r.items["priority"].map(lambda key: context.PRIORITIES.get(key, key)),
        element_keys=r.items["element_keys"].map(lambda keys: _names(keys, r.elements)),
    )
    columns = {
        "category": "Category",
        "title": "Title",
        "detail": "Detail",
        "implication": "Implication for leadership",
        "source": "Source",
        "priority": "Priority",
        "element_keys": "Cultural elements",
    }
    pack = ("Category", "Title", "Priority", "Implication for leadership")
    return _table("Strategic context", items, columns, sheet="Context", pack=pack)


def _culture_blocks(r: Reads) -> list[Block]:
    tables: list[Block] = [_culture_means(r.rounds), _culture_groups(r.rounds), _culture_group_means(r.rounds)]
    if not r.rounds:
        none_yet = f"No survey round has {culture.MIN_GROUP} or more responses yet."
        return [Text("Culture diagnostic", (none_yet,)), *tables]
    latest, result = r.rounds[-1]
    index = culture_index(result)
    intro = f"Latest round: {latest.name}, {result.total_responses} responses; culture index {index:.2f} of 5."
    skipped = f"{r.unreported} round(s) with fewer than {culture.MIN_GROUP} responses are not reported."
    blocks: list[Block] = [Text("Culture diagnostic", (intro, *([skipped] if r.unreported else []))), *tables]
    blocks.append(Figure("Ratings by cultural element", charts.element_profile(result.distribution, result.means)))
    if not result.group_means.empty:
        blocks.append(Figure("Mean score by group", charts.group_comparison(result.group_means)))
    return blocks


def _round_frame(rounds: list[tuple[culture.RoundView, culture.CultureResults]], part: str) -> pd.DataFrame:
    """One results frame (means, group_means) of every reported round, with the round's name and date."""
    frames = [getattr(result, part).assign(round=r.name, held_on=r.held_on) for r, result in rounds]
    columns = culture.MEANS_COLUMNS if part == "means" else culture.GROUP_MEANS_COLUMNS
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*columns, "round", "held_on"])


def _culture_means(rounds: list[tuple[culture.RoundView, culture.CultureResults]]) -> Table:
    frame = _round_frame(rounds, "means")
    columns = {"round": "Round", "held_on": "Date", "element": "Element", "mean": "Mean (1–5)", "n": "Ratings"}
    return _table("Element means by round", frame, columns, formats={"Mean (1–5)": "mean"}, sheet="Culture")


def _culture_groups(rounds: list[tuple[culture.RoundView, culture.CultureResults]]) -> Table:
    """Responses per shown group; the withheld groups only as one total, never by name."""
    rows = []
    for r, result in rounds:
        groups = result.responses_by_group
        shown = groups[groups["shown"] & (groups["responses"] > 0)]
        rows += [(r.name, row.group, int(row.responses)) for row in shown.itertuples()]
        withheld = int(groups.loc[~groups["shown"], "responses"].sum())
        if withheld:
            rows.append((r.name, f"{culture.OTHER_GROUP} (withheld)", withheld))
    columns = ("Round", "Group", "Responses")
    return Table("Responses by group", columns, tuple(rows), sheet="Culture groups", pack=columns)


def _culture_group_means(rounds: list[tuple[culture.RoundView, culture.CultureResults]]) -> Table:
    frame = _round_frame(rounds, "group_means")
    columns = {"round": "Round", "element": "Element", "group": "Group", "mean": "Mean (1–5)", "n": "Ratings"}
    return _table("Element means by group", frame, columns, formats={"Mean (1–5)": "mean"}, sheet="Culture by group")


CHART_CAPABILITIES = 20  # the gap chart and heatmap show the highest priorities; the table has them all


def _capability_blocks(r: Reads) -> list[Block]:
    if r.gaps.empty:
        text = Text("Capabilities", ("No capability has been rated on both required and current levels yet.",))
        return [text, _gap_table(r.gaps, pack=False)]
    top = r.gaps.head(CHART_CAPABILITIES)
    order = list(top["capability"])
    heatmap = charts.capability_heatmap(r.cells[r.cells["capability"].isin(order)], order)
    return [
        Figure("Capability gaps, highest priority first", charts.capability_gap_chart(top, capabilities.levels())),
        Figure("Capability gaps by tier", heatmap),
        _gap_table(r.gaps),
    ]


def _gap_table(gaps: pd.DataFrame, pack: bool = True) -> Table:
    frame = gaps.assign(kind=gaps["kind"].map(lambda key: capabilities.KINDS.get(key, key)))
    columns = {
        "rank": "Rank",
        "capability": "Capability",
        "kind": "Kind",
        "tiers": "Tiers rated",
        "current": "Current",
        "required": "Required",
        "gap": "Gap",
        "priority": "Priority score",
        "disagreements": "Disagreements",
    }
    formats = {"Current": "level", "Required": "level", "Gap": "signed", "Priority score": "level"}
    shown = ("Rank", "Capability", "Kind", "Current", "Required", "Gap", "Priority score") if pack else None
    return _table("Capability gaps", frame, columns, formats=formats, sheet="Capability gaps", pack=shown)


def _workforce_blocks(r: Reads) -> list[Block]:
    if r.counts.empty:
        tables = [_tier_table(r), _wres_table(r.wres), _counts_table(r.counts)]
        quiet = [dataclasses.replace(table, pack=None) for table in tables]  # all zeros: only in the workbook
        return [Text("Leadership workforce", ("No workforce counts yet.",)), *quiet, _qualities_table(r.qualities)]
    blocks: list[Block] = [_tier_table(r), _wres_table(r.wres)]
    if (r.counts["dimension"] == "ethnicity").any():
        blocks.append(Figure("Diversity mix: ethnicity", charts.diversity_mix(r.counts, "ethnicity", "BME")))
        blocks.append(Figure("BME representation by tier", charts.pipeline(r.wres)))
    return [*blocks, _counts_table(r.counts), _qualities_table(r.qualities)]


def _tier_table(r: Reads) -> Table:
    table = r.heads.by_tier.rename(columns={"leaders": "headcount"})
    if r.heads.workforce:
        whole = {"tier_key": workforce.WHOLE, "tier": workforce.WHOLE_NAME, "headcount": r.heads.workforce}
        table = pd.concat([table, pd.DataFrame([whole])], ignore_index=True)
    groups = [g for g in workforce.STAFF_GROUPS if g in r.mix.columns]
    table = table.merge(r.mix[["tier_key", *groups]], on="tier_key", how="left")
    columns = {"tier": "Tier", "headcount": "Headcount"} | {g: g for g in groups}
    formats = {"Headcount": "int"} | dict.fromkeys(groups, "percent")
    return _table("Leaders by tier and professional mix", table, columns, formats=formats, sheet="Leaders by tier",
                  pack=tuple(columns.values()))  # fmt: skip


def _wres_table(wres: pd.DataFrame) -> Table:
    columns = dict(workforce.WRES_COLUMNS)
    formats = {"BME": "int", "Ethnicity known": "int", "BME share": "percent", "Whole workforce": "percent"}
    formats |= {"Difference (pp)": "signed", "Relative representation": "mean"}
    note = "Shares among leaders whose ethnicity is known; the Board's difference is WRES indicator 9."
    title = "Ethnicity: representation by tier (WRES)"
    return _table(title, wres, columns, formats=formats, sheet="WRES", pack=tuple(columns.values()), note=note)


def _counts_table(counts: pd.DataFrame) -> Table:
    frame = counts.assign(dimension=counts["dimension"].map(lambda key: workforce.DIMENSION_NAMES.get(key, key)))
    columns = {"tier": "Tier", "dimension": "Dimension", "category": "Category", "count": "Count"}
    return _table("Workforce counts", frame, columns, formats={"Count": "int"}, sheet="Workforce")


def _qualities_table(qualities: pd.DataFrame) -> Table:
    columns = {"tier": "Tier", "name": "Quality", "description": "Description", "strength": "Strength (1–5)"}
    columns |= {"evidence": "Evidence"}
    pack = ("Tier", "Quality", "Strength (1–5)")
    return _table("Leadership qualities sought", qualities, columns, sheet="Qualities", pack=pack)


# --- Design ------------------------------------------------------------------------------------


def _design(r: Reads) -> Section:
    blocks: list[Block] = [_priority_table(r), _objective_table(r)]
    if not r.coverage.rows.empty:
        blocks.append(Figure("Coverage of priorities by means", charts.coverage_heatmap(r.coverage.matrix)))
    blocks += [_coverage_table(r.coverage), _means_table(r), _mode_table(r.totals)]
    return Section("Design", tuple(blocks))


def _priority_table(r: Reads) -> Table:
    levels = capabilities.levels()
    frame = r.priority_rows.assign(
        kind=r.priority_rows["kind"].map(
            lambda key: {**capabilities.KINDS, "element": "Cultural element"}.get(key, key)
        ),
        element_keys=r.priority_rows["element_keys"].map(lambda keys: _names(keys, r.elements)),
        target_level=r.priority_rows["target_level"].map(
            lambda level: None if pd.isna(level) else levels.get(int(level))
        ),
        target_date=r.priority_rows["target_date"].map(_date),
    )
    columns = {
        "rank": "Rank",
        "title": "Priority",
        "capability": "Capability",
        "kind": "Kind",
        "element_keys": "Cultural elements",
        "target_level": "Target level",
        "target_date": "Target date",
        "objectives": "Objectives",
        "rationale": "Rationale",
    }
    pack = ("Rank", "Priority", "Target level", "Target date", "Objectives")
    return _table("Priorities", frame, columns, sheet="Priorities", pack=pack)


def _objective_table(r: Reads) -> Table:
    o = r.objectives
    frame = o.assign(
        level=o["level"].map(lambda key: priorities.LEVELS.get(key, key)),
        status=o["status"].map(lambda key: priorities.STATUSES.get(key, key)),
        due=o["due"].map(_date),
        agreed_on=o["agreed_on"].map(_date),
        issues=o["issues"].map(lambda found: "; ".join(found)),
    )
    columns = {"title": "Objective", "priority": "Priority", "level": "Level", "tier": "Tier", "metric": "Metric"}
    columns |= {"baseline": "Baseline", "target": "Target", "due": "Due", "owner": "Owner", "status": "Status"}
    columns |= {"agreed_by": "Agreed by", "agreed_on": "Agreed on", "issues": "Issues"}
    pack = ("Objective", "Owner", "Due", "Status")
    return _table("Objectives", frame, columns, sheet="Objectives", pack=pack)


def _coverage_table(coverage: means.Coverage) -> Table:
    statuses = {"none": "Not covered", **means.STATUSES}
    rows = coverage.rows.assign(status=coverage.rows["status"].map(lambda key: statuses.get(key, key)))
    rows = rows.assign(kind=rows["kind"].map(lambda key: str(key).capitalize()))
    columns = {
        "label": "Priority or element",
        "kind": "Kind",
        "status": "Best means",
        "means": "Means",
        "reason": "Reason",
    }
    pack = ("Priority or element", "Best means", "Means", "Reason")
    return _table("Coverage by means", rows, columns, formats={"Means": "int"}, sheet="Coverage", pack=pack)


def _means_table(r: Reads) -> Table:
    titles = dict(zip(r.priority_rows["id"], r.priority_rows["title"], strict=True))
    m = r.means_rows
    frame = m.assign(
        mode=m["mode"].map(lambda key: means.modes().get(key, key)),
        status=m["status"].map(lambda key: means.STATUSES.get(key, key)),
        priority=m["priority_id"].map(lambda pid: titles.get(pid, "")),
        tier_keys=m["tier_keys"].map(lambda keys: _names(keys, r.tiers)),
    )
    columns = {"mode": "Mode", "approach": "Approach", "priority": "Priority", "status": "Status", "cost": "Cost"}
    columns |= {"lead_time_months": "Lead time (months)", "reach": "Leaders reached", "owner": "Owner"}
    columns |= {"tier_keys": "Tiers", "description": "Description"}
    formats = {"Cost": "money", "Leaders reached": "int"}
    pack = ("Mode", "Approach", "Status", "Cost", "Leaders reached")
    title = "Means to acquire, develop and sustain"
    return _table(title, frame, columns, formats=formats, sheet="Means", pack=pack)


def _mode_table(totals: means.Totals) -> Table:
    columns = {"name": "Mode", "means": "Means", "current": "Current", "planned": "Planned", "cost": "Cost"}
    columns |= {"reach": "Leaders reached"}
    formats = {"Cost": "money", "Leaders reached": "int"}
    title = "Estimated cost and reach by mode"
    return _table(title, totals.by_mode, columns, formats=formats, sheet="Means by mode", pack=tuple(columns.values()))


# --- Development ---------------------------------------------------------------------------------

ROADMAP_ROWS = 40  # initiatives per roadmap picture, so a large portfolio stays legible


def _development(r: Reads) -> Section:
    blocks: list[Block] = [*_roadmaps(r), _initiative_table(r), _check_in_table(r)]
    blocks += [_chain_table(r.chains), *_budget_tables(r.budget)]
    return Section("Development", tuple(blocks))


def _roadmaps(r: Reads) -> list[Figure]:
    kinds = traceability.kind_names()
    ordered = list(charts.roadmap_frame(r.portfolio, kinds)["id"])
    chunks = [ordered[n : n + ROADMAP_ROWS] for n in range(0, len(ordered), ROADMAP_ROWS)]
    start, end = r.plan.horizon_start, r.plan.horizon_end
    figures = []
    for n, ids in enumerate(chunks, start=1):
        shown = r.portfolio[r.portfolio["id"].isin(ids)]
        title = "Roadmap" if len(chunks) == 1 else f"Roadmap ({n} of {len(chunks)})"
        figures.append(Figure(title, charts.roadmap(shown, start, end, r.today, kinds)))
    return figures


def _initiative_table(r: Reads) -> Table:
    p = r.portfolio
    frame = p.assign(
        kind=p["kind"].map(lambda key: initiatives.KINDS.get(key, key)),
        od_focus=p["od_focus"].map(lambda key: initiatives.OD_FOCUSES.get(key, key or "")),
        start=p["start"].map(_date),
        end=p["end"].map(_date),
        last_check_in=p["last_check_in"].map(_date),
        tier_keys=p["tier_keys"].map(lambda keys: _names(keys, r.tiers)),
        element_keys=p["element_keys"].map(lambda keys: _names(keys, r.elements)),
    )
    columns = {"title": "Initiative", "kind": "Type", "od_focus": "OD focus", "owner": "Owner", "sponsor": "Sponsor"}
    columns |= {"start": "Start", "end": "End", "budget": "Budget", "participants": "Participants"}
    columns |= {"status_label": "Status", "percent_complete": "% complete", "last_check_in": "Last check-in"}
    columns |= {"stale": "Stale", "milestones": "Milestones", "overdue_milestones": "Overdue milestones"}
    columns |= {"tier_keys": "Tiers", "element_keys": "Cultural elements", "description": "Description"}
    formats = {"Budget": "money", "Participants": "int"}
    pack = ("Initiative", "Status", "% complete", "Start", "End", "Budget")
    return _table("Initiatives", frame, columns, formats=formats, sheet="Initiatives", pack=pack)


def _check_in_table(r: Reads) -> Table:
    titles = dict(zip(r.portfolio["id"], r.portfolio["title"], strict=True))
    c = r.check_ins
    frame = c.assign(
        initiative=c["initiative_id"].map(lambda iid: titles.get(iid, "")),
        checked_on=c["checked_on"].map(_date),
        rag=c["rag"].map(lambda key: initiatives.RAGS.get(key, key)),
    )
    columns = {"initiative": "Initiative", "checked_on": "Date", "rag": "RAG", "percent_complete": "% complete"}
    columns |= {"note": "Note", "author": "By"}
    return _table("Check-ins", frame, columns, sheet="Check-ins")


def _chain_table(chains: pd.DataFrame) -> Table:
    frame = chains.assign(kind=chains["kind"].map(lambda key: str(key).capitalize()))
    columns = {"kind": "Kind", "item": "Item", "discovery": "Discovery evidence", "design": "Design means"}
    columns |= {"development": "Development initiatives", "status": "Status"}
    return _table("Traceability", frame, columns, sheet="Traceability", pack=("Item", "Status"))


def _budget_tables(budget: traceability.Budget) -> list[Table]:
    money = {"Budget": "money", "Means estimate": "money", "Difference": "money"}
    layouts = (
        ("Budget by type", budget.by_type, {"type": "Type", "initiatives": "Initiatives", "budget": "Budget"}),
        ("Budget by tier", budget.by_tier, {"tier": "Tier", "budget": "Budget", "estimate": "Means estimate",
                                            "difference": "Difference"}),
        ("Budget by year", budget.by_year, {"year": "Year", "budget": "Budget"}),
    )  # fmt: skip
    return [
        _table(title, frame, columns, formats=money, sheet=title, pack=tuple(columns.values()))
        for title, frame, columns in layouts
    ]


# --- Charts as pictures ----------------------------------------------------------------------------

CHART_WIDTH = 640  # pixels of plot area for charts that fill their container on screen


def chart_png(chart: charts.Chart, width: int = CHART_WIDTH) -> bytes:
    """The chart as a PNG (at twice the pixels, for print), drawn offline by vl-convert."""
    return renderer.png(chart_images.spec_json(chart_images.fixed_width(chart.to_dict(validate=False), width)), 2)


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return struct.unpack(">II", png[16:24])


class Painter:
    """Draws the document's charts one by one, reporting progress as it goes."""

    def __init__(self, found: Contents, progress: Progress, low: float, high: float) -> None:
        self.report, self.total, self.done = _part(progress, low, high), max(len(found.figures), 1), 0

    def __call__(self, figure: Figure) -> bytes:
        """The figure as PNG bytes."""
        png = chart_png(figure.chart)
        self.done += 1
        self.report(self.done / self.total, f"Drew {figure.title} ({self.done} of {self.total})")
        return png


# --- Excel -------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what makes a spreadsheet read text as a formula
HEADER_FILL = PatternFill("solid", fgColor="E8EDEE")
MAX_WIDTH = 60


def workbook_bytes(found: Contents, progress: Progress) -> bytes:
    """One sheet per table that has a sheet name, header row bold and frozen, values typed, no formulas."""
    book = Workbook()
    book.remove(book.active)
    tables = [table for table in found.tables if table.sheet]
    for n, table in enumerate(tables, start=1):
        _sheet(book, table)
        progress(n / len(tables), f"Wrote the {table.sheet} sheet")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.sheet)
    for column, heading in enumerate(table.columns, start=1):
        cell = _cell(sheet, 1, column, heading)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = _cell(sheet, row_number, column, value)
            kind = table.formats.get(table.columns[column - 1])
            if kind and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = EXCEL_FORMATS[kind]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _widths(sheet, table)


def _cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one value; text that a spreadsheet would read as a formula is quoted and marked as text."""
    if (isinstance(value, float) and math.isnan(value)) or value == "":
        value = None
    if not isinstance(value, str):
        return sheet.cell(row=row, column=column, value=value)
    cell = sheet.cell(row=row, column=column, value=spreadsheet_text(value))
    cell.data_type = "s"  # never "f": openpyxl would otherwise store text starting with "=" as a formula
    return cell


def spreadsheet_text(text: str) -> str:
    """Text that no spreadsheet reads as a formula: a leading = + - @ tab or return gets a quote before it."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _widths(sheet: Any, table: Table) -> None:
    for column, heading in enumerate(table.columns, start=1):
        kind = table.formats.get(heading, "")
        longest = max([len(text_of(row[column - 1], kind)) for row in table.rows[:200]] + [len(heading)])
        sheet.column_dimensions[get_column_letter(column)].width = min(longest + 2, MAX_WIDTH)


# --- Markdown ----------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: Any) -> str:
    """User text made literal in Markdown: its markup characters escaped, line breaks as spaces."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def markdown_of(found: Contents) -> str:
    """The contents as Markdown: title, then a level-2 heading per section and a level-3 heading per block."""
    plan = found.plan
    lines = [f"# {md(plan.name)}", "", md(_subtitle(plan)), "", md(found.stamp()), ""]
    for section in found.sections:
        lines += [f"## {section.heading}", ""]
        for block in section.blocks:
            lines += _markdown_block(block)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Text):
        return [f"### {md(block.title)}", "", *[line for p in block.paragraphs for line in (md(p), "")]]
    if isinstance(block, Table) and block.listed:
        return [f"### {md(block.title)}", "", *_markdown_table(block), *([md(block.note), ""] if block.note else [])]
    return []  # charts appear in the PDF and the slides


def _markdown_table(table: Table) -> list[str]:
    if not table.rows:
        return ["_None yet._", ""]
    lines = ["| " + " | ".join(md(heading) for heading in table.columns) + " |"]
    lines.append("| " + " | ".join("---:" if table.formats.get(h) else "---" for h in table.columns) + " |")
    for row in table.rows:
        cells = [
            md(text_of(value, table.formats.get(heading, "")))
            for heading, value in zip(table.columns, row, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _horizon(plan: plans.PlanView) -> str:
    if plan.horizon_start is None and plan.horizon_end is None:
        return "No horizon set"
    return f"Horizon {text_of(plan.horizon_start) or '…'} to {text_of(plan.horizon_end) or '…'}"


def _subtitle(plan: plans.PlanView) -> str:
    return " · ".join(part for part in (plan.organisation, plan.sector, _horizon(plan)) if part)


# --- PDF board pack ----------------------------------------------------------------------------

FONT_FILES = tuple(  # (regular, bold): DejaVu where Debian or Arch put it, then Liberation; core fonts otherwise
    (Path(folder, regular), Path(folder, bold))
    for folder, regular, bold in (
        ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/liberation", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    )
)
LATIN1 = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "→": "->", "−": "-"})
INK = (31, 42, 51)
MUTED = (66, 85, 99)
BLUE = (0, 94, 184)
PACK_ROWS = 30  # table rows the PDF shows; the workbook has them all
CELL_LIMIT = 300  # characters of one cell the PDF shows
WIDEST = 60  # characters: wider columns wrap


def unicode_font() -> tuple[Path, Path] | None:
    """A Unicode TrueType font (regular, bold) installed here, or None (then core fonts and Latin-1 text)."""
    return next(((regular, bold) for regular, bold in FONT_FILES if regular.exists() and bold.exists()), None)


class BoardPack(FPDF):
    """A4 pages with the export stamp and "Page n of N" in the footer; user text is always plain text."""

    def __init__(self, stamp: str) -> None:
        super().__init__(format="A4")
        self.stamp = stamp
        self.pages_alias = f"{{pages-{secrets.token_hex(6)}}}"  # unguessable, so no user text is replaced by it
        self.alias_nb_pages(self.pages_alias)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        fonts = unicode_font()
        self.family = "Sans" if fonts else "helvetica"
        if fonts:
            self.add_font("Sans", "", str(fonts[0]))
            self.add_font("Sans", "B", str(fonts[1]))

    def footer(self) -> None:
        """The stamp and the page number at the foot of every page."""
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.stamp} · Page {self.page_no()} of {self.pages_alias}", align="C")

    def normalize_text(self, text: str) -> str:
        """Text for the current font: with core fonts, typographic marks made Latin-1 and others replaced."""
        if not self.is_ttf_font:
            text = text.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")
        return super().normalize_text(text)

    def cell_width(self, text: str) -> float:
        """Millimetres a table cell needs for the text in the current font, padding and bold headings included."""
        return self.get_string_width(text) * 1.1 + 2.5


def board_pack_bytes(found: Contents, progress: Progress) -> bytes:
    """The PDF board pack: cover, Summary, then Discovery, Design and Development with charts and tables."""
    pdf = BoardPack(found.stamp())
    pdf.set_title(found.plan.name)
    _cover(pdf, found)
    paint = Painter(found, progress, 0.0, 0.9)
    for section in found.sections:
        _pdf_section(pdf, section, paint)
    progress(0.95, "Writing the PDF…")
    return bytes(pdf.output())


def _cover(pdf: BoardPack, found: Contents) -> None:
    plan = found.plan
    pdf.add_page()
    pdf.set_y(70)
    _write(pdf, "Leadership strategy board pack", 14, MUTED)
    _write(pdf, plan.name, 26, INK, bold=True, gap=6)
    _write(pdf, plan.organisation, 16, INK)
    _write(pdf, _horizon(plan), 12, MUTED, gap=10)
    _write(pdf, f"{found.made_on:%d %B %Y} · plan version {plan.revision}", 12, MUTED)


def _write(
    pdf: BoardPack, text: str, size: float, colour: tuple[int, int, int], bold: bool = False, gap: float = 3
) -> None:
    """A paragraph of plain text (never markup) in one size and colour, then a gap."""
    if not text:
        return
    pdf.set_font(pdf.family, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _pdf_section(pdf: BoardPack, section: Section, paint: Painter) -> None:
    pdf.add_page()
    pdf.start_section(section.heading)
    _write(pdf, section.heading, 22, BLUE, bold=True, gap=4)
    for block in section.blocks:
        if isinstance(block, Text):
            _write(pdf, block.title, 13, INK, bold=True, gap=1)
            for paragraph in block.paragraphs:
                _write(pdf, paragraph, 10, INK)
        elif isinstance(block, Table) and block.pack:
            _pdf_table(pdf, block.select(block.pack))
        elif isinstance(block, Figure):
            _picture(pdf, paint(block))


def _pdf_table(pdf: BoardPack, table: Table) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    _write(pdf, table.title, 13, INK, bold=True, gap=1)
    if not table.rows:
        _write(pdf, "None yet.", 10, MUTED)
        return
    pdf.set_font(pdf.family, size=8)
    pdf.set_text_color(*INK)
    numeric = tuple("RIGHT" if table.formats.get(h) else "LEFT" for h in table.columns)
    style = FontFace(emphasis="BOLD", fill_color=(232, 237, 238))
    widths = column_widths(table, pdf.epw, pdf.cell_width)
    with pdf.table(col_widths=widths, text_align=numeric, headings_style=style, line_height=4,
                   borders_layout="HORIZONTAL_LINES", padding=1) as grid:  # fmt: skip
        grid.row(list(table.columns))
        for row in table.rows[:PACK_ROWS]:
            grid.row([clipped(value, table.formats.get(h, "")) for h, value in zip(table.columns, row, strict=True)])
    _table_note(pdf, table)


def clipped(value: Any, kind: str = "", limit: int = CELL_LIMIT) -> str:
    """A value as text, cut to `limit` characters with an ellipsis."""
    text = text_of(value, kind)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table_note(pdf: BoardPack, table: Table) -> None:
    more = len(table.rows) - PACK_ROWS
    extra = f"First {PACK_ROWS} of {len(table.rows)} rows; the Excel export has them all." if more > 0 else ""
    pdf.ln(1)
    _write(pdf, " ".join(part for part in (table.note, extra) if part), 8, MUTED, gap=4)


def column_widths(table: Table, budget: float, measure: Callable[[str], float] = len) -> tuple[float, ...]:
    """Column widths (in `measure`'s unit): each at least its longest unbreakable word, the rest shared by need."""
    floors, wants = zip(*(_column_need(table, n, measure) for n in range(len(table.columns))), strict=True)
    if sum(wants) <= budget:
        return tuple(float(want) for want in wants)
    spare, extra = max(budget - sum(floors), 0), [want - floor for want, floor in zip(wants, floors, strict=True)]
    return tuple(floor + spare * more / (sum(extra) or 1) for floor, more in zip(floors, extra, strict=True))


def _column_need(table: Table, n: int, measure: Callable[[str], float]) -> tuple[float, float]:
    """A column's narrowest width (its longest word; numbers and dates whole) and its widest useful width."""
    heading = table.columns[n]
    values = [row[n] for row in table.rows[:PACK_ROWS]]
    texts = [clipped(value, table.formats.get(heading, "")) for value in values]
    words = [[text] if not isinstance(value, str) else text.split() for value, text in zip(values, texts, strict=True)]
    floor = max(measure(word) for word in [*heading.split(), *[w for found in words for w in found]])
    widest = max(measure(text) for text in [heading, *texts])
    return floor, max(floor, min(widest, measure("x" * WIDEST)))


def _picture(pdf: BoardPack, png: bytes) -> None:
    """The chart at the page's width, or smaller to fit a page; on a new page if it does not fit below."""
    width_px, height_px = png_size(png)
    room = pdf.epw
    tallest = pdf.eph - 6
    width = min(room, tallest * width_px / height_px)
    height = width * height_px / width_px
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (room - width) / 2, w=width, h=height)
    pdf.ln(4)


# --- PowerPoint ----------------------------------------------------------------------------------

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
SLIDE_ROWS = 12  # table rows a slide shows
SLIDE_CELL_LIMIT = 120
SLIDE_BUDGET = 120  # characters of 11-point text across the slide
TITLE_LAYOUT, TITLE_ONLY = 0, 5


def deck_bytes(found: Contents, progress: Progress) -> bytes:
    """Title slide, Summary slide, then per phase one slide per chart, key table and text."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, found)
    paint = Painter(found, progress, 0.0, 0.9)
    _headline_slide(deck, found)
    for section in found.sections[1:]:
        for block in section.blocks:
            _block_slide(deck, section.heading, block, paint)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _title_slide(deck: Any, found: Contents) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    _place(title, Inches(0.8), Inches(2.2), SLIDE_WIDTH - Inches(1.6), Inches(1.6))
    _place(subtitle, Inches(0.8), Inches(4.0), SLIDE_WIDTH - Inches(1.6), Inches(1.8))
    title.text = found.plan.name
    subtitle.text = f"{_subtitle(found.plan)}\nLeadership strategy board pack · {found.stamp()}"


def _place(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _titled(deck: Any, title: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    heading = slide.shapes.title
    _place(heading, Inches(0.5), Inches(0.3), SLIDE_WIDTH - Inches(1), Inches(0.9))
    heading.text = title
    heading.text_frame.paragraphs[0].font.size = Pt(28)
    return slide


def _headline_slide(deck: Any, found: Contents) -> None:
    slide = _titled(deck, SUMMARY)
    table = Table("Headline figures", ("Figure", "Value"), found.headlines)
    _slide_table(slide, table, widths=(3.0, 9.3))


def _block_slide(deck: Any, phase: str, block: Block, paint: Painter) -> None:
    if isinstance(block, Figure):
        _picture_slide(_titled(deck, f"{phase}: {block.title}"), paint(block))
    elif isinstance(block, Table) and block.pack:
        _slide_table(_titled(deck, f"{phase}: {block.title}"), block.select(block.pack))
    elif isinstance(block, Text):
        text = "\n\n".join(block.paragraphs)
        _text_box(_titled(deck, f"{phase}: {block.title}"), clipped(text, limit=1500), 14)


def _text_box(slide: Any, text: str, size: int, top: float = 1.3, height: float = 5.8) -> None:
    """An editable text box of plain text below the title."""
    box = slide.shapes.add_textbox(Inches(0.5), Inches(top), SLIDE_WIDTH - Inches(1), Inches(height))
    box.text_frame.word_wrap = True
    box.text_frame.text = text
    for paragraph in box.text_frame.paragraphs:
        paragraph.font.size = Pt(size)


def _picture_slide(slide: Any, png: bytes) -> None:
    width_px, height_px = png_size(png)
    room_width, room_height = SLIDE_WIDTH - Inches(1), Inches(5.9)
    scale = min(room_width / width_px, room_height / height_px)
    width, height = int(width_px * scale), int(height_px * scale)
    slide.shapes.add_picture(io.BytesIO(png), (SLIDE_WIDTH - width) // 2, Inches(1.3), width, height)


def _slide_table(slide: Any, table: Table, widths: tuple[float, ...] | None = None) -> None:
    """An editable table of the first SLIDE_ROWS rows, with a note when there are more."""
    rows = table.rows[:SLIDE_ROWS] or (tuple("" for _ in table.columns),)
    total = SLIDE_WIDTH - Inches(1)
    shape = slide.shapes.add_table(len(rows) + 1, len(table.columns), Inches(0.5), Inches(1.3), total, Inches(0.4))
    grid = shape.table
    weights = widths or column_widths(table, SLIDE_BUDGET)
    for n, weight in enumerate(weights):
        grid.columns[n].width = Emu(int(total * weight / sum(weights)))
    for column, heading in enumerate(table.columns):
        _slide_cell(grid.cell(0, column), heading)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            kind = table.formats.get(table.columns[column], "")
            _slide_cell(grid.cell(row_number, column), clipped(value, kind, SLIDE_CELL_LIMIT))
    _slide_note(slide, table)


def _slide_cell(cell: Any, text: str) -> None:
    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        paragraph.font.size = Pt(11)


def _slide_note(slide: Any, table: Table) -> None:
    more = len(table.rows) - SLIDE_ROWS
    note = " ".join(p for p in (table.note, f"First {SLIDE_ROWS} of {len(table.rows)} rows." if more > 0 else "") if p)
    if not table.rows:
        note = "None yet."
    if note:
        _text_box(slide, note, 11, top=6.8, height=0.5)

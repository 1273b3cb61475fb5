"""Download buttons for the plan's exports: each builds its file on click, showing progress, then offers it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from planner import export, plans, renderer
from planner.access import PermissionDenied
from planner.db import read_session
from planner.ui import panels
from planner.ui.frame import context

BUILT_KEY = "export_files"  # format → the file built last, kept for this browser session only
PANEL_OPEN = "export_panel_open"
ORDER = ("pdf", "pptx", "xlsx", "md", "json")
ICONS = {
    "pdf": ":material/picture_as_pdf:",
    "pptx": ":material/slideshow:",
    "xlsx": ":material/table_view:",
    "md": ":material/description:",
    "json": ":material/data_object:",
}
HINTS = {
    "pdf": "Cover, summary and a section per phase with charts and key tables, to print or circulate.",
    "pptx": "Title, summary and phase slides with charts and editable tables.",
    "xlsx": "Every table on its own sheet, for analysis.",
    "md": "The whole plan as text, for wikis and documents.",
    "json": "The plan file: import it on another host (survey answers stay anonymous).",
}


@dataclass(frozen=True)
class Built:
    """A file built for download, and the plan version it shows."""

    plan_id: int
    revision: int
    name: str
    data: bytes


def export_panel(plan_id: int) -> None:
    """The board pack and exports in an expander, whose buttons are drawn only while it is open."""
    title = "Board pack and exports: PDF, PowerPoint, Excel, Markdown, JSON"
    with panels.lazy(title, PANEL_OPEN, icon=":material/download:") as open_:
        if open_:
            _download_buttons(plan_id)


def _download_buttons(plan_id: int) -> None:
    """Per format, a button that builds the file (showing progress), then a button that downloads it."""
    name, revision = _plan_stamp(plan_id)
    for fmt in ORDER:
        left, right = st.columns([2, 3], vertical_alignment="center")
        if left.button(f"Prepare {export.FORMAT_NAMES[fmt]}", key=f"export_{fmt}", icon=ICONS[fmt], width="stretch"):
            with right:
                _build(plan_id, fmt, name, revision)
        built = st.session_state.get(BUILT_KEY, {}).get(fmt)
        if built is not None and (built.plan_id, built.revision) == (plan_id, revision):
            right.download_button(
                f"Download {built.name}", built.data, file_name=built.name, mime=export.MEDIA_TYPES[fmt],
                key=f"download_{fmt}", icon=":material/download:", on_click="ignore",
            )  # fmt: skip
        else:
            right.caption(HINTS[fmt])


def _plan_stamp(plan_id: int) -> tuple[str, int]:
    ctx = context()
    with read_session(ctx.engine) as session:
        plan = plans.get_plan(session, ctx.access, plan_id, with_progress=False)
    return plan.name, plan.revision


def _build(plan_id: int, fmt: str, name: str, revision: int) -> None:
    """Build one file under a status box with a progress bar, and keep it for the download button."""
    with st.status(f"Building the {export.FORMAT_NAMES[fmt]}…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading the plan…")
        try:
            data = _file(plan_id, fmt, lambda fraction, message: bar.progress(min(fraction, 1.0), text=message))
        except (PermissionDenied, LookupError, renderer.RenderError) as error:  # a chart given up, say
            status.update(label=f"Could not build the {export.FORMAT_NAMES[fmt]}: {error}", state="error")
            return
        status.update(label=f"{export.FORMAT_NAMES[fmt]} ready", state="complete", expanded=False)
    built = Built(plan_id, revision, export.file_name(name, fmt), data)
    st.session_state.setdefault(BUILT_KEY, {})[fmt] = built


def _file(plan_id: int, fmt: str, report: export.Progress) -> bytes:
    """The file's bytes: the plan is read in a short session, then laid out (the slow part) outside it."""
    ctx = context()
    with read_session(ctx.engine) as session:
        if fmt == "json":
            return export.export_bytes(session, ctx.access, plan_id, fmt, report)
        found = export.contents(session, ctx.access, plan_id)
    return export.document_bytes(found, fmt, report)

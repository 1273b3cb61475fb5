"""Shared widgets: page header with framework guidance, plan switcher, empty states."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import select

from planner import members
from planner.access import Role
from planner.db import read_session
from planner.framework import page_guide
from planner.models import Plan
from planner.plans import PlanView
from planner.progress import PHASES
from planner.ui import conflicts, flash
from planner.ui.frame import Context, open_plan
from planner.ui.navigation import page_file
from planner.ui.text import plain


def page_header(page: str, ctx: Context) -> None:
    """Title, open plan, the framework's guidance for this step, and queued messages."""
    guide = page_guide(page)
    st.title(guide.title)
    where = f"{guide.phase} · **{plain(ctx.plan.name)}**" if ctx.plan else guide.phase
    st.caption(where)
    flash.show()
    conflicts.show_pending()
    with st.container(border=True):
        st.markdown(guide.guidance)
        if guide.deck_quote:
            st.caption(f"“{guide.deck_quote}” — *Developing collective leadership for health care*, The King's Fund")


def require_plan(ctx: Context) -> PlanView:
    """The open plan; otherwise an empty state pointing to the plan list, and stop."""
    if ctx.plan is None:
        st.info("No plan is open. Choose one in the sidebar, or go to **Plans** to create one.", icon=":material/info:")
        st.page_link(page_file("home"), label="Go to Plans", icon=":material/list:")
        st.stop()
    return ctx.plan  # type: ignore[return-value]


def lazy_tabs(labels: list[str], key: str) -> list:
    """Tabs of which only the open one's content should run (`if tab.open:`): switching tabs reruns the page.

    Keyed, so the open tab survives a save (whose message shifts the page) and the live refresh.
    """
    return list(st.tabs(labels, key=key, on_change="rerun"))


def empty_state(page: str) -> None:
    """The framework's next-step prompt for a page with no content yet."""
    st.info(page_guide(page).empty, icon=":material/lightbulb:")


def phase_progress(plan: PlanView) -> None:
    """Three progress bars, one per phase, with what is filled in."""
    for column, phase in zip(st.columns(len(PHASES)), PHASES, strict=True):
        parts = plan.progress.get(phase, [])
        done = sum(filled for _, filled in parts)
        column.progress(plan.phase_fraction(phase), text=f"{phase}: {done} of {len(parts)}")


def plan_switcher(ctx: Context, member: str | None = None) -> None:
    """A sidebar selectbox to switch the open plan, when the user may open another one: an owner any plan, the
    signed-in `member` (whose access holds one plan at a time) the plans they are a member of."""
    with read_session(ctx.engine) as session:
        rows = session.execute(select(Plan.id, Plan.name, Plan.archived).order_by(Plan.name)).all()
        mine = set(members.member_plans(session, member)) if member and ctx.access.plan_id is not None else None
    visible = [row for row in rows if (row.id in mine if mine is not None else ctx.access.allows(Role.VIEWER, row.id))]
    repeated = {name for name in (row.name for row in visible) if sum(r.name == name for r in visible) > 1}
    # Streamlit tells options apart by their labels, so two plans of one name need distinct labels.
    choices = {
        row.id: row.name + (f" · #{row.id}" if row.name in repeated else "") + (" (archived)" if row.archived else "")
        for row in visible
    }
    current = ctx.plan.id if ctx.plan else None
    if not choices or list(choices) == [current]:  # nothing to switch to: a member of one plan, say
        return
    ids = list(choices)
    st.sidebar.selectbox(
        "Open plan",
        ids,
        index=ids.index(current) if current in choices else None,
        format_func=choices.get,
        placeholder="Choose a plan",
        key=f"switch_{current}",
        on_change=_switched,
        args=(f"switch_{current}",),
    )


def _switched(key: str) -> None:
    open_plan(st.session_state[key])


def plan_facts(plan: PlanView) -> str:
    """One line of Markdown (the user's text escaped): organisation, sector and horizon."""
    horizon = ""
    if plan.horizon_start and plan.horizon_end:
        horizon = f"{plan.horizon_start:%b %Y} – {plan.horizon_end:%b %Y}"
    return " · ".join(plain(part) for part in (plan.organisation, plan.sector, horizon) if part) or "No details yet"


STEPS = {  # page → the progress parts it fills
    "Discovery": [
        ("context", "Strategic context", ["strategic context"]),
        ("culture", "Culture diagnostic", ["culture diagnostic"]),
        ("capabilities", "Capabilities", ["capability assessment"]),
        ("workforce", "Leadership workforce", ["leadership workforce"]),
    ],
    "Design": [
        ("priorities", "Priorities and objectives", ["priority capabilities", "objectives"]),
        ("means", "Acquire, develop, sustain", ["means to acquire, develop and sustain"]),
    ],
    "Development": [("initiatives", "Initiatives and roadmap", ["initiatives", "progress check-ins"])],
}


def plan_steps(plan: PlanView) -> None:
    """The three phases and the summary side by side, each page linked and ticked when filled."""
    st.caption(plan_facts(plan))
    columns = st.columns(len(PHASES) + 1)
    for column, phase in zip(columns, PHASES, strict=False):
        filled = dict(plan.progress.get(phase, []))
        with column:
            st.progress(plan.phase_fraction(phase), text=f"**{phase}**")
            for page, label, parts in STEPS[phase]:
                done = all(filled.get(part, False) for part in parts)
                icon = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
                st.page_link(page_file(page), label=label, icon=icon)
    with columns[-1]:
        st.progress(1.0 if plan.phase_fraction("Discovery") else 0.0, text="**Summary**")
        st.page_link(page_file("summary"), label="Board summary", icon=":material/summarize:")

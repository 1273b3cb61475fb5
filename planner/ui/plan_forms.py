"""Dialogs that create, edit, clone, archive and delete plans."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from planner import plans
from planner.plans import PlanView
from planner.ui import flash, live
from planner.ui.actions import CONFLICT_KEY, Outcome, attempt, write
from planner.ui.frame import open_plan
from planner.ui.text import plain


def _metadata_fields(plan: PlanView | None) -> dict[str, Any]:
    start = plan.horizon_start if plan else date(date.today().year, 4, 1)
    end = plan.horizon_end if plan else date(date.today().year + 3, 3, 31)
    name = st.text_input(
        "Plan name", plan.name if plan else "", max_chars=120, placeholder="e.g. Leadership strategy 2026–2029"
    )
    left, right = st.columns(2)
    return {
        "name": name,
        "organisation": left.text_input("Organisation", plan.organisation if plan else "", max_chars=200),
        "sector": right.text_input(
            "Sector", plan.sector if plan else "", max_chars=200, placeholder="e.g. Acute and community care"
        ),
        "horizon_start": left.date_input("Horizon starts", start, format="DD/MM/YYYY"),
        "horizon_end": right.date_input("Horizon ends", end, format="DD/MM/YYYY"),
        "description": st.text_area("Description", plan.description if plan else "", max_chars=5000),
    }


def _finish(outcome: Outcome[Any], message: str) -> None:
    if outcome.ok:
        flash.success(message)
        st.rerun()
    if CONFLICT_KEY in st.session_state:  # someone else saved first: the conflict dialog takes this one's place
        st.rerun()
    st.error(plain(outcome.error), icon=":material/error:")


@live.dialog("New plan", width="large")
def new_plan() -> None:
    """Create a plan from the framework template or as a copy of the demo."""
    with st.form("new_plan"):
        values = _metadata_fields(None)
        template = st.radio(
            "Start from",
            ["framework", "demo"],
            horizontal=True,
            format_func={"framework": "The framework (blank plan)", "demo": "A copy of the demo plan"}.get,
        )
        submitted = st.form_submit_button("Create plan", type="primary")
    if submitted:
        outcome = attempt(lambda s, a: plans.create_plan(s, a, template=template, **values))
        if outcome.ok:
            open_plan(outcome.value)
        _finish(outcome, f"Created “{plain(values['name'])}”. It is now the open plan.")


@live.dialog("Edit plan details", width="large")
def edit_plan(plan: PlanView) -> None:
    """Edit a plan's metadata; a conflicting edit by someone else is reported, not overwritten."""
    with st.form("edit_plan"):
        values = _metadata_fields(plan)
        submitted = st.form_submit_button("Save changes", type="primary")
    if not submitted:
        return
    # Only what this person changed: saving over someone else's version must not revert their other fields.
    changes = {name: value for name, value in values.items() if value != getattr(plan, name)}
    if not changes:
        flash.success("Nothing to save: no detail was changed.")
        st.rerun()
    _finish(attempt(lambda s, a: plans.update_plan(s, a, plan.id, plan.version, **changes)), "Plan details saved.")


@live.dialog("Copy plan")
def clone_plan(plan: PlanView) -> None:
    """Copy a plan with all its content under a new name."""
    with st.form("clone_plan"):
        name = st.text_input("Name of the copy", f"{plan.name} (copy)", max_chars=120)
        submitted = st.form_submit_button("Copy plan", type="primary")
    if submitted:
        _finish(attempt(lambda s, a: plans.clone_plan(s, a, plan.id, name)), f"Copied to “{plain(name)}”.")


@live.dialog("Delete plan")
def delete_plan(plan: PlanView) -> None:
    """Delete a plan after the user types its name."""
    st.warning(
        f"This permanently deletes **{plain(plan.name)}** and everything in it: context, survey responses, "
        "ratings, workforce figures, objectives and initiatives. Export it first if you may need it."
    )
    with st.form("delete_plan"):
        typed = st.text_input(f"Type “{plain(plan.name)}” to confirm")
        submitted = st.form_submit_button("Delete permanently", type="primary")
    if submitted:
        outcome = attempt(lambda s, a: plans.delete_plan(s, a, plan.id, typed))
        if outcome.ok and st.session_state.get("plan_id") == plan.id:
            open_plan(None)
        _finish(outcome, f"Deleted “{plain(plan.name)}”.")


def toggle_archived(plan: PlanView) -> None:
    """Callback: archive or unarchive a plan."""
    verb = "Unarchived" if plan.archived else "Archived"
    write(
        lambda s, a: plans.set_archived(s, a, plan.id, plan.version, not plan.archived), f"{verb} “{plain(plan.name)}”."
    )

"""Plans: the list of plans with their phase progress; create, open, edit, copy, archive, delete."""

import streamlit as st

from planner import plans, seed
from planner.access import Role
from planner.db import read_session
from planner.ui import history_views, plan_forms, widgets
from planner.ui.actions import write
from planner.ui.frame import context, open_plan
from planner.ui.text import plain

ctx = context()
widgets.page_header("home", ctx)

with read_session(ctx.engine) as session:
    all_plans = plans.list_plans(session, ctx.access)
    has_demo = seed.demo_plan_id(session) is not None

if ctx.plan:
    with st.container(border=True):
        st.subheader(f"Open plan: {plain(ctx.plan.name)}")
        widgets.plan_steps(next(view for view in all_plans if view.id == ctx.plan.id))

admin = ctx.access.allows(Role.OWNER)  # owner of every plan: local user or administrator
bar = st.columns([1, 1, 2])
if admin:
    if bar[0].button("New plan", icon=":material/add:", type="primary"):
        plan_forms.new_plan()
    if not has_demo and bar[1].button("Load the demo plan", icon=":material/auto_awesome:"):
        open_plan(write(lambda s, a: seed.load_demo(s, a), "Loaded the Northshire Health demo plan."))
        st.rerun()
show_archived = bar[2].toggle("Show archived plans", value=False)
if admin:
    history_views.import_section()

if not all_plans:
    widgets.empty_state("home")
    st.stop()

for plan in all_plans:
    if plan.archived and not show_archived:
        continue
    with st.container(border=True):
        info, progress, buttons = st.columns([3, 4, 2], vertical_alignment="center")
        info.markdown(
            f"**{plain(plan.name)}**"
            + (" · :orange-badge[Archived]" if plan.archived else "")
            + (" · :blue-badge[Open]" if ctx.plan and ctx.plan.id == plan.id else "")
        )
        info.caption(widgets.plan_facts(plan))
        with progress:
            widgets.phase_progress(plan)
        buttons.button("Open", key=f"open_{plan.id}", on_click=open_plan, args=(plan.id,), width="stretch")
        if not ctx.access.can_edit:
            continue
        with buttons.popover("Manage", width="stretch"):
            if st.button("Edit details", key=f"edit_{plan.id}", icon=":material/edit:"):
                plan_forms.edit_plan(plan)
            if not ctx.access.allows(Role.OWNER, plan.id):  # copying, archiving, deleting: owners only
                continue
            if st.button("Copy", key=f"clone_{plan.id}", icon=":material/content_copy:"):
                plan_forms.clone_plan(plan)
            st.button(
                "Unarchive" if plan.archived else "Archive",
                key=f"archive_{plan.id}",
                icon=":material/archive:",
                on_click=plan_forms.toggle_archived,
                args=(plan,),
            )
            if st.button("Delete", key=f"delete_{plan.id}", icon=":material/delete:"):
                plan_forms.delete_plan(plan)

archived = sum(plan.archived for plan in all_plans)
if archived and not show_archived:
    st.caption(f"{archived} archived plan(s) hidden.")

"""Board summary: the plan on one page, live — headline figures, charts, coverage, completeness and assurance."""

import streamlit as st

from planner.ui import export_views, summary_views, widgets
from planner.ui.frame import context

ctx = context()
widgets.page_header("summary", ctx)
widgets.require_plan(ctx)
summary_views.live_summary()
with st.expander("Board pack and exports: PDF, PowerPoint, Excel, Markdown, JSON", icon=":material/download:"):
    export_views.download_buttons(ctx.plan.id)  # type: ignore[union-attr]

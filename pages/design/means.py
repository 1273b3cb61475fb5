"""Means: how the organisation will acquire, develop and sustain its priority capabilities."""

import streamlit as st

from planner import overview
from planner.ui import widgets
from planner.ui.frame import context, read_plan

ctx = context()
widgets.page_header("means", ctx)
widgets.require_plan(ctx)

table = read_plan(overview.means)

if table.empty:
    widgets.empty_state("means")
    st.stop()
for column, (mode, rows) in zip(st.columns(3), table.groupby("Mode", sort=False), strict=False):
    cost = f"£{int(rows['Cost (£)'].sum()):,} estimated"
    column.metric(mode, f"{len(rows)} means", cost, delta_color="off", delta_arrow="off", border=True)
money = st.column_config.NumberColumn(format="£%d")
st.dataframe(table, hide_index=True, column_config={"Cost (£)": money})

"""Leadership Strategy Planner: the frame (page config, access, navigation)."""

import streamlit as st

from planner.ui import frame, navigation, widgets

st.set_page_config(page_title="Leadership Strategy Planner", page_icon=":material/diversity_3:", layout="wide")
ctx = frame.start()
page = st.navigation(navigation.pages())
widgets.plan_switcher(ctx)
page.run()

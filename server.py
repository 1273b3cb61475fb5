"""Serve the planner: `streamlit run server.py` runs app.py, with pages that open faster at their own path.

`streamlit run app.py` serves the same app; this adds only `planner/ui/deep_links.py`'s routes.
"""

import streamlit as st

from planner.ui import deep_links

app = st.App("app.py", routes=deep_links.routes())

"""Serve the planner: `streamlit run server.py` runs app.py, with links to a page that open faster and survive
signing in.

`streamlit run app.py` serves the same app; this adds only `planner/ui/deep_links.py`'s routes and middleware.
"""

import streamlit as st
from starlette.middleware import Middleware

from planner.ui import deep_links

app = st.App("app.py", routes=deep_links.routes(), middleware=[Middleware(deep_links.SignInReturn)])

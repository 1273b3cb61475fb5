"""Leadership Strategy Planner: the frame (page config, access, navigation)."""

import streamlit as st

from planner.ui import frame, widgets

st.set_page_config(page_title="Leadership Strategy Planner", page_icon=":material/diversity_3:", layout="wide")


def page(name: str, title: str, icon: str, url: str = "") -> st.Page:
    return st.Page(
        f"pages/{name}.py",
        title=title,
        icon=f":material/{icon}:",
        url_path=url or name,
        default=not url and name == "home",
    )


PAGES = {
    "Plan": [
        page("home", "Plans", "list"),
        page("share", "Share", "share", "share"),
        page("history", "History", "history", "history"),
    ],
    "Discovery": [
        page("context", "Strategic context", "travel_explore", "context"),
        page("culture", "Culture diagnostic", "groups", "culture"),
        page("capabilities", "Capabilities", "psychology", "capabilities"),
        page("workforce", "Leadership workforce", "diversity_3", "workforce"),
        page("vote", "Participant vote", "how_to_vote", "vote"),
    ],
    "Design": [
        page("priorities", "Priorities and objectives", "flag", "priorities"),
        page("means", "Acquire, develop, sustain", "build", "means"),
    ],
    "Development": [page("initiatives", "Initiatives and roadmap", "timeline", "initiatives")],
    "Summary": [page("summary", "Board summary", "summarize", "summary")],
}

ctx = frame.start()
navigation = st.navigation(PAGES)
st.sidebar.caption("Leadership Strategy Planner")
widgets.plan_switcher(ctx)
navigation.run()

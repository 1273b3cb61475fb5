"""What a hosted planner shows before it knows who is asking: no plan data, no plan list."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

import streamlit as st

from planner.ui.navigation import SPECS
from planner.ui.text import plain

WELCOME = (
    "This planner helps health and care organisations build a leadership strategy the way the King's Fund "
    "describes it: discover where leadership and culture stand, design the leadership the strategy needs, "
    "and develop it together."
)
ASK = "It is hosted for several organisations, so it opens only with a link. Ask your facilitator for yours."


def auth_configured() -> bool:
    """True when Streamlit's OpenID Connect sign-in is set up ([auth] in secrets)."""
    try:
        return bool(st.secrets.get("auth"))
    except (FileNotFoundError, KeyError):  # StreamlitSecretNotFoundError is a FileNotFoundError
        return False


def signed_in_email() -> str | None:
    """The email of the person signed in with OpenID Connect, if any."""
    if not auth_configured() or not st.user.get("is_logged_in"):
        return None
    # A provider that says the address is unverified could be vouching for anyone's address; some
    # (Entra ID) leave the claim out altogether, so only an explicit "false" is refused.
    if st.user.get("email_verified") is False:
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def account(email: str) -> None:
    """In the sidebar: who is signed in, and signing out (shared computers in hospitals are common)."""
    st.sidebar.caption(f"Signed in as {plain(email)}")
    st.sidebar.button("Sign out", icon=":material/logout:", on_click=st.logout, key="planner_sign_out")


def show(body: Callable[[], None]) -> NoReturn:
    """Serve `body` as the only page of this run and stop: nothing else is reachable."""
    st.set_page_config(page_title="Leadership Strategy Planner", page_icon=":material/diversity_3:", layout="centered")
    # The same body under every page path, so that a deep link such as /summary gets it without "Page not found".
    gates = [
        st.Page(
            body, title="Leadership Strategy Planner", url_path=spec.url_path or "welcome", default=not spec.url_path
        )
        for spec in SPECS
    ]
    st.navigation(gates, position="hidden").run()
    st.stop()
    raise AssertionError("unreachable: st.stop ends the run")


def welcome(problem: str = "", hosted: bool = True) -> None:
    """The welcome page: what the planner is, and how to get in."""
    st.title("Leadership Strategy Planner")
    if problem:
        st.error(problem, icon=":material/link_off:")
    st.markdown(WELCOME)
    if not hosted:
        # Local mode: without a link this computer's user owns everything, so a fresh run opens the planner.
        st.button("Open the planner without the link", icon=":material/home:")
        return
    st.info(ASK, icon=":material/lock:")
    if auth_configured():
        st.caption("Plan owners and editors can sign in instead.")
        st.button("Sign in", icon=":material/login:", on_click=st.login, type="primary")


def not_a_member(email: str) -> Callable[[], None]:
    """The page for someone signed in whose address no plan has been shared with."""

    def body() -> None:
        st.title("Leadership Strategy Planner")
        st.warning(
            f"You are signed in as {plain(email)}, but no plan has been shared with this address. "
            "Ask the plan's owner to add you, or open the link you were given.",
            icon=":material/person_off:",
        )
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)

    return body

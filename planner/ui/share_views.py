"""The share page's parts: create a link (shown once, with a QR code), list, revoke; signed-in members."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from planner import culture, members, sharing
from planner.access import Role
from planner.ui import flash, live
from planner.ui.actions import attempt, write
from planner.ui.culture_views import qr_png
from planner.ui.frame import context, read_plan
from planner.ui.text import plain

NEW_KEY = "share_new_link"
ROLE_HELP = {
    "viewer": "Viewer: reads every page and the board summary, downloads exports; changes nothing.",
    "editor": "Editor: edits the plan's content; cannot share it or delete it.",
    "participant": "Participant: answers the culture survey of one round on the vote page, and sees nothing else.",
}
EXPIRIES: dict[str, timedelta | None] = {
    "1 day": timedelta(days=1),
    "7 days": timedelta(days=7),
    "14 days": timedelta(days=14),
    "30 days": timedelta(days=30),
    "90 days": timedelta(days=90),
    "1 year": timedelta(days=365),
    "No expiry": None,
}
SHOWN_COLUMNS = ["Label", "Role", "Round", "Created", "Expires", "Last used", "Status"]
MEMBER_ROLES = ["editor", "viewer", "owner"]


def create_form() -> None:
    """Role, label, expiry (and round, for participants); the new link appears once below."""
    role = st.segmented_control("Role", list(ROLE_HELP), default="viewer", key="share_role", format_func=str.title)
    role = role or "viewer"
    st.caption(ROLE_HELP[role])
    rounds = read_plan(culture.list_rounds) if role == "participant" else []
    if role == "participant" and not [r for r in rounds if r.status == "open"]:
        st.info("Open a survey round on the Culture diagnostic page first: a participant link votes in one round.")
        return
    with st.form("share_create", border=True):
        left, right = st.columns([2, 1])
        label = left.text_input("Label", max_chars=120, placeholder="Finance director, March workshop…")
        expiry = right.selectbox("Expires after", list(EXPIRIES), index=2)
        open_rounds = {r.id: r.name for r in rounds if r.status == "open"}
        round_id = st.selectbox("Survey round", list(open_rounds), format_func=open_rounds.get) if open_rounds else None
        if st.form_submit_button("Create link", icon=":material/add_link:", type="primary"):
            _create(role, label, EXPIRIES[expiry], round_id)


def _create(role: str, label: str, expires_in: timedelta | None, round_id: int | None) -> None:
    ctx = context()
    outcome = attempt(
        lambda s, a: sharing.create_link(
            s,
            a,
            ctx.plan.id,
            role,
            label,
            expires_in,
            round_id,
            base_url=ctx.settings.public_url,  # type: ignore[union-attr]
        )
    )
    if not outcome.ok:
        st.error(plain(outcome.error), icon=":material/error:")
        return
    st.session_state[NEW_KEY] = (outcome.value.url, role, label.strip())  # type: ignore[union-attr]
    st.rerun()


def new_link() -> None:
    """The link just created: shown this once, to copy or scan."""
    created = st.session_state.get(NEW_KEY)
    if created is None:
        return
    url, role, label = created
    with st.container(border=True):
        st.success(
            f"New {role} link{' for ' + plain(label) if label else ''}. Copy it now: the planner keeps only "
            "a fingerprint of it and cannot show it again.",
            icon=":material/check_circle:",
        )
        left, right = st.columns([1, 3], vertical_alignment="center")
        left.image(qr_png(url), caption="Scan to open", width=180)
        right.code(url, language=None, wrap_lines=True)
        right.button("Done", key="share_done", on_click=st.session_state.pop, args=(NEW_KEY, None))


def link_list(links: pd.DataFrame) -> None:
    """Every link of the plan with its status, and revoking one."""
    shown = links.set_index("Id")[SHOWN_COLUMNS]
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "Created": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            "Expires": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
            "Last used": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm"),
        },
    )
    active = links[links["Status"] == "active"]
    if active.empty:
        st.caption("No active links: nothing to revoke.")
        return
    names = {int(row.Id): f"{row.Label or '(no label)'} · {row.Role}" for row in active.itertuples()}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("Revoke a link", list(names), format_func=names.get, index=None, placeholder="Choose…")
    if right.button("Revoke…", icon=":material/link_off:", disabled=chosen is None, width="stretch"):
        confirm_revoke(int(chosen), names[int(chosen)])  # type: ignore[arg-type]


@live.dialog("Revoke this link?")
def confirm_revoke(link_id: int, name: str) -> None:
    """Ask before revoking: whoever uses the link loses access at their next click."""
    st.markdown(f"**{plain(name)}**")
    st.write(
        "Anyone using this link loses access at their next click. This cannot be undone: create a new link instead."
    )
    if st.button("Revoke the link", type="primary", icon=":material/link_off:"):
        plan_id = context().plan.id  # type: ignore[union-attr]
        write(lambda s, a: sharing.revoke_link(s, a, plan_id, link_id), f"Revoked “{plain(name)}”.")
        st.rerun()


def member_section() -> None:
    """People who sign in with their organisation's account, and their role on this plan."""
    st.subheader("People who sign in")
    st.caption("Sign-in is set up for this planner: owners and editors can sign in instead of using a link.")
    table = read_plan(members.list_members)
    if table.empty:
        st.caption("Nobody yet. Add the email address someone signs in with.")
    else:
        st.dataframe(table[["Email", "Role", "Added"]], hide_index=True)
    with st.form("member_add", clear_on_submit=True):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        email = left.text_input("Email address", placeholder="name@trust.nhs.uk")
        role = right.selectbox("Role", MEMBER_ROLES, format_func=str.title)
        if st.form_submit_button("Add", icon=":material/person_add:"):
            plan_id = context().plan.id  # type: ignore[union-attr]
            write(
                lambda s, a: members.add_member(s, a, plan_id, email, role), f"Added {plain(email.strip())} as {role}."
            )
            st.rerun()
    if not table.empty:
        _remove_member(table)


def _remove_member(table: pd.DataFrame) -> None:
    names = {int(row.id): (f"{row.Email} · {row.Role}", int(row.version)) for row in table.itertuples()}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox("Remove a member", list(names), format_func=lambda i: names[i][0], index=None)
    if right.button("Remove", icon=":material/person_remove:", disabled=chosen is None, width="stretch"):
        plan_id = context().plan.id  # type: ignore[union-attr]
        name, version = names[int(chosen)]  # type: ignore[arg-type]
        write(lambda s, a: members.remove_member(s, a, plan_id, int(chosen), version), f"Removed {plain(name)}.")  # type: ignore[arg-type]
        st.rerun()


def role_check() -> None:
    """Stop with a message unless this access owns the open plan (hiding the page is not the only guard)."""
    ctx = context()
    if not ctx.access.allows(Role.OWNER, ctx.plan.id):  # type: ignore[union-attr]
        flash.show()
        st.warning("Only the plan's owner can share it.", icon=":material/lock:")
        st.stop()

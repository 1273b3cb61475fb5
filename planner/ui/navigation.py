"""The page registry: sections, files, titles, icons and URL paths (DESIGN §4)."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from planner.access import Access, Role

# Page scripts live in one sub-folder per section. pages/<url path>.py are only entry shims:
# because a pages/ folder sits beside app.py, Streamlit serves the first request after a server
# start through its legacy pages/ discovery; a shim named after the requested path runs app.py,
# whose st.navigation then serves the real page (without the shim, that request shows
# "Page not found"). From then on st.navigation alone decides and the shims are never run.


@dataclass(frozen=True)
class PageSpec:
    key: str
    section: str
    title: str
    icon: str

    @property
    def file(self) -> str:
        """The page script, relative to app.py."""
        return f"pages/{self.section.lower()}/{self.key}.py"

    @property
    def url_path(self) -> str:
        """The URL path; the plan list is the root."""
        return "" if self.key == "home" else self.key


SPECS = [
    PageSpec("home", "Plan", "Plans", "list"),
    PageSpec("share", "Plan", "Share", "share"),
    PageSpec("history", "Plan", "History", "history"),
    PageSpec("context", "Discovery", "Strategic context", "travel_explore"),
    PageSpec("culture", "Discovery", "Culture diagnostic", "groups"),
    PageSpec("capabilities", "Discovery", "Capabilities", "psychology"),
    PageSpec("workforce", "Discovery", "Leadership workforce", "diversity_3"),
    PageSpec("vote", "Discovery", "Participant vote", "how_to_vote"),
    PageSpec("priorities", "Design", "Priorities and objectives", "flag"),
    PageSpec("means", "Design", "Acquire, develop, sustain", "build"),
    PageSpec("initiatives", "Development", "Initiatives and roadmap", "timeline"),
    PageSpec("summary", "Summary", "Board summary", "summarize"),
]
BY_KEY = {spec.key: spec for spec in SPECS}


def page_file(key: str) -> str:
    """The script path of a page, for st.page_link and st.switch_page."""
    return BY_KEY[key].file


PHASE_PAGES = ("context", "culture", "capabilities", "workforce", "priorities", "means", "initiatives")
# What each role may open (DESIGN §5); the planner functions behind each page check the role again.
VISIBLE: dict[Role, tuple[str, ...]] = {
    Role.OWNER: tuple(spec.key for spec in SPECS),
    Role.EDITOR: tuple(spec.key for spec in SPECS if spec.key != "share"),
    Role.VIEWER: ("summary", *PHASE_PAGES, "history"),  # history read-only: compare snapshots, read the audit trail
    Role.PARTICIPANT: ("vote",),
}


def visible_keys(access: Access) -> tuple[str, ...]:
    """The page keys this access may open, the landing page first."""
    return VISIBLE[access.role]


def _page(spec: PageSpec, default: bool) -> st.Page:
    return st.Page(
        spec.file,
        title=spec.title,
        icon=f":material/{spec.icon}:",
        url_path=spec.url_path or None,
        default=default,
    )


def navigation(access: Access) -> st.Page:
    """The navigation this access may use: a participant sees the vote page and nothing else."""
    keys = visible_keys(access)
    if access.role == Role.PARTICIPANT:
        vote = BY_KEY["vote"]
        return st.navigation(
            [st.Page(vote.file, title=vote.title, url_path=vote.url_path, default=True)], position="hidden"
        )
    return st.navigation(pages(keys))


def pages(keys: tuple[str, ...] = VISIBLE[Role.OWNER]) -> dict[str, list[st.Page]]:
    """st.Page objects grouped by section, for st.navigation; the first key is the landing page."""
    grouped: dict[str, list[st.Page]] = {}
    for spec in SPECS:
        if spec.key in keys:
            grouped.setdefault(spec.section, []).append(_page(spec, default=spec.key == keys[0]))
    return grouped


def run_app() -> None:
    """Run app.py, the frame, in place of a legacy pages/ entry shim."""
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__")

"""AppTest fixtures: a migrated temporary database with a demo plan and a blank plan."""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from planner import plans, sharing
from planner.access import owner
from planner.db import make_engine, write_session
from planner.migration import open_database
from planner.seed import DEMO_FILE, load_demo
from planner.settings import PROJECT_ROOT, load_settings
from planner.ui.frame import _throttle as throttle
from planner.ui.navigation import page_file

TABLE_RULE = re.compile(r"\|(?: ---:? \|)+")  # the second line of a Markdown table
CELL = re.compile(r"(?<!\\)\|")  # a cell border: a pipe not escaped
ESCAPE = re.compile(r"\\(.)")
SVG = "{http://www.w3.org/2000/svg}"

APP = str(PROJECT_ROOT / "app.py")
PAGES = [
    "home",
    "context",
    "culture",
    "capabilities",
    "workforce",
    "priorities",
    "means",
    "initiatives",
    "summary",
    "share",
    "history",
    "vote",
]


@dataclass
class AppDb:
    url: str
    demo_id: int | None
    blank_id: int

    def app(self, page: str = "home", plan_id: int | None = None) -> AppTest:
        """An AppTest of the whole app, switched to `page` with `plan_id` open."""
        at = AppTest.from_file(APP, default_timeout=60)
        if plan_id is not None:
            at.query_params["plan"] = str(plan_id)
        at.run()
        if page != "home":
            at.switch_page(page_file(page)).run()
        return at

    def engine(self) -> Engine:
        """An engine on this test's database, for arranging data and checking what was saved."""
        return make_engine(self.url)

    def viewer(self, page: str, plan_id: int) -> AppTest:
        """An AppTest opened through a new viewer link to the plan, switched to `page`."""
        with write_session(self.engine()) as session:
            link = sharing.create_link(session, owner(), plan_id, "viewer", label="Board", base_url="http://localhost")
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["token"] = link.token
        at.run()
        return at.switch_page(page_file(page)).run()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int | None]:
    """A migrated database with a blank plan and the demo plan, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "planner.db"
    engine = open_database(load_settings({"PLANNER_DATABASE_URL": f"sqlite:///{path}"}))
    with write_session(engine) as session:
        blank_id = plans.create_plan(session, owner(), name="Blank plan", organisation="Test Trust")
        demo_id = load_demo(session, owner()) if (PROJECT_ROOT / "seed_data" / DEMO_FILE).exists() else None
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path, blank_id, demo_id


@pytest.fixture
def app_db(template_db: tuple[Path, int, int | None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppDb:
    template, blank_id, demo_id = template_db
    shutil.copy(template, tmp_path / "planner.db")
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    monkeypatch.setenv("PLANNER_MODE", "local")
    monkeypatch.setattr("planner.settings.SECRETS_FILES", ())  # this machine's secrets stay out of the tests
    throttle()._failures.clear()  # the throttle lives as long as the process: one test's bad tokens stay its own
    return AppDb(url, demo_id, blank_id)


@pytest.fixture
def demo_id(app_db: AppDb) -> int:
    if app_db.demo_id is None:
        pytest.fail("seed_data/demo_plan.json is missing: the demo plan must ship with the app")
    return app_db.demo_id


def edit_cells(at: AppTest, editor: Any, edited_rows: dict[int, dict[str, Any]]) -> AppTest:
    """Send a data editor's edit state as the browser does, so that its on_change callback runs."""
    states: WidgetStates = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = editor.proto.id
    edits = {str(row): cells for row, cells in edited_rows.items()}
    state.string_value = json.dumps({"edited_rows": edits, "added_rows": [], "deleted_rows": []})
    return at._run(states)


def texts(at: AppTest, *kinds: str) -> str:
    """The text of every element of these kinds (default: captions, markdown and all alerts), one per line."""
    kinds = kinds or ("caption", "markdown", "info", "success", "error", "warning")
    return "\n".join(str(part.value) for kind in kinds for part in getattr(at, kind))


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table on the page (planner.ui.tables), read back from its Markdown: cells as text, unescaped."""
    return [_table_of(part.value) for part in at.markdown if _is_table(part.value)]


def _is_table(markdown: str) -> bool:
    lines = markdown.split("\n")
    return len(lines) > 1 and TABLE_RULE.fullmatch(lines[1]) is not None


def _table_of(markdown: str) -> pd.DataFrame:
    header, _, *rows = ([ESCAPE.sub(r"\1", cell.strip()) for cell in CELL.split(line[1:-1])]
                        for line in markdown.split("\n"))  # fmt: skip
    return pd.DataFrame(rows, columns=header)


def button(at: AppTest, label: str) -> Any:
    """The first button with this label."""
    return next(found for found in at.button if found.label == label)


@dataclass(frozen=True)
class ChartShown:
    """A chart as the page shows it: a picture's alt text and the SVG drawn on the server."""

    alt: str
    svg: str

    def texts(self, role: str) -> list[list[str]]:
        """The text drawn in each group of marks of one Vega role ("axis-label", "legend-label", "title-text"…)."""
        return [_texts(group) for group in self._groups(role)]

    @property
    def title(self) -> str:
        return self.texts("title-text")[0][0]

    def rows(self) -> list[str]:
        """The labels of the left-hand axis, top to bottom, as drawn (a long one cut short with "…")."""
        left = [group for group in self._groups("axis-label") if group.find(f"{SVG}text").get("text-anchor") == "end"]
        return [label for group in left for label in _texts(group)]

    def _groups(self, role: str) -> list[ElementTree.Element]:
        groups = ElementTree.fromstring(self.svg).iter(f"{SVG}g")
        return [group for group in groups if f"role-{role}" in group.get("class", "").split()]


def _texts(group: ElementTree.Element) -> list[str]:
    return ["".join(text.itertext()) for text in group.iter(f"{SVG}text")]


def shown_charts(at: AppTest) -> list[ChartShown]:
    """Every chart on the page, in order: the SVG pictures that planner.ui.chart_display shows."""
    shown = []
    for element in at.get("image"):
        for image in element.proto.imgs:
            kind, _, data = image.url.partition(",")
            if kind == "data:image/svg+xml;base64":
                shown.append(ChartShown(image.alt, base64.b64decode(data).decode()))
    return shown


@dataclass(frozen=True)
class FigureShown:
    """A headline figure as planner.ui.figures draws it; `tone` is "good", "bad" or "neutral" when it has a change."""

    label: str
    value: str
    delta: str | None = None
    tone: str | None = None
    help: str | None = None


def figures(at: AppTest) -> list[FigureShown]:
    """Every headline figure on the page, in order (planner.ui.figures), read back from its HTML."""
    return [figure for element in at.get("html") for figure in figures_in(element.value)]


def figures_in(body: str) -> list[FigureShown]:
    """The headline figures in one st.html body."""
    start = body.find("<dl")
    if start < 0:
        return []
    return [_figure(div) for div in ElementTree.fromstring(body[start:]) if div.get("data-figure") is not None]


def _figure(group: ElementTree.Element) -> FigureShown:
    parts = {part.get("class", "").split()[0]: part for part in group.iter() if part.get("class")}
    delta, help_ = parts.get("delta"), parts.get("help")
    return FigureShown(
        parts["label"].text or "",
        parts["value"].text or "",
        delta=delta[0].tail if delta is not None else None,  # the text after its arrow icon
        tone=delta.get("class", "").split()[1] if delta is not None else None,
        help=help_.get("data-help") if help_ is not None else None,
    )


@dataclass(frozen=True)
class CardShown:
    """A card of a list as planner.ui.cards draws it: its first line ("3. Name · Kind"), details and badge."""

    line: str
    details: tuple[str, ...]
    badge: str | None


def cards(at: AppTest) -> list[CardShown]:
    """Every card on the page, in order (planner.ui.cards), read back from its HTML."""
    return [card for element in at.get("html") for card in cards_in(element.value)]


def cards_in(body: str) -> list[CardShown]:
    """The cards in one st.html body."""
    found = re.search(r"<(ol|ul) class=\"planner-cards\">.*?</\1>", body, re.DOTALL)
    if not found:
        return []
    return [_card(item) for item in ElementTree.fromstring(found.group(0))]


def _card(item: ElementTree.Element) -> CardShown:
    line, *details = list(item)
    title, *badge = list(line)
    text = (title.text or "") + (title.tail or "")  # the number and title, then the kind
    return CardShown(text, tuple(detail.text or "" for detail in details), _badge(badge))


def _badge(found: list[ElementTree.Element]) -> str | None:
    if not found:
        return None
    tick = found[0].find("span")  # the "done" tone's tick icon, before the text
    return (tick.tail if tick is not None else found[0].text) or ""


def shows(label: str, name: str) -> bool:
    """Whether a chart's label is `name`, whole or cut short with "…" to fit."""
    return label == name or (label.endswith("…") and name.startswith(label[:-1]))


TAB_KEYS = {  # page → the key of its tabs (planner.ui.widgets.lazy_tabs): only the open tab's content runs
    "initiatives": "initiative_tabs",
    "culture": "culture_tabs",
    "capabilities": "capability_tabs",
    "workforce": "workforce_tabs",
    "priorities": "priorities_tabs",
    "history": "history_tabs",
    "means": "means_tabs",
}


def open_tab(at: AppTest, page: str, label: str) -> AppTest:
    """Open the tab labelled `label` on `page` (as a click on it would) and rerun."""
    assert label in [tab.label for tab in at.tabs], f"no tab {label!r} on {page}"
    at.session_state[TAB_KEYS[page]] = label
    return at.run()


def open_panel(at: AppTest, key: str) -> AppTest:
    """Open the lazily drawn expander or popover keyed `key` (as a click on it would) and rerun."""
    at.session_state[key] = True
    return at.run()

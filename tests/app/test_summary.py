"""The board summary page: the demo's metrics and charts, read-only for a viewer link, the empty state."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

import pytest
from streamlit.testing.v1.element_tree import Widget

from planner import initiatives, renderer, summary
from planner.access import owner
from planner.db import write_session
from planner.framework import page_guide
from planner.ui import memo
from planner.ui.export_views import PANEL_OPEN

from .conftest import AppDb, figures, open_panel, shown_charts, texts

METRICS = [
    "Culture index (1–5)",
    "BME share of the board",
    "Budget committed",
    "Initiatives on track",
    "Initiatives at risk",
    "Initiatives off track",
]
CHECKS = [
    "Vision and narrative written",
    "Objectives specific and agreed",
    "Every priority covered by means and initiatives",
    "Diversity targets set",
    "Check-ins recent",
]


def _titles(at) -> list[str]:
    return [chart.title for chart in shown_charts(at)]


def test_the_demo_summary_shows_the_metrics_and_four_charts(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("summary", demo_id)

    assert not at.exception
    assert [figure.label for figure in figures(at)] == METRICS
    values = {figure.label: figure.value for figure in figures(at)}
    assert values["Budget committed"].startswith("£")
    assert values["Culture index (1–5)"] != "—"
    assert _titles(at) == [
        "Ratings by cultural element",
        "The 5 largest capability gaps",
        "Diversity mix by tier — Ethnicity (White / BME)",
        "Roadmap",
    ]


def test_the_demo_summary_shows_coverage_completeness_and_assurance(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("summary", demo_id)

    headings = [header.value for header in at.subheader]
    for heading in ("Uncovered priorities", "Plan completeness by phase", "Board assurance"):
        assert heading in headings
    shown = texts(at, "markdown")
    assert all(f"**{check}**" in shown for check in CHECKS)
    assert [bar.proto.text.split(":")[0] for bar in at.get("progress")] == ["Discovery", "Design", "Development"]


def test_a_viewer_link_sees_no_input_widgets(app_db: AppDb, demo_id: int) -> None:
    at = app_db.viewer("summary", demo_id)

    assert not at.exception
    assert len(figures(at)) == len(METRICS)
    assert len(shown_charts(at)) == 4
    # Nothing editable: the only widgets are the export buttons a viewer may use; no plan switcher for a link.
    assert not [b for b in at.button if b.label.startswith("Prepare ")], "the closed export panel draws nothing"
    at = open_panel(at, PANEL_OPEN)
    widgets = [node for node in at.main if isinstance(node, Widget)]
    assert widgets and all(getattr(node, "label", "").startswith("Prepare ") for node in widgets)
    assert not at.sidebar.selectbox
    assert not at.get("arrow_data_frame")


def test_an_export_builds_on_click_and_offers_its_download(app_db: AppDb, demo_id: int) -> None:
    at = open_panel(app_db.viewer("summary", demo_id), PANEL_OPEN)

    at = next(b for b in at.button if b.label == "Prepare JSON plan file").click().run()

    assert not at.exception
    downloads = at.get("download_button")
    assert len(downloads) == 1 and downloads[0].proto.label.startswith("Download ")
    assert downloads[0].proto.label.endswith(".json")


def test_a_board_pack_whose_chart_is_given_up_says_so(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def given_up(spec: str, scale: float) -> bytes:
        raise renderer.RenderError("the chart took longer than 30 s to draw")

    monkeypatch.setattr(renderer, "png", given_up)
    at = open_panel(app_db.viewer("summary", demo_id), PANEL_OPEN)

    at = next(b for b in at.button if b.label == "Prepare PDF board pack").click().run()

    assert not at.exception
    failed = "Could not build the PDF board pack: the chart took longer than 30 s to draw"
    assert failed in [box.label for box in at.get("status")]
    assert not at.get("download_button")


def test_an_empty_plan_says_what_to_do_next(app_db: AppDb) -> None:
    at = app_db.app("summary", app_db.blank_id)

    assert not at.exception
    assert page_guide("summary").empty in texts(at, "info")
    assert not figures(at)
    assert not shown_charts(at)
    assert "Blank plan" in [header.value for header in at.subheader]


def test_a_long_portfolio_shows_the_initiatives_most_needing_attention_and_links_the_whole_roadmap(
    app_db: AppDb, demo_id: int
) -> None:
    with write_session(app_db.engine()) as session:
        for n in range(summary.ROADMAP_LIMIT + 5):
            initiatives.add_initiative(session, owner(), demo_id, title=f"Coaching cohort {n + 1}",
                                       start=date(2026, 4, 1), end=date(2027, 3, 31))  # fmt: skip

    at = app_db.app("summary", demo_id)

    [roadmap] = [chart for chart in shown_charts(at) if chart.title == "Roadmap"]
    rows = [row for row in roadmap.rows() if row not in initiatives.KINDS.values()]  # less headings
    assert len(rows) == summary.ROADMAP_LIMIT
    assert f"The {summary.ROADMAP_LIMIT} of 41 initiatives most needing attention" in texts(at, "caption")
    assert "The whole roadmap" in [link.proto.label for link in at.get("page_link")]


def test_a_chart_that_cannot_be_drawn_leaves_the_rest_of_the_summary(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = renderer.svg

    def failing_roadmap(spec: str) -> str:
        if '"Roadmap"' in spec:
            raise renderer.RenderError("no such scale")
        return real(spec)

    monkeypatch.setattr(renderer, "svg", failing_roadmap)
    monkeypatch.setattr(memo, "_charts", OrderedDict())  # nothing drawn by earlier tests
    at = app_db.app("summary", demo_id)

    assert not at.exception
    assert "The 5 largest capability gaps" in _titles(at) and "Roadmap" not in _titles(at)
    assert any("A chart could not be drawn here" in warning.value for warning in at.warning)

"""The leadership-workforce page: figures and charts on the demo, read-only viewers, editing, import, qualities."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from planner import workforce
from planner.access import owner
from planner.db import read_session, write_session
from planner.ui.workforce_views import QUALITY_ADD_OPEN

from .conftest import AppDb, edit_cells, figures, open_panel, open_tab, shown_charts, tables

PERSON_CSV = """Name,Email,Band,Staff group,Gender,Ethnic origin,Disability,Age band
Ann Secret,ann.secret@example.nhs.uk,Band 7,Nursing and Midwifery Registered,Female,A White - British,No,35-44
Bob Hidden,bob.hidden@example.nhs.uk,Band 8a,Medical and Dental,Male,H Asian or Asian British - Indian,No,45-54
Cy Private,cy.private@example.nhs.uk,VSM,Administrative and Clerical,Female,N Black or Black British - African,Yes,55+
Di Quiet,di.quiet@example.nhs.uk,Band 5,Additional Clinical Services,Female,Z Not Stated,Not declared,Under 35
Ed Shy,ed.shy@example.nhs.uk,Band 3,Estates and Ancillary,Male,Martian,No,Under 35
"""


def _read(app_db: AppDb, reader: Any, plan_id: int, *args: Any) -> Any:
    with read_session(app_db.engine()) as session:
        return reader(session, owner(), plan_id, *args)


@pytest.fixture
def blank_plan_with_counts(app_db: AppDb) -> int:
    """The blank plan with one stored count: 7 White board members."""
    with write_session(app_db.engine()) as session:
        workforce.set_counts(session, owner(), app_db.blank_id, "board", "ethnicity", {"White": 7})
    return app_db.blank_id


def _editor(at: AppTest, prefix: str) -> Any:
    return next(editor for editor in at.data_editor if editor.key.startswith(prefix))


def _edit_cells(at: AppTest, prefix: str, edited_rows: dict[int, dict[str, Any]]) -> AppTest:
    return edit_cells(at, _editor(at, prefix), edited_rows)


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "error", "warning", "info") for e in at.get(kind)]
    return "\n".join(str(part) for part in parts)


def _tables(at: AppTest) -> list[Any]:
    return tables(at)


def test_demo_plan_shows_figures_tables_and_both_charts(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("workforce", demo_id)

    assert not at.exception
    heads = _read(app_db, workforce.headcounts, demo_id)
    metrics = {figure.label: figure.value for figure in figures(at)}
    assert metrics["Leaders"] == f"{heads.leaders:,}"
    assert metrics["Whole workforce"] == f"{heads.workforce:,}"
    assert "BME on the board" in metrics
    tier_table, wres = _tables(at)[:2]
    assert list(tier_table["Tier"]) == ["Board", "Executive", "Senior", "Middle", "First-line", "Whole workforce"]
    assert {"Medical and dental", "Other clinical", "Non-clinical"} <= set(tier_table.columns)
    assert {"Difference (pp)", "Relative representation"} <= set(wres.columns)
    assert [chart.title for chart in shown_charts(at)] == [
        "Diversity mix by tier — Ethnicity (White / BME)",
        "Leadership pipeline: share BME by tier",
    ]


def test_choosing_another_dimension_redraws_both_charts(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("workforce", demo_id)

    at.selectbox(key="workforce_dimension").set_value("gender").run()

    assert not at.exception
    titles = [chart.title for chart in shown_charts(at)]
    assert titles == ["Diversity mix by tier — Gender", "Leadership pipeline: share Female by tier"]


def test_a_viewer_sees_the_figures_but_no_editor_or_uploader(app_db: AppDb, demo_id: int) -> None:
    at = app_db.viewer("workforce", demo_id)

    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Overview", "Qualities sought"]
    assert len(shown_charts(at)) == 2
    for label in ["Overview", "Qualities sought"]:
        at = open_tab(at, "workforce", label)
        assert not at.exception, label
        assert len(at.data_editor) == 0, label
        assert len(at.file_uploader) == 0, label
        assert not [button for button in at.button if button.label in ("Add quality", "Add category", "Add band")]
    assert len(at.dataframe) == 1  # the qualities, read-only


def test_a_blank_plan_says_what_to_do_next(app_db: AppDb) -> None:
    at = app_db.app("workforce", app_db.blank_id)

    assert not at.exception
    assert "No workforce data yet" in at.info[0].value
    assert "Import a file" in _text(at)
    assert len(shown_charts(at)) == 0

    at = open_tab(at, "workforce", "Import a file")
    assert not at.exception
    assert len(shown_charts(at)) == 0
    assert len(at.file_uploader) == 1


def test_editing_a_count_saves_it(app_db: AppDb, blank_plan_with_counts: int) -> None:
    plan_id = blank_plan_with_counts
    at = open_tab(app_db.app("workforce", plan_id), "workforce", "Edit counts")
    at.selectbox(key="workforce_edit_tier").set_value("board").run()
    at.selectbox(key="workforce_edit_dim").set_value("ethnicity").run()
    shown = _editor(at, "workforce_counts_").value
    assert list(shown["category"]) == ["BME", "White", "Not stated"]

    _edit_cells(at, "workforce_counts_", {0: {"count": 3}, 2: {"count": 1}})

    assert not at.exception
    cell = _read(app_db, workforce.dimension_counts, plan_id, "board", "ethnicity")
    assert dict(zip(cell["category"], cell["count"], strict=True)) == {"BME": 3, "White": 7, "Not stated": 1}
    assert "Saved the counts for Board · Ethnicity (White / BME)." in [s.value for s in at.success]


def test_adding_a_category_and_a_local_population(app_db: AppDb, blank_plan_with_counts: int) -> None:
    plan_id = blank_plan_with_counts
    at = open_tab(app_db.app("workforce", plan_id), "workforce", "Edit counts")
    at.selectbox(key="workforce_edit_tier").set_value(workforce.LOCAL).run()
    at.selectbox(key="workforce_edit_dim").set_value("age_band").run()

    next(t for t in at.text_input if t.label == "Add a category").set_value("65 and over")
    next(n for n in at.number_input if n.label == "Headcount").set_value(18)
    next(b for b in at.button if b.label == "Add category").click().run()

    assert not at.exception
    cell = _read(app_db, workforce.dimension_counts, plan_id, workforce.LOCAL, "age_band")
    assert dict(zip(cell["category"], cell["count"], strict=True)) == {"65 and over": 18}


def test_uploading_a_person_level_file_previews_it_and_confirming_replaces_the_data(
    app_db: AppDb, demo_id: int
) -> None:
    at = open_tab(app_db.app("workforce", demo_id), "workforce", "Import a file")
    before = _read(app_db, workforce.headcounts, demo_id)

    at.file_uploader[0].upload("hr-extract.csv", PERSON_CSV.encode(), "text/csv").run()

    assert not at.exception
    text = _text(at)
    assert "5 rows read" in text
    assert "Ignored columns (their values are not read or stored): Name, Email." in text
    assert f"{before.leaders:,} leaders" in text and "3 leaders; whole workforce 5" in text
    tables = _tables(at)
    rows = next(t for t in tables if list(t.columns) == ["Tier", "Rows"])
    assert dict(zip(rows["Tier"], rows["Rows"], strict=True))["Whole workforce"] == "5"  # cells as shown
    recoded = next(t for t in tables if "Counted as" in t.columns)
    assert "Martian" in set(recoded["Value in the file"])
    assert _read(app_db, workforce.headcounts, demo_id).leaders == before.leaders  # nothing changes before confirming

    next(b for b in at.button if b.label == "Replace the workforce data").click().run()

    assert not at.exception
    after = _read(app_db, workforce.headcounts, demo_id)
    assert (after.leaders, after.workforce) == (3, 5)
    assert any("Replaced the workforce data" in s.value for s in at.success)
    assert not [b for b in at.button if b.label == "Replace the workforce data"]
    at = open_tab(at, "workforce", "Overview")
    assert not at.exception
    wres = _tables(at)[1]
    assert list(wres["BME"]) == ["0", "1", "0", "1", "0"]  # Board, Executive (Black), Senior, Middle (Asian), 1st line


def test_a_bad_file_is_refused_and_nothing_changes(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("workforce", demo_id), "workforce", "Import a file")
    before = _read(app_db, workforce.counts, demo_id)

    at.file_uploader[0].upload("hr.csv", b"Name,Email\nAnn,ann@example.nhs.uk\n", "text/csv").run()

    assert not at.exception
    assert "cannot be imported" in at.error[0].value and "Nothing was changed" in at.error[0].value
    assert not [b for b in at.button if b.label == "Replace the workforce data"]
    assert _read(app_db, workforce.counts, demo_id).equals(before)


def test_changing_a_bands_tier_saves_it(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("workforce", demo_id), "workforce", "Import a file")
    bands = _editor(at, "workforce_bands_").value
    row = list(bands["band"]).index("Band 7")

    _edit_cells(at, "workforce_bands_", {row: {"tier_key": "middle"}})

    assert not at.exception
    assert _read(app_db, workforce.band_tiers, demo_id)["Band 7"] == "middle"


def test_adding_a_duplicate_band_spelling_is_refused(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("workforce", demo_id), "workforce", "Import a file")
    before = _read(app_db, workforce.band_tiers, demo_id)

    next(t for t in at.text_input if t.label == "Band or grade to add").set_value("AfC Band 8a")
    next(b for b in at.button if b.label == "Add band").click().run()

    assert not at.exception
    assert any("same band as “Band 8 - Range A”" in e.value for e in at.error)
    assert _read(app_db, workforce.band_tiers, demo_id) == before


def test_adding_editing_and_removing_a_quality(app_db: AppDb, demo_id: int) -> None:
    at = open_tab(app_db.app("workforce", demo_id), "workforce", "Qualities sought")
    count = len(_read(app_db, workforce.qualities, demo_id))
    assert not [field for field in at.text_input if field.label == "Quality"]  # the panel is closed: not drawn

    at = open_panel(at, QUALITY_ADD_OPEN)
    next(t for t in at.text_input if t.label == "Quality").set_value("Speaks up")
    next(s for s in at.selectbox if s.label == "Tier").set_value("board")
    next(b for b in at.button if b.label == "Add quality").click().run()

    qualities = _read(app_db, workforce.qualities, demo_id)
    added = qualities[qualities["name"] == "Speaks up"].iloc[0]
    assert (len(qualities), added["tier"]) == (count + 1, "Board")

    shown = _editor(at, "workforce_qualities_").value
    _edit_cells(at, "workforce_qualities_", {list(shown["name"]).index("Speaks up"): {"strength": 2}})
    assert _read(app_db, workforce.qualities, demo_id).set_index("id").loc[added["id"], "strength"] == 2

    next(s for s in at.selectbox if s.label == "Quality to remove").set_value(int(added["id"]))
    next(b for b in at.button if b.label == "Remove quality").click().run()

    assert not at.exception
    assert "Speaks up" not in set(_read(app_db, workforce.qualities, demo_id)["name"])

"""The per-session memory of reads and charts: reruns over an unchanged plan skip the work, any change shows."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, event, text
from streamlit.testing.v1 import AppTest

from planner import charts, context, initiatives, means, sharing, summary
from planner.access import owner
from planner.db import make_engine, read_session, write_session
from planner.ui import capability_views, context_forms, initiative_views, means_views, priority_views, workforce_views
from planner.ui.navigation import page_file

from .conftest import APP, AppDb, cards, open_panel, open_tab, shown_charts, tables, texts


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement any engine in this process runs meanwhile."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _rename_first(app_db: AppDb, plan_id: int, title: str) -> None:
    with read_session(app_db.engine()) as session:
        first = initiatives.portfolio(session, owner(), plan_id).iloc[0]
    with write_session(app_db.engine()) as session:
        initiatives.update_initiative(session, owner(), plan_id, int(first["id"]), int(first["version"]), title=title)


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """A list that gains an item at every call of module.name from now on."""
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def _built_once_per_revision(at: AppTest, calls: list[int], change: Callable[[], None]) -> AppTest:
    """Assert a rerun over the same plan builds nothing again, and the rerun after `change` builds once more."""
    at.run()
    assert len(calls) == 1
    change()
    at.run()
    assert len(calls) == 2
    return at


def test_a_rerun_over_an_unchanged_plan_reads_much_less(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("initiatives", demo_id)
    with counted_statements() as cold:
        _rename_first(app_db, demo_id, "Renamed to move the revision")
        at.run()
    with counted_statements() as warm:
        at.run()

    assert not at.exception
    assert len(warm) * 3 <= len(cold), (len(warm), len(cold))


def test_a_change_by_someone_else_shows_at_the_next_rerun(app_db: AppDb, demo_id: int) -> None:
    at = app_db.app("initiatives", demo_id)
    at.run()  # remembered now
    _rename_first(app_db, demo_id, "Changed by a colleague")
    at.run()

    grids = [grid.value for grid in at.dataframe]
    assert any("Changed by a colleague" in list(grid.get("Initiative", [])) for grid in grids)


def _initiative_titles(at: AppTest) -> set[str]:
    return {title for grid in at.dataframe for title in grid.value.get("Initiative", [])}


def test_a_new_session_on_an_unchanged_plan_is_given_the_reads_of_an_earlier_one(
    app_db: AppDb, demo_id: int
) -> None:
    first, second = app_db.app("home", demo_id), app_db.app("home", demo_id)
    with counted_statements() as cold:
        first.switch_page(page_file("summary")).run()
    with counted_statements() as warm:
        second.switch_page(page_file("summary")).run()

    assert not first.exception and not second.exception
    assert texts(second) == texts(first) and "Board assurance" in texts(second, "subheader")
    assert len(warm) * 3 <= len(cold), (len(warm), len(cold))


def test_a_session_opened_after_a_change_reads_it(app_db: AppDb, demo_id: int) -> None:
    app_db.app("initiatives", demo_id)
    _rename_first(app_db, demo_id, "Renamed between two sessions")

    assert "Renamed between two sessions" in _initiative_titles(app_db.app("initiatives", demo_id))


def test_a_session_with_other_access_reads_for_itself(app_db: AppDb, demo_id: int) -> None:
    with write_session(app_db.engine()) as session:
        link = sharing.create_link(session, owner(), demo_id, "viewer", label="Board", base_url="http://localhost")
    app_db.app("summary", demo_id)  # the owner's reads, kept
    counts = []
    for _ in range(2):  # the first viewer reads for itself, the second is given the first's reads
        with counted_statements() as seen:
            at = AppTest.from_file(APP, default_timeout=60)
            at.query_params["token"] = link.token
            at.run().switch_page(page_file("summary")).run()
        assert not at.exception
        counts.append(len(seen))

    assert counts[1] * 2 <= counts[0], counts


def test_a_plan_in_another_database_is_read_from_it(
    app_db: AppDb, demo_id: int, template_db: tuple[Path, int, int | None], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app_db.app("initiatives", demo_id)
    (tmp_path / "other").mkdir()
    other = tmp_path / "other" / "planner.db"
    shutil.copy(template_db[0], other)
    engine = make_engine(f"sqlite:///{other}")
    with engine.begin() as connection:  # the same plan in the same state (revision, updated_at) as in app_db
        connection.execute(text("UPDATE initiative SET title = 'Only in the other database' WHERE plan_id = :id"),
                           {"id": demo_id})  # fmt: skip
    engine.dispose()
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{other}")

    assert "Only in the other database" in _initiative_titles(app_db.app("initiatives", demo_id))


def test_a_chart_is_built_once_for_the_same_inputs(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, charts, "roadmap")
    at = open_tab(app_db.app("initiatives", demo_id), "initiatives", "Roadmap")
    first = shown_charts(at)
    at.run()

    assert len(calls) == 1 and shown_charts(at) == first and first
    _rename_first(app_db, demo_id, "A new title for the roadmap")
    at.run()
    assert len(calls) == 2
    assert any("A new title for the roadmap" in chart.rows() for chart in shown_charts(at))


def test_a_table_derived_from_reads_is_built_once_per_revision(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, workforce_views, "_tier_table")
    at = app_db.app("workforce", demo_id)
    first = tables(at)
    at.run()

    assert len(calls) == 1 and first
    assert all(a.equals(b) for a, b in zip(first, tables(at), strict=True))
    _rename_first(app_db, demo_id, "Any change moves the revision")
    at.run()
    assert len(calls) == 2


def test_the_high_priority_context_list_is_built_once_per_revision(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_high_priority_item() -> None:
        with write_session(app_db.engine()) as session:
            context.add_item(session, owner("Colleague"), demo_id, title="A new ICB operating model",
                             category="political", detail="", implication="Board seats to share", priority="high",
                             element_keys=[])  # fmt: skip

    calls = _count_calls(monkeypatch, context_forms, "_high_priority_text")
    at = _built_once_per_revision(app_db.app("context", demo_id), calls, add_high_priority_item)

    assert "A new ICB operating model" in texts(at, "markdown")


def test_the_discovery_candidates_are_split_once_per_revision(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, priority_views, "_by_source")
    at = _built_once_per_revision(
        app_db.app("priorities", demo_id), calls, lambda: _rename_first(app_db, demo_id, "Any change moves it")
    )

    assert cards(at)[0].line.startswith("1. ")  # the first candidate's card, drawn from the kept lists


def test_the_board_roadmap_is_chosen_once_per_revision(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, summary, "board_roadmap")
    at = _built_once_per_revision(
        app_db.app("summary", demo_id), calls, lambda: _rename_first(app_db, demo_id, "Renamed for the board")
    )

    assert any("Renamed for the board" in chart.rows() for chart in shown_charts(at))


def test_the_consensus_table_is_kept_per_filter_choice(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, capability_views, "_consensus_rows")
    at = open_panel(app_db.app("capabilities", demo_id), capability_views.CONSENSUS_OPEN)
    at.run()
    assert len(calls) == 1

    tiers = at.multiselect(key="capability_filter_tiers")
    tiers.set_value([tiers.value[0]]).run()  # the first tier only (the options are its label)

    assert len(calls) == 2
    consensus = next(frame.value for frame in at.dataframe if "tier" in frame.value.columns)
    assert set(consensus["tier"]) == {tiers.options[0]}


def test_a_priority_s_means_are_prepared_once_per_revision(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rename_a_shown_means() -> None:
        with read_session(app_db.engine()) as session:
            shown = means.list_means(session, owner(), demo_id).set_index("approach").loc[approach]
        with write_session(app_db.engine()) as session:
            means.update_means(session, owner("Colleague"), demo_id, int(shown["id"]), int(shown["version"]),
                               approach="Renamed by a colleague")  # fmt: skip

    calls = _count_calls(monkeypatch, means_views, "priority_means")
    at = open_panel(app_db.app("means", demo_id), means_views.EDIT_OPEN)
    approach = at.data_editor[0].value["approach"].iloc[0]
    at = _built_once_per_revision(at, calls, rename_a_shown_means)

    assert "Renamed by a colleague" in list(at.data_editor[0].value["approach"])
    assert "Renamed by a colleague" in [card.line for card in cards(at)], "the card shows it too"


def test_the_portfolio_tables_are_built_once_per_revision_and_filter_choice(
    app_db: AppDb, demo_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def portfolio(at: AppTest) -> pd.DataFrame:
        return next(grid.value for grid in at.dataframe if "Needs attention" in grid.value.columns)

    tables = _count_calls(monkeypatch, initiative_views, "_table")
    flagged = _count_calls(monkeypatch, initiative_views, "_flagged")
    at = _built_once_per_revision(
        app_db.app("initiatives", demo_id), tables, lambda: _rename_first(app_db, demo_id, "Renamed in the portfolio")
    )
    assert len(flagged) == 2
    assert "Renamed in the portfolio" in set(portfolio(at)["Initiative"])

    at.multiselect(key="initiative_filter_status").set_value(["done"]).run()

    assert (len(tables), len(flagged)) == (3, 3), "another filter choice is another table"
    assert len(portfolio(at)) == 3

"""The benchmark scripts import, and the floor is served as the app is (they run outside the test suite)."""

from __future__ import annotations

import importlib
import json
import runpy
from pathlib import Path

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app

from benchmarks.large_plan import large_document
from planner.capabilities import _clean_rating
from planner.settings import PROJECT_ROOT

SCRIPTS = sorted(path.stem for path in (PROJECT_ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_script_imports(name: str) -> None:
    assert importlib.import_module(f"benchmarks.{name}").__doc__


def test_floor_is_served_through_the_apps_page_routes(tmp_path: Path) -> None:
    from benchmarks import browser_pages

    (tmp_path / "floor_server.py").write_text(browser_pages.FLOOR_SERVER)
    found = discover_asgi_app(tmp_path / "floor_server.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert "deep_links.routes(['frame', 'chart', 'figures'])" in browser_pages.FLOOR_SERVER


def test_page_reruns_compile_each_script_once_as_a_server_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime.scriptrunner import magic
    from streamlit.testing.v1 import AppTest

    from benchmarks import page_rerun

    compiled: list[str] = []
    original = magic.add_magic
    monkeypatch.setattr(magic, "add_magic", lambda code, path: compiled.append(path) or original(code, path))
    at = AppTest.from_string(page_rerun.HELLO)
    at.run()
    at.run()
    assert len(compiled) == 2  # AppTest alone compiles on every run
    with page_rerun.compiled_once():
        at = AppTest.from_string(page_rerun.HELLO)
        at.run()
        at.run()
    assert len(compiled) == 3


def test_the_large_plan_rates_capabilities_on_the_apps_own_scales() -> None:
    """A required level of 5, which the app refuses, showed in the consensus grid as a median with no level name."""
    ratings = large_document()["records"]["capability_rating"]

    assert len(ratings) == 60 * 5 * 2
    for rating in ratings:
        _clean_rating({name: rating[name] for name in ("required", "current", "importance")})  # raises if off scale


def test_the_large_plans_whole_workforce_outnumbers_its_leaders() -> None:
    records = large_document()["records"]
    for dimension in {row["dimension"] for row in records["workforce_aggregate"]}:
        leaders = sum(row["count"] for row in records["workforce_aggregate"] if row["dimension"] == dimension)
        whole = sum(row["count"] for row in records["workforce_benchmark"]
                    if row["dimension"] == dimension and row["label"] == "Whole workforce")  # fmt: skip
        assert leaders == pytest.approx(20_000, abs=10) and whole > 2 * leaders, dimension


def test_the_change_before_a_load_moves_only_the_plans_revision(tmp_path: Path) -> None:
    from benchmarks.browser_pages import new_revision
    from planner import plans
    from planner.access import owner
    from planner.db import read_session, write_session
    from planner.migration import open_database
    from planner.settings import load_settings

    engine = open_database(load_settings({"PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'bench.db'}"}))
    with write_session(engine) as session:
        plan_id = plans.create_plan(session, owner(), name="Large plan")
    with read_session(engine) as session:
        before = plans.get_plan(session, owner(), plan_id)
    new_revision(engine, plan_id)
    with read_session(engine) as session:
        after = plans.get_plan(session, owner(), plan_id)

    assert after.revision == before.revision + 1
    assert (after.version, after.updated_at, after.name) == (before.version, before.updated_at, before.name)


def test_the_large_plan_has_a_snapshot_as_a_plan_in_use_has(tmp_path: Path) -> None:
    from benchmarks.large_plan import add_large_plan
    from planner import snapshots
    from planner.access import owner
    from planner.db import read_session, write_session
    from planner.migration import open_database
    from planner.settings import load_settings

    engine = open_database(load_settings({"PLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'bench.db'}"}))
    with write_session(engine) as session:
        plan_id = add_large_plan(session)
    with read_session(engine) as session:
        [kind] = snapshots.list_snapshots(session, owner(), plan_id)["kind"]
        held = snapshots.contents(snapshots.snapshot_document(session, owner(), plan_id, snapshots.CURRENT))

    assert kind == "daily"
    assert dict(zip(held["Section"], held["Records"], strict=True))["Initiatives"] == 300


def _replay(messages: list[str]) -> None:
    from benchmarks.page_replay import send

    send(messages)


def _drawn(tree) -> list[tuple[str, bytes]]:
    """Every node of an AppTest tree in order, elements with their protos (sidebar included)."""
    found = []
    for node in tree.children.values() if isinstance(tree.children, dict) else tree.children:
        proto = getattr(node, "proto", None)
        found.append((type(node).__name__, proto.SerializeToString() if proto is not None else b""))
        if getattr(node, "children", None):
            found += _drawn(node)
    return found


def test_a_replay_draws_what_the_page_drew(tmp_path: Path) -> None:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.element_tree import parse_tree_from_messages

    from benchmarks import page_replay
    from planner import plans
    from planner.access import owner
    from planner.db import write_session
    from planner.migration import open_database
    from planner.seed import load_demo
    from planner.settings import load_settings

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    with write_session(open_database(load_settings({"PLANNER_DATABASE_URL": url}))) as session:
        plan_id = load_demo(session, owner())
        plans.create_plan(session, owner(), name="Empty plan")  # so that the sidebar offers to switch
    recorded = page_replay.record("workforce", plan_id, url)
    page_replay.write_replay(tmp_path, {"workforce-demo": recorded})
    stored = json.loads((tmp_path / page_replay.RECORDINGS).read_text())["workforce-demo"]
    at = AppTest.from_function(_replay, args=(stored,))
    at.run()

    original = _drawn(parse_tree_from_messages([ForwardMsg.FromString(message) for message in recorded]))
    assert _drawn(at._tree) == original
    assert at.title[0].value == "Leadership workforce" and len(at.get("image")) == 2  # the page, with its charts
    assert at.sidebar.selectbox[0].label == "Open plan"


def test_the_replay_serves_each_recording_at_its_name(tmp_path: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from benchmarks import page_replay

    server = page_replay.write_replay(tmp_path, {"home-large": [], "home-empty": []})
    served = runpy.run_path(str(server))
    at = AppTest.from_file(str(tmp_path / "replay.py"))
    at.run()

    assert discover_asgi_app(server).is_asgi_app and served["names"] == ["home-large", "home-empty"]
    assert not at.exception and not at.main.children  # the default page draws nothing


def test_a_recording_that_points_at_a_media_file_is_refused() -> None:
    from benchmarks import page_replay

    with pytest.raises(page_replay.MediaInRecording):
        page_replay._replayable("summary", b'\x12\x05/media/abc.png')

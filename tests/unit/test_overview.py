"""Read-only page tables: the cultural elements list, the initiatives, and access to them."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from planner import overview
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session


def test_cultural_elements_list_every_element_in_order(engine: Engine, plan_id: int) -> None:
    with read_session(engine) as session:
        elements = overview.cultural_elements(session, owner(), plan_id)

    assert list(elements["Element"])[:2] == ["Vision and strategy", "Objectives"]
    assert (elements["Questions"] > 0).all()


@pytest.mark.parametrize("table", ["cultural_elements", "initiatives"])
def test_another_plans_viewer_is_refused(engine: Engine, make_plan, table: str) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")

    with read_session(engine) as session, pytest.raises(PermissionDenied):
        getattr(overview, table)(session, Access(Role.VIEWER, plan_id=theirs), mine)

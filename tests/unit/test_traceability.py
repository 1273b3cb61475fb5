"""Traceability chains (Discovery → Design → Development), broken links, and budget roll-ups."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select

from planner import models as m
from planner import records, traceability
from planner.access import Access, PermissionDenied, Role, owner
from planner.db import read_session, write_session


def _add(engine: Engine, plan_id: int, model: type, **values: Any) -> int:
    with write_session(engine) as session:
        return records.add(session, owner(), model, plan_id, values)


def _capability(engine: Engine, plan_id: int, key: str = "engaging_the_team") -> int:
    with read_session(engine) as session:
        query = select(m.Capability.id).where(m.Capability.plan_id == plan_id, m.Capability.key == key)
        return session.execute(query).scalar_one()


def _chains(engine: Engine, plan_id: int):
    with read_session(engine) as session:
        return traceability.chains(session, owner(), plan_id).set_index("row_key")


@pytest.fixture
def linked_plan(engine: Engine, plan_id: int) -> dict[str, int]:
    """A capability priority with a means and an initiative; an element priority with neither; two loose ends."""
    capability = _capability(engine, plan_id)
    ids = {
        "capability_priority": _add(
            engine, plan_id, m.Priority, title="Engaged teams", rank=1, capability_id=capability
        ),
        "element_priority": _add(engine, plan_id, m.Priority, title="Voice", rank=2, element_keys=["voice"]),
    }
    ids["means"] = _add(
        engine,
        plan_id,
        m.Means,
        priority_id=ids["capability_priority"],
        capability_id=capability,
        mode="develop",
        approach="Team coaching",
    )
    ids["initiative"] = _add(engine, plan_id, m.Initiative, title="Coaching programme", budget=1000)
    _add(engine, plan_id, m.InitiativeLink, initiative_id=ids["initiative"], means_id=ids["means"])
    ids["orphan"] = _add(engine, plan_id, m.Initiative, title="Away day", budget=500)
    return ids


def test_a_means_and_a_linked_initiative_complete_the_chain(engine: Engine, plan_id: int, linked_plan) -> None:
    chain = _chains(engine, plan_id)

    row = chain.loc[f"priority:{linked_plan['capability_priority']}"]
    assert (row["design"], row["development"], row["status"]) == (
        "Team coaching (develop)",
        "Coaching programme",
        "Complete",
    )
    assert chain.loc[f"priority:{linked_plan['element_priority']}", "status"] == "No means"
    assert chain.loc["element:voice", "status"] == "No means"


def test_loose_ends_are_listed(engine: Engine, plan_id: int, linked_plan) -> None:
    with read_session(engine) as session:
        orphans = traceability.orphan_initiatives(session, owner(), plan_id)
        missing = traceability.unlinked_priorities(traceability.chains(session, owner(), plan_id))

    assert list(orphans["title"]) == ["Away day"]
    assert list(missing["item"]) == ["Priority 2: Voice"]


@pytest.mark.parametrize(
    ("link", "delivers"),
    [
        ({"priority": True}, True),
        ({"objective": True}, True),
        ({"capability": True}, True),
        ({"elements": ["voice"]}, False),  # names an element, not the capability priority
        ({}, False),
    ],
)
def test_each_kind_of_link_delivers_the_priority(
    engine: Engine, plan_id: int, linked_plan, link: dict, delivers: bool
) -> None:
    priority = linked_plan["capability_priority"]
    initiative = _add(engine, plan_id, m.Initiative, title="New work", element_keys=link.get("elements", []))
    values: dict[str, Any] = {}
    if link.get("priority"):
        values["priority_id"] = priority
    if link.get("objective"):
        values["objective_id"] = _add(engine, plan_id, m.Objective, title="Engagement score up", priority_id=priority)
    if link.get("capability"):
        values["capability_id"] = _capability(engine, plan_id)
    if values:
        _add(engine, plan_id, m.InitiativeLink, initiative_id=initiative, **values)

    development = _chains(engine, plan_id).loc[f"priority:{priority}", "development"]

    assert ("New work" in development) is delivers


def test_an_initiative_naming_an_element_delivers_the_element_priority(
    engine: Engine, plan_id: int, linked_plan
) -> None:
    _add(engine, plan_id, m.Initiative, title="Listening events", element_keys=["voice"])

    chain = _chains(engine, plan_id)

    assert chain.loc[f"priority:{linked_plan['element_priority']}", "development"] == "Listening events"
    assert chain.loc["element:voice", "development"] == "Listening events"


def test_discovery_evidence_names_the_gap_and_the_context(engine: Engine, plan_id: int, linked_plan) -> None:
    capability = _capability(engine, plan_id)
    with read_session(engine) as session:
        board = session.execute(
            select(m.LeadershipTier.id).where(m.LeadershipTier.plan_id == plan_id, m.LeadershipTier.key == "board")
        ).scalar_one()
    _add(
        engine,
        plan_id,
        m.CapabilityRating,
        capability_id=capability,
        tier_id=board,
        required=4,
        current=2,
        importance=3,
    )
    _add(engine, plan_id, m.ContextItem, category="challenges", title="Staff survey slump", element_keys=["voice"])

    chain = _chains(engine, plan_id)

    assert chain.loc[f"priority:{linked_plan['capability_priority']}", "discovery"].startswith("capability gap +2.0")
    assert "“Staff survey slump”" in chain.loc[f"priority:{linked_plan['element_priority']}", "discovery"]


def test_context_evidence_names_three_items_once_each_in_order(engine: Engine, plan_id: int, linked_plan) -> None:
    _add(engine, plan_id, m.Priority, title="Voice and learning", rank=3, element_keys=["voice", "learning"])
    for title, keys in [("A", ["voice"]), ("B", ["learning", "voice"]), ("C", ["equity"]), ("D", ["learning"]),
                        ("E", ["voice"])]:  # fmt: skip
        _add(engine, plan_id, m.ContextItem, category="challenges", title=title, element_keys=keys)

    chain = _chains(engine, plan_id).set_index("item")

    assert chain.loc["Priority 3: Voice and learning", "discovery"] == "context: “A”; “B”; “D” and 1 more"
    assert chain.loc["Priority 1: Engaged teams", "discovery"] == "capability not yet rated"


def test_a_row_lists_its_means_and_initiatives_in_order(engine: Engine, plan_id: int, linked_plan) -> None:
    second = _add(engine, plan_id, m.Initiative, title="Team huddles", budget=100)
    _add(engine, plan_id, m.InitiativeLink, initiative_id=second, priority_id=linked_plan["capability_priority"])

    row = _chains(engine, plan_id).loc[f"priority:{linked_plan['capability_priority']}"]

    assert (row["design"], row["development"]) == ("Team coaching (develop)", "Coaching programme; Team huddles")


def test_years_share_the_budget_by_days() -> None:
    shares = traceability.year_shares(date(2026, 7, 1), date(2027, 6, 30), 365)

    assert shares == pytest.approx({"2026": 184, "2027": 181})
    assert traceability.year_shares(None, date(2027, 1, 1), 10) == {traceability.NO_DATES: 10}


def test_budget_by_type_tier_and_year_against_the_means(engine: Engine, plan_id: int) -> None:
    priority = _add(engine, plan_id, m.Priority, title="P", rank=1)
    _add(
        engine,
        plan_id,
        m.Means,
        priority_id=priority,
        mode="develop",
        approach="A",
        cost=900,
        tier_keys=["board", "senior"],
    )
    _add(
        engine,
        plan_id,
        m.Initiative,
        title="Programme",
        kind="leadership_development",
        budget=1200,
        tier_keys=["board", "senior", "middle"],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    _add(engine, plan_id, m.Initiative, title="Culture work", kind="culture_shaping", budget=300)

    with read_session(engine) as session:
        found = traceability.budget(session, owner(), plan_id)

    by_type = found.by_type.set_index("kind")["budget"]
    by_tier = found.by_tier.set_index("tier_key")
    assert (found.budget, found.estimate) == (1500, 900)
    assert (by_type["leadership_development"], by_type["culture_shaping"], by_type["organisation_development"]) == (
        1200,
        300,
        0,
    )
    assert by_tier.loc["board", ["budget", "estimate", "difference"]].tolist() == [400, 450, -50]
    assert by_tier.loc["middle", "budget"] == 400 and by_tier.loc["", "budget"] == 300
    assert dict(zip(found.by_year["year"], found.by_year["budget"], strict=True)) == {
        "2026": 1200,
        traceability.NO_DATES: 300,
    }


def test_another_plans_viewer_sees_nothing(engine: Engine, make_plan) -> None:
    mine, theirs = make_plan(name="Mine"), make_plan(name="Theirs")
    stranger = Access(Role.VIEWER, plan_id=theirs)

    with read_session(engine) as session:
        for read in (traceability.chains, traceability.orphan_initiatives, traceability.budget):
            with pytest.raises(PermissionDenied):
                read(session, stranger, mine)

"""The /initiatives page's Traceability and Budget tabs: Discovery → Design → Development, and money."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import traceability
from planner.ui import figures
from planner.ui.figures import Figure
from planner.ui.frame import read_plan
from planner.ui.tables import static_table


def traceability_section() -> None:
    """Each priority and weak element's chain, then the priorities and initiatives that break it."""
    st.caption(
        "The chain a board needs to see: what Discovery found, the means Design chose to acquire, develop and "
        "sustain the capability, and the Development initiatives that deliver them."
    )
    chain = read_plan(traceability.chains)
    if chain.empty:
        st.info("No priorities or weak cultural elements yet: set priorities on the Priorities page first.")
        return
    _chain_table(chain)
    _breaks(chain)


def _chain_table(chain: pd.DataFrame) -> None:
    columns = {
        "item": "Priority or element",
        "discovery": "Discovery: evidence",
        "design": "Design: means",
        "development": "Development: initiatives",
        "status": "Chain",
    }
    static_table(chain[list(columns)].rename(columns=columns).replace("", "—"))


def _breaks(chain: pd.DataFrame) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Priorities with no initiative")
        missing = traceability.unlinked_priorities(chain)
        if missing.empty:
            st.success("Every priority is delivered by at least one initiative.", icon=":material/check_circle:")
        else:
            static_table(missing.rename(columns={"item": "Priority", "design": "Its means"}))
    with right:
        st.subheader("Initiatives linked to nothing")
        alone = read_plan(traceability.orphan_initiatives)
        if alone.empty:
            st.success("Every initiative links to the plan.", icon=":material/check_circle:")
        else:
            names = traceability.kind_names()
            table = alone.assign(kind=alone["kind"].map(lambda k: names.get(k, k)))
            shown = table[["title", "kind"]].rename(columns={"title": "Initiative", "kind": "Type"})
            static_table(shown)


def budget_section() -> None:
    """Initiative budgets by type, tier and year, beside the means' estimated costs."""
    found = read_plan(traceability.budget)
    figures.row(
        [
            Figure("Initiative budgets", _pounds(found.budget)),
            Figure("Means' estimates", _pounds(found.estimate)),
            Figure("Difference", _pounds(found.budget - found.estimate, signed=True)),
        ]
    )
    st.caption(
        "An initiative's budget is split evenly among its tiers, as the means' estimates are, and across "
        "calendar years in proportion to the days it runs in each."
    )
    left, right = st.columns(2)
    with left:
        st.subheader("By type")
        by_type = found.by_type[["type", "initiatives", "budget"]]
        static_table(_money(by_type, ["budget"]).rename(columns=str.capitalize), right=["Budget"])
        st.subheader("By year")
        static_table(_money(found.by_year, ["budget"]).rename(columns=str.capitalize), right=["Budget"])
    with right:
        st.subheader("By tier, against the means")
        by_tier = _money(found.by_tier[["tier", "budget", "estimate", "difference"]], ["budget", "estimate"])
        by_tier["difference"] = found.by_tier["difference"].map(lambda v: _pounds(v, signed=True))
        columns = {"tier": "Tier", "budget": "Budget", "estimate": "Means' estimate", "difference": "Difference"}
        static_table(by_tier.rename(columns=columns), right=["Budget", "Means' estimate", "Difference"])


def _pounds(value: float, signed: bool = False) -> str:
    text = f"£{abs(value):,.0f}"
    if signed and round(value):
        return ("+" if value > 0 else "−") + text
    return text


def _money(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].map(_pounds) for c in columns})

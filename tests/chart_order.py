"""The order a Vega-Lite chart shows a channel's values in: for the chart builders' tests and the pages' tests."""

from __future__ import annotations

from typing import Any


def sorted_values(spec: dict[str, Any], channel: str) -> list[str]:
    """A channel's values in the order the chart shows them: a sort list as written; a sort by a column (op min),
    every layer's values by that column, as Vega orders a domain drawn from several datasets."""
    layers = [layer for layer in spec.get("layer", [spec]) if channel in layer.get("encoding", {})]
    encoding = layers[0]["encoding"][channel]
    sort = encoding["sort"]
    if isinstance(sort, list):
        return sort
    assert sort["op"] == "min", sort
    ranks: dict[str, float] = {}
    for layer in layers:
        for row in spec["datasets"][layer.get("data", spec.get("data"))["name"]]:
            value, rank = row[encoding["field"]], row[sort["field"]]
            ranks[value] = min(ranks.get(value, rank), rank)
    return sorted(ranks, key=ranks.__getitem__)

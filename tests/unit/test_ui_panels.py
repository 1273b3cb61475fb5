"""planner.ui.panels: the caption beside a Filter popover (the app tests show it on each page)."""

from __future__ import annotations

from planner.ui.panels import showing


def test_the_caption_says_what_shows_and_which_filters_hold() -> None:
    assert showing(16, 16, "initiatives", []) == "Showing 16 of 16 initiatives."
    filtered = "Showing 0 of 16 initiatives, filtered by owner and status."
    assert showing(0, 16, "initiatives", ["owner", "status"]) == filtered

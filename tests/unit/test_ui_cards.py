"""Cards drawn as one HTML element: text escaped, numbered in order, a badge only where given."""

from __future__ import annotations

from planner.ui.cards import Card, cards_html
from tests.app.conftest import cards_in


def test_cards_keep_their_order_text_and_badges() -> None:
    body = cards_html([Card(1, "Talent management", "Collective", "gap +1.1 levels", "Priority 6"),
                       Card(2, "Equity and inclusion", detail="mean 2.8 of 5")])  # fmt: skip

    assert [(card.line, card.detail, card.badge) for card in cards_in(body)] == [
        ("1. Talent management · Collective", "gap +1.1 levels", "Priority 6"),
        ("2. Equity and inclusion", "mean 2.8 of 5", None),
    ]


def test_typed_text_is_shown_as_text_not_markup() -> None:
    body = cards_html([Card(1, "<img src=x onerror=alert(1)> & co", "<b>", "**not bold** <script>", "<i>")])

    assert "<img" not in body and "<script" not in body and "<b>" not in body
    [card] = cards_in(body)
    assert card.line == "1. <img src=x onerror=alert(1)> & co · <b>"
    assert (card.detail, card.badge) == ("**not bold** <script>", "<i>")


def test_no_cards_no_list() -> None:
    assert cards_in(cards_html([])) == []

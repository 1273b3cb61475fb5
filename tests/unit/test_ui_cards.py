"""Cards drawn as one HTML element: text escaped, numbered in order, a badge only where given."""

from __future__ import annotations

from planner.ui.cards import Card, cards_html
from tests.app.conftest import cards_in


def test_cards_keep_their_order_text_and_badges() -> None:
    body = cards_html([Card("Talent management", 1, "Collective", ("gap +1.1 levels",), "Priority 6"),
                       Card("Equity and inclusion", 2, details=("mean 2.8 of 5",))])  # fmt: skip

    assert "<ol" in body
    assert [(card.line, card.details, card.badge) for card in cards_in(body)] == [
        ("1. Talent management · Collective", ("gap +1.1 levels",), "Priority 6"),
        ("2. Equity and inclusion", ("mean 2.8 of 5",), None),
    ]


def test_unnumbered_cards_with_lines_and_a_toned_badge_under_a_heading() -> None:
    body = cards_html([Card("Coaching", details=("£1,000", "Owner: CPO"), badge="Planned", tone="planned")],
                      heading="Develop", description="Grow your own.")  # fmt: skip

    assert "<ul" in body and "<h4>Develop</h4><p>Grow your own.</p>" in body
    assert 'class="badge planned"' in body and ">check<" not in body, "only a done badge is ticked"
    assert [(card.line, card.details, card.badge) for card in cards_in(body)] == [
        ("Coaching", ("£1,000", "Owner: CPO"), "Planned")
    ]


def test_typed_text_is_shown_as_text_not_markup() -> None:
    body = cards_html([Card("<img src=x onerror=alert(1)> & co", 1, "<b>", ("**not bold** <script>",), "<i>")],
                      heading="<h1>", description="<p>")  # fmt: skip

    assert "<img" not in body and "<script" not in body and "<b>" not in body and "<h1>" not in body
    [card] = cards_in(body)
    assert card.line == "1. <img src=x onerror=alert(1)> & co · <b>"
    assert (card.details, card.badge) == (("**not bold** <script>",), "<i>")


def test_no_cards_say_so_under_their_heading() -> None:
    body = cards_html([], heading="Acquire", empty="No means to acquire yet.")

    assert cards_in(body) == [] and "<em>No means to acquire yet.</em>" in body

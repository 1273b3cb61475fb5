"""Headline figures as one HTML element: text escaped, changes pointing and coloured as st.metric's do."""

from __future__ import annotations

import pytest

from planner.ui.figures import Figure, falling, figure_html, row_html
from tests.app.conftest import FigureShown, figures_in

ATTACK = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def _shown(*figures: Figure, border: bool = False) -> list[FigureShown]:
    return figures_in(row_html(figures, border=border))


def test_labels_values_and_help_read_back_as_given() -> None:
    shown = _shown(Figure("Leaders", "20,002", help="Leaders in every tier."), Figure("Tiers", 5))

    assert shown == [FigureShown("Leaders", "20,002", help="Leaders in every tier."), FigureShown("Tiers", "5")]


def test_text_is_escaped_everywhere_it_appears() -> None:
    html = figure_html(Figure(ATTACK, ATTACK, ATTACK, help=ATTACK))

    assert "<img" not in html and "<script" not in html and 'onerror=alert(1)>' not in html
    assert _shown(Figure(ATTACK, ATTACK, ATTACK, help=ATTACK)) == [FigureShown(ATTACK, ATTACK, ATTACK, "good", ATTACK)]


@pytest.mark.parametrize(
    ("delta", "tone", "arrow", "kind"),
    [
        ("+0.12 since the last round", "normal", "arrow_upward", "good"),
        ("-21.5 pp vs workforce", "normal", "arrow_downward", "bad"),
        ("−£300 vs the means' estimate", "normal", "arrow_downward", "bad"),  # a typographic minus falls too
        ("+3 overdue", "inverse", "arrow_upward", "bad"),
        ("-3 overdue", "inverse", "arrow_downward", "good"),
        ("+£14,470,000 vs the means' estimate", "off", "arrow_upward", "neutral"),
        ("-£1 vs the means' estimate", "off", "arrow_downward", "neutral"),
    ],
)
def test_a_change_points_its_way_and_is_coloured_by_tone(delta: str, tone: str, arrow: str, kind: str) -> None:
    html = figure_html(Figure("Figure", "1", delta, tone))  # type: ignore[arg-type]

    assert f'class="delta {kind}"' in html and f">{arrow}</span>" in html
    assert _shown(Figure("Figure", "1", delta, tone)) == [FigureShown("Figure", "1", delta, kind)]  # type: ignore[arg-type]


def test_falling_reads_the_sign_as_written() -> None:
    assert falling(" -1") and falling("−2") and not falling("+1") and not falling("0 pp")


def test_a_row_carries_its_stylesheet_and_borders_only_when_asked() -> None:
    plain, bordered = row_html([Figure("A", "1")]), row_html([Figure("A", "1")], border=True)

    assert plain.startswith("<style>") and '<dl class="planner-figures">' in plain
    assert '<dl class="planner-figures bordered">' in bordered


def test_help_is_reachable_by_keyboard_and_named_for_screen_readers() -> None:
    html = figure_html(Figure("Leaders", "1", help='Board "and" executive'))

    assert 'tabindex="0" role="img" aria-label="Board &quot;and&quot; executive"' in html


def test_a_label_cut_short_to_fit_is_whole_on_hover() -> None:
    html = figure_html(Figure('Patient or public representative "lay" member', "53"))

    assert 'title="Patient or public representative &quot;lay&quot; member"' in html

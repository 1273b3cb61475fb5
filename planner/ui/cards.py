"""Lists of cards (a title, lines of detail, a badge) drawn as one HTML element a list.

The ranked lists on /priorities were a bordered container, a Markdown element and a popover per card, and the
means on /means a container and a Markdown element per card: dozens of elements that Chromium built one by one
on the large plan. Drawn as one `st.html` a list, /priorities loaded 7-8% sooner (A/B, 11 interleaved loads) and
/means 4% (15 loads). Text is HTML-escaped: st.html renders no Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

Tone = Literal["done", "current", "planned"]
# Colours of the app's one theme (.streamlit/config.toml) and of st.badge's green, blue and grey, as
# planner/ui/figures.py does; `.stHtml` outranks st.html's own indent of lists.
STYLE = """<style>
.stHtml .planner-cards{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.5rem}
.planner-card{border:1px solid rgba(31,42,51,.2);border-radius:.5rem;padding:.5rem 1rem;margin:0}
.planner-card .title{font-weight:600}
.planner-card .detail{font-size:.875rem;color:rgba(31,42,51,.7)}
.planner-card .badge{display:inline-flex;align-items:center;gap:.125rem;white-space:nowrap;font-size:.875rem;
  border-radius:.5rem;padding:0 .5rem;margin-left:.5rem;vertical-align:text-bottom}
.planner-card .done{color:#177233;background:rgba(33,195,84,.1)}
.planner-card .current{color:#004280;background:rgba(0,94,184,.1)}
.planner-card .planned{color:rgba(31,42,51,.75);background:rgba(31,42,51,.06)}
.planner-card .icon{font-family:"Material Symbols Rounded";font-size:1rem;line-height:1;font-weight:400}
.planner-cards-head h4{font-size:1.25rem;font-weight:600;margin:0 0 .25rem;padding:0}
.planner-cards-head p{font-size:.875rem;color:rgba(31,42,51,.7);margin:0 0 .75rem}
.stHtml .planner-cards-empty{font-size:.875rem;color:rgba(31,42,51,.7);margin:0}
</style>"""


@dataclass(frozen=True)
class Card:
    """One card: its number (if ranked) and `title` in bold, then `kind` and `badge` (ticked when its tone is
    "done"); each of `details` on a line under them."""

    title: str
    number: int | None = None
    kind: str = ""
    details: tuple[str, ...] = ()
    badge: str = ""
    tone: Tone = "done"


def _badge(card: Card) -> str:
    if not card.badge:
        return ""
    tick = '<span class="icon" aria-hidden="true">check</span>' if card.tone == "done" else ""
    return f'<span class="badge {card.tone}">{tick}{html.escape(card.badge)}</span>'


def card_html(card: Card) -> str:
    """One card as a list item."""
    number = "" if card.number is None else f"{card.number}. "
    kind = f" · {html.escape(card.kind)}" if card.kind else ""
    details = "".join(f'<div class="detail">{html.escape(line)}</div>' for line in card.details)
    return (
        f'<li class="planner-card"><div class="line"><span class="title">{number}{html.escape(card.title)}</span>'
        f"{kind}{_badge(card)}</div>{details}</li>"
    )


def cards_html(cards: Sequence[Card], heading: str = "", description: str = "", empty: str = "") -> str:
    """The cards in order (numbered ones as an ordered list), under an optional heading and description, with
    the stylesheet they need; `empty` stands in for no cards."""
    head = f"<h4>{html.escape(heading)}</h4>" if heading else ""
    head += f"<p>{html.escape(description)}</p>" if description else ""
    head = f'<div class="planner-cards-head">{head}</div>' if head else ""
    if not cards:
        return STYLE + head + (f'<p class="planner-cards-empty"><em>{html.escape(empty)}</em></p>' if empty else "")
    tag = "ol" if cards[0].number is not None else "ul"
    return STYLE + head + f'<{tag} class="planner-cards">' + "".join(map(card_html, cards)) + f"</{tag}>"


def show(cards: Sequence[Card], heading: str = "", description: str = "", empty: str = "") -> None:
    """Draw the cards (see `cards_html`) as one element; nothing when there is nothing to show."""
    if cards or heading or description or empty:
        st.html(cards_html(cards, heading, description, empty))

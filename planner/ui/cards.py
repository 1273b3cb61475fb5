"""A numbered list of cards (a title, a line of detail, a badge) drawn as one HTML element.

The ranked lists on /priorities were a bordered container, a Markdown element and a popover per card: forty
elements and more that Chromium built one by one on the large plan (in an A/B of 11 loads, drawing the lists as
one `st.html` each loaded it 7-8% sooner). Text is HTML-escaped: st.html renders no Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

# Colours of the app's one theme (.streamlit/config.toml) and of st.badge's green, as planner/ui/figures.py.
STYLE = """<style>
.stHtml ol.planner-cards{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.5rem}
.planner-card{border:1px solid rgba(31,42,51,.2);border-radius:.5rem;padding:.5rem 1rem;margin:0;display:flex;
  align-items:center;gap:.75rem}
.planner-card .text{flex:1;min-width:0}
.planner-card .title{font-weight:600}
.planner-card .detail{font-size:.875rem;color:rgba(31,42,51,.7)}
.planner-card .badge{display:inline-flex;align-items:center;gap:.125rem;white-space:nowrap;font-size:.875rem;
  border-radius:.5rem;padding:0 .5rem;color:#177233;background:rgba(33,195,84,.1)}
.planner-card .icon{font-family:"Material Symbols Rounded";font-size:1rem;line-height:1;font-weight:400}
</style>"""


@dataclass(frozen=True)
class Card:
    """One card: `title` in bold after its number, then `kind`; `detail` under them; `badge` at the right, ticked."""

    number: int
    title: str
    kind: str = ""
    detail: str = ""
    badge: str = ""


def card_html(card: Card) -> str:
    """One card as a list item."""
    kind = f" · {html.escape(card.kind)}" if card.kind else ""
    badge = f'<span class="badge"><span class="icon" aria-hidden="true">check</span>{html.escape(card.badge)}</span>'
    return (
        f'<li class="planner-card" data-card="{card.number}"><div class="text">'
        f'<div><span class="title">{card.number}. {html.escape(card.title)}</span>{kind}</div>'
        f'<div class="detail">{html.escape(card.detail)}</div></div>{badge if card.badge else ""}</li>'
    )


def cards_html(cards: Sequence[Card]) -> str:
    """The cards in order, with the stylesheet they need."""
    return STYLE + '<ol class="planner-cards">' + "".join(card_html(card) for card in cards) + "</ol>"


def show(cards: Sequence[Card]) -> None:
    """Draw the cards as one element (nothing when there are none)."""
    if cards:
        st.html(cards_html(cards))

"""Rows of headline figures (a label, a value, a change against something, a tooltip) drawn as one HTML element.

A row of four `st.metric`s in `st.columns` is nine elements that the browser builds one by one, each with its
own styling and tooltip machinery: on a bare Streamlit page in Chromium (21 interleaved loads) they added 24 ms
to the page's time to content, where the same figures in one `st.html` element added none. The planner's pages
open with such a row, so they draw it here, as st.metric looks. Text is HTML-escaped (st.html does not render
Markdown, so `text.plain` is not needed and would show its backslashes).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

Tone = Literal["normal", "inverse", "off"]
# st.html keeps a <style> element (DOMPurify's HTML profile allows it); the names are the planner's own.
# `.stHtml dl` outranks st.html's own indent of lists. Colours are those of the app's one theme
# (.streamlit/config.toml: text #1F2A33, primary #005EB8); its menu offers no other.
STYLE = """<style>
.stHtml dl.planner-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:1rem;
  margin:0;padding:0}
.planner-figure{min-width:0;margin:0}
.planner-figures.bordered .planner-figure{border:1px solid rgba(31,42,51,.2);border-radius:.5rem;padding:.75rem 1rem}
.planner-figure dt{font-size:.875rem;line-height:1.6;display:flex;align-items:center;gap:.25rem;min-width:0}
.planner-figure dt .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.planner-figure dd{margin:0}
.planner-figure .value{font-size:2.25rem;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.planner-figure .delta{display:inline-flex;align-items:center;gap:.125rem;font-size:.875rem;
  border-radius:1rem;padding:0 .5rem;margin-top:.25rem}
.planner-figure .good{color:#177233;background:rgba(33,195,84,.1)}
.planner-figure .bad{color:#a4262c;background:rgba(255,43,43,.09)}
.planner-figure .neutral{color:rgba(31,42,51,.75);background:rgba(31,42,51,.06)}
.planner-figure .icon{font-family:"Material Symbols Rounded";font-size:1rem;line-height:1;font-weight:400}
.planner-figure .help{position:relative;cursor:help;color:rgba(31,42,51,.6);border-radius:50%}
.planner-figure .help:focus-visible{outline:2px solid #005EB8}
.planner-figure .help:hover::after,.planner-figure .help:focus::after{content:attr(data-help);position:absolute;
  left:50%;top:1.5rem;transform:translateX(-50%);z-index:10;width:max-content;max-width:18rem;padding:.5rem .75rem;
  border-radius:.5rem;background:#1F2A33;color:#fff;font:400 .875rem/1.4 "Source Sans",sans-serif;
  white-space:normal;box-shadow:0 2px 8px rgba(0,0,0,.2)}
</style>"""


@dataclass(frozen=True)
class Figure:
    """One headline figure; `tone` is st.metric's delta_color: whether a rise is good, bad or neither."""

    label: str
    value: str | int | float
    delta: str | None = None
    tone: Tone = "normal"
    help: str | None = None


def falling(delta: str) -> bool:
    """Whether a change, as written, is a fall ("-1.2", "−£300 vs …")."""
    return delta.lstrip().startswith(("-", "−"))


def _delta(delta: str, tone: Tone) -> str:
    down = falling(delta)
    good = {"normal": not down, "inverse": down}.get(tone)
    kind = "neutral" if good is None else "good" if good else "bad"
    arrow = "arrow_downward" if down else "arrow_upward"
    return f'<dd class="delta {kind}"><span class="icon" aria-hidden="true">{arrow}</span>{html.escape(delta)}</dd>'


def _help(text: str) -> str:
    escaped = html.escape(text)
    return f'<span class="help icon" tabindex="0" role="img" aria-label="{escaped}" data-help="{escaped}">help</span>'


def figure_html(figure: Figure) -> str:
    """One figure as a description-list group: the label (whole on hover, if cut short), its help, the value and
    the change."""
    name = html.escape(figure.label)
    label = f'<span class="label" title="{name}">{name}</span>' + (_help(figure.help) if figure.help else "")
    delta = _delta(figure.delta, figure.tone) if figure.delta else ""
    value = html.escape(str(figure.value))
    return f'<div class="planner-figure" data-figure=""><dt>{label}</dt><dd class="value">{value}</dd>{delta}</div>'


def row_html(figures: Sequence[Figure], *, border: bool = False) -> str:
    """The figures side by side (wrapping on narrow screens), with the stylesheet they need."""
    kind = "planner-figures bordered" if border else "planner-figures"
    return STYLE + f'<dl class="{kind}">' + "".join(figure_html(figure) for figure in figures) + "</dl>"


def row(figures: Sequence[Figure], *, border: bool = False) -> None:
    """Draw the figures as one row (see the module docstring for why not st.metric)."""
    st.html(row_html(figures, border=border))

"""User text made literal wherever Streamlit renders Markdown: no HTML, links, emphasis, lists or directives.

Streamlit drops raw HTML tags from Markdown (so `<b>x</b>` would vanish rather than show) and renders links,
emphasis, headings, `:color[…]` directives and `$…$` formulas. Text people typed goes through `plain` (one
line) or `plain_block` (keeps its line breaks) before it is put into st.markdown, st.caption, st.info and
friends, labels, help tooltips, metric labels or st.table cells. Widgets that show text as text
(text inputs, select box and multiselect options, st.dataframe, st.data_editor) need no escaping.
This module does not import streamlit, so the unit tests can use it.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~:$])")  # Markdown and Streamlit directive characters, anywhere
ENTITY = re.compile(r"&(?=#?\w+;)")  # "&lt;" would otherwise show as "<"
NUMBERED = re.compile(r"^(\d+)([.)])")  # at the start of a line: a numbered list item
BULLET = re.compile(r"^([-+=])")  # at the start of a line: a list item or a heading's underline
ICON = re.compile(r"(?<=material)/")  # Streamlit draws :material/name: as an icon, escaped colons or not


def plain(text: Any) -> str:
    """Text (any value, as str) shown literally in Markdown, on one line: whitespace runs become one space."""
    line = " ".join(str(text).split())
    escaped = ICON.sub(r"\\/", ENTITY.sub(r"\\&", SPECIAL.sub(r"\\\1", line)))
    return BULLET.sub(r"\\\1", NUMBERED.sub(r"\1\\\2", escaped))


def plain_block(text: Any) -> str:
    """Multi-line text shown literally in Markdown: blank lines separate paragraphs, other line breaks are kept."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join("  \n".join(plain(line) for line in part.splitlines() if line.strip()) for part in paragraphs)


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every text cell made literal (st.table renders its cells as Markdown)."""
    return frame.map(lambda value: plain(value) if isinstance(value, str) else value)

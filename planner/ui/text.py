"""User text made literal wherever Streamlit renders Markdown: no links, emphasis, lists, directives or HTML.

st.markdown (and so `markdown_table`'s cells), st.caption, st.info and the other alerts, st.subheader, st.table
cells, metric labels, widget labels, radio and pill options, help tooltips, toasts and progress texts all
render Markdown: links, emphasis, headings, lists, `:red[…]` directives, `:smile:` shortcodes, `:material/…:`
icons and `$…$` formulas (Streamlit 1.67 shows raw HTML tags as text, but escaping them keeps that true if it changes).
Text people typed goes through `plain` (one line) or `plain_block` (keeps its line breaks) before it is put
into any of those. Widgets that show text as text (text inputs, select box and multiselect options,
st.dataframe, st.data_editor, chart tooltips) need no escaping. This module does not import streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

import pandas as pd

SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")  # Markdown characters that take effect anywhere in a line
DIRECTIVE = re.compile(r":(?=[A-Za-z])")  # :red[…] colours, a bare :red vanishes, :smile: opens an emoji
SHORTCODE_END = re.compile(r"(?<=:)([\w+-]+):")  # the closing colon of :smile: (escaping the opening one is not enough)
ICON = re.compile(r"(?<=material)/")  # Streamlit finds :material/…: in the raw text, escaped colons or not
ENTITY = re.compile(r"&(?=#?\w+;)")  # "&lt;" would show as "<"
AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=\bwww)(?=\.))")  # a bare URL's link text would show the escapes
LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+](?=\s|$)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))")
# At the start of a line: a heading, a list item, a heading's underline or rule, a numbered item.
COLON = "\x00"  # marks a colon to escape while the other characters are escaped


def plain(text: Any) -> str:
    """Text (any value, as str) shown literally in Markdown, on one line: whitespace runs become one space."""
    line = " ".join(str(text).replace(COLON, "").split())
    marked = DIRECTIVE.sub(COLON, SHORTCODE_END.sub(rf"\1{COLON}", line))
    escaped = ICON.sub(r"\\/", ENTITY.sub(r"\\&", SPECIAL.sub(r"\\\1", marked)))
    escaped = AUTOLINK.sub("\\\\", escaped)
    return LINE_START.sub(_line_start, escaped).replace(COLON, "\\:")


def _line_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    if marker[0].isdigit():
        return marker + "\\"  # 2026. → 2026\. (the escape goes before the dot or bracket)
    return "\\" + marker


def plain_block(text: Any) -> str:
    """Multi-line text shown literally in Markdown: blank lines separate paragraphs, other line breaks are kept."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join("  \n".join(plain(line) for line in part.splitlines() if line.strip()) for part in paragraphs)


def markdown_table(frame: pd.DataFrame, markdown: Collection[str] = (), right: Collection[str] = ()) -> str:
    """The frame as one Markdown table: cells made literal, numbers and `right` columns right-aligned.

    Cells of the `markdown` columns are Markdown already (any user text in them went through `plain`).

    One st.markdown table costs the browser a fraction of an st.table, which renders every cell as a Markdown
    element of its own (two seven-column tables were a sixth of the workforce page's time to content).
    """
    rule = ["---:" if name in right or _numeric(frame[name]) else "---" for name in frame.columns]
    rows = [[_cell(value, name in markdown) for name, value in zip(frame.columns, row, strict=True)]
            for row in frame.itertuples(index=False)]  # fmt: skip
    lines = [[plain(name) for name in frame.columns], rule, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _cell(value: Any, markdown: bool) -> str:
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return plain(f"{value:.4f}".rstrip("0").rstrip("."))
    return " ".join(str(value).split()) if markdown else plain(value)

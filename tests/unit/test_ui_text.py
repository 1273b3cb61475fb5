"""planner.ui.text: user text made literal for Streamlit's Markdown (the browser test shows it renders as typed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.ui.text import markdown_table, plain, plain_block

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3)) **bold**"


def test_html_and_markdown_are_escaped() -> None:
    assert plain(PAYLOAD) == (
        r"\<img src=x onerror=alert(1)\> \<script\>alert(2)\</script\> \[x\](javascript\:alert(3)) \*\*bold\*\*"
    )


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("a_b_ `code` ~~gone~~ | x", r"a\_b\_ \`code\` \~\~gone\~\~ \| x"),
        ("$x^2$ costs $5", r"\$x^2\$ costs \$5"),
        ("back\\slash", r"back\\slash"),
        ("a &lt; b & c", r"a \&lt; b & c"),  # an entity would show as "<"; a lone "&" is left alone
    ],
)
def test_markup_characters_are_escaped(typed: str, escaped: str) -> None:
    assert plain(typed) == escaped


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        (":red[alarm]", r"\:red\[alarm\]"),
        ("a:red b", r"a\:red b"),  # a bare :red directive would vanish
        (":smile: :+1:", r"\:smile\: :+1\:"),  # an emoji shortcode needs its closing colon escaped
        (":a:b:", r"\:a\:b\:"),
        (":material/home:", r"\:material\/home:"),
        ("https://example.com/my_page", r"https:\//example.com/my\_page"),
        ("www.example.com", r"www\.example.com"),
    ],
)
def test_directives_shortcodes_icons_and_urls_are_escaped(typed: str, escaped: str) -> None:
    assert plain(typed) == escaped


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("- not a list", r"\- not a list"),
        ("+ not a list", r"\+ not a list"),
        ("# not a heading", r"\# not a heading"),
        ("---", r"\---"),
        ("==", r"\=="),
        ("2026. A year, not a numbered item", r"2026\. A year, not a numbered item"),
        ("3) nor this", r"3\) nor this"),
    ],
)
def test_line_start_markers_are_escaped(typed: str, escaped: str) -> None:
    assert plain(typed) == escaped


ORDINARY = [
    "Northshire Health NHS Foundation Trust",
    "Priority 7: Holding leaders to account",
    "2026–2029 · £12,000 (draft) · 100% {all}",
    "#1 priority",
    "-15.6 pp; +0.9; 12.2%; 10:30",
]


@pytest.mark.parametrize("typed", ORDINARY)
def test_ordinary_text_is_unchanged(typed: str) -> None:
    assert plain(typed) == typed


def test_plain_is_one_line_and_takes_any_value() -> None:
    assert plain("  first\n\n   second\tthird  ") == "first second third"
    assert plain(42) == "42"
    assert plain("") == ""


def test_plain_block_keeps_paragraphs_and_line_breaks() -> None:
    text = "Where we are going.\n- not a list\n\n\n# not a heading\n  indented, not code"
    assert plain_block(text) == "Where we are going.  \n\\- not a list\n\n\\# not a heading  \nindented, not code"


def test_plain_block_escapes_every_line() -> None:
    assert plain_block(f"{PAYLOAD}\n{PAYLOAD}") == f"{plain(PAYLOAD)}  \n{plain(PAYLOAD)}"


def test_markdown_table_escapes_text_cells_and_headers() -> None:
    frame = pd.DataFrame({"**Title**": ["**bold** | [x](y)", "Board\nline"], "Count": [1, 2]})
    assert markdown_table(frame).splitlines() == [
        r"| \*\*Title\*\* | Count |",
        "| --- | ---: |",
        r"| \*\*bold\*\* \| \[x\](y) | 1 |",
        "| Board line | 2 |",
    ]


def test_markdown_table_aligns_numbers_and_chosen_columns_right() -> None:
    frame = pd.DataFrame({"Name": ["a"], "Share": ["12%"], "Mean": [0.5], "Done": [True]})
    assert markdown_table(frame, right=["Share"]).splitlines()[1] == "| --- | ---: | ---: | --- |"


def test_markdown_table_shows_missing_values_empty_and_floats_short() -> None:
    frame = pd.DataFrame({"A": [None, "x"], "B": [0.25, float("nan")], "C": [3.0, 1.123456]})
    assert markdown_table(frame).splitlines()[2:] == ["|  | 0.25 | 3 |", "| x |  | 1.1235 |"]


def test_markdown_table_keeps_markdown_columns_as_given_on_one_line() -> None:
    frame = pd.DataFrame({"RAG": [":red-badge[Red]"], "Note": [":red-badge[Red]"]})
    row = markdown_table(frame, markdown=["RAG"]).splitlines()[2]
    assert row == r"| :red-badge[Red] | \:red-badge\[Red\] |"


def test_an_empty_frame_is_a_table_of_headers() -> None:
    assert markdown_table(pd.DataFrame(columns=["A", "B"])).splitlines() == ["| A | B |", "| --- | --- |"]


def test_the_module_does_not_import_streamlit() -> None:
    check = "import sys, planner.ui.text; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=False).returncode == 0

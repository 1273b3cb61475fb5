"""Pure input checks shared by the write functions."""

from __future__ import annotations

from datetime import date

import pytest

from planner.validation import InvalidInput, choice, date_range, limited_text, required_text, whole_amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Plan", "Plan"), ("  padded  ", "padded"), ("Ünïcødé ✓", "Ünïcødé ✓"), (42, "42"), ("x" * 10, "x" * 10)],
)
def test_required_text_accepts_and_strips(value: object, expected: str) -> None:
    assert required_text(value, "Name", max_length=10) == expected


@pytest.mark.parametrize("value", [None, "", "   ", "\n\t"])
def test_required_text_rejects_empty_values_naming_the_field(value: object) -> None:
    with pytest.raises(InvalidInput, match=r"^Plan name is required"):
        required_text(value, "Plan name")


def test_required_text_enforces_the_maximum_length() -> None:
    with pytest.raises(InvalidInput, match=r"Name is too long \(11 characters; the limit is 10\)"):
        required_text("x" * 11, "Name", max_length=10)


@pytest.mark.parametrize(("value", "expected"), [(None, ""), ("", ""), ("  a b  ", "a b"), ("x" * 5, "x" * 5)])
def test_limited_text_allows_empty_and_strips(value: object, expected: str) -> None:
    assert limited_text(value, "Detail", max_length=5) == expected


@pytest.mark.parametrize("length", [6, 100])
def test_limited_text_rejects_over_long_text(length: int) -> None:
    with pytest.raises(InvalidInput, match=f"Detail is too long \\({length} characters"):
        limited_text("y" * length, "Detail", max_length=5)


def test_limited_text_measures_after_stripping() -> None:
    assert limited_text("  abcde  ", "Detail", max_length=5) == "abcde"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2029, 3, 31)),
        (None, date(2020, 1, 1)),
        (date(2030, 1, 1), None),
        (None, None),
    ],
)
def test_date_range_accepts_ordered_or_open_ranges(start: date | None, end: date | None) -> None:
    assert date_range(start, end, "Horizon") is None


def test_date_range_rejects_an_end_before_the_start() -> None:
    with pytest.raises(InvalidInput, match=r"^Horizon: the end \(31 Dec 2025\) is before the start \(01 Jan 2026\)"):
        date_range(date(2026, 1, 1), date(2025, 12, 31), "Horizon")


def test_invalid_input_is_a_value_error() -> None:
    assert issubclass(InvalidInput, ValueError)


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("", 0), (float("nan"), 0), (0, 0), (12, 12), (7.0, 7)])
def test_whole_amount_accepts_whole_numbers_and_blanks(value: object, expected: int) -> None:
    assert whole_amount(value, "Cost", 100) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Cost cannot be negative"),
        (101, "more than the limit of 100"),
        (2.5, "whole number"),
        (True, "whole number"),
        ("12", "whole number"),
    ],
)
def test_whole_amount_refuses_with_the_field_named(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        whole_amount(value, "Cost", 100)


def test_choice_names_the_options_and_what_was_given() -> None:
    assert choice("a", {"a": "Alpha", "b": "Beta"}, "Kind") == "a"
    with pytest.raises(InvalidInput, match="Kind must be one of: Alpha, Beta \\(not “c”\\)"):
        choice("c", {"a": "Alpha", "b": "Beta"}, "Kind")

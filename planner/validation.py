"""Checks on user input shared by the planner's write functions."""

from __future__ import annotations

import numbers
from datetime import date
from typing import Any


class InvalidInput(ValueError):
    """User input that cannot be saved; the message says what to fix."""


def required_text(value: object, label: str, max_length: int = 200) -> str:
    """A stripped, non-empty string no longer than max_length."""
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(f"{label} is required.")
    return limited_text(text, label, max_length)


def limited_text(value: object, label: str, max_length: int = 5000) -> str:
    """A stripped string (possibly empty) no longer than max_length."""
    text = str(value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(f"{label} is too long ({len(text)} characters; the limit is {max_length}).")
    return text


def date_range(start: date | None, end: date | None, label: str) -> None:
    """Reject an end date before its start date."""
    if start and end and end < start:
        raise InvalidInput(f"{label}: the end ({end:%d %b %Y}) is before the start ({start:%d %b %Y}).")


def choice(value: Any, allowed: dict[str, str], label: str) -> str:
    """One of `allowed`'s keys; the message lists the names to choose from."""
    if value not in allowed:
        raise InvalidInput(f"{label} must be one of: {', '.join(allowed.values())} (not “{value}”).")
    return value


def whole_amount(value: Any, label: str, maximum: int) -> int:
    """A whole number from 0 to `maximum`; empty counts as 0."""
    if value is None or value == "" or (isinstance(value, float) and value != value):  # NaN
        return 0
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or float(value) != int(value):
        raise InvalidInput(f"{label} must be a whole number.")
    if value < 0:
        raise InvalidInput(f"{label} cannot be negative (you entered {int(value):,}).")
    if value > maximum:
        raise InvalidInput(f"{label} of {int(value):,} is more than the limit of {maximum:,}: please check the figure.")
    return int(value)

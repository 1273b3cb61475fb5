"""Checks on user input shared by the planner's write functions."""

from __future__ import annotations

from datetime import date


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

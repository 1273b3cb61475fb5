"""Wording shared by messages and captions (no streamlit here)."""

from __future__ import annotations

from collections.abc import Sequence


def listed(words: Sequence[str], conjunction: str = "and") -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c" (or with another conjunction)."""
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 else "".join(words)

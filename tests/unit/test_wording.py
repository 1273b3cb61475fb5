"""planner.wording: lists of words as a sentence gives them, in captions and messages."""

from __future__ import annotations

import pytest

from planner.wording import listed


@pytest.mark.parametrize(
    ("words", "text"),
    [([], ""), (["owner"], "owner"), (["owner", "status"], "owner and status"), (list("abc"), "a, b and c")],
)
def test_words_are_listed_as_a_sentence_lists_them(words: list[str], text: str) -> None:
    assert listed(words) == text


def test_another_conjunction() -> None:
    assert listed(["'Band'", "'Grade'", "'Pay band'"], "or") == "'Band', 'Grade' or 'Pay band'"

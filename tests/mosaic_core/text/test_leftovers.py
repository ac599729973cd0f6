"""What chat sites leave at the end of a turn: taken off only where it cannot be the user's own words."""

from __future__ import annotations

import time

import pytest

from mosaic_core.text.leftovers import strip_leftovers


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("I already have a thesis statementShare Prompt", "I already have a thesis statement"),
        ("for an adult and child.\nShare Prompt", "for an adult and child."),
        ("cd Desktop1 / 1", "cd Desktop"),
        ("how they remembered him. 2 / 2", "how they remembered him."),
        ("nasoenteric route1 / 3", "nasoenteric route"),
        ("in your calculations\n2 / 2", "in your calculations"),
        ("the ASEAN region\n \n \n \n 지금 번역하기", "the ASEAN region"),
        ("localization.지금 번역하기", "localization."),
        ("continue please+→", "continue please"),
        ("a question?Copy to Clipboard", "a question?"),
        ("implants.\u200b2 / 3", "implants."),
        ("Share Prompt", ""),  # nothing but the label (the loader keeps such a text whole: test_load.py)
    ],
)
def test_what_a_site_left_is_taken_off(text: str, bare: str) -> None:
    assert strip_leftovers(text) == bare


@pytest.mark.parametrize(
    "text",
    [
        "What is 2 / 2",  # a fraction after a word: the user's
        "Simplify 3 / 4.",
        "Compute 6/6",
        "Let y = a1 / 2",  # a one-letter variable
        "Please advise how to fix it 1 / 1",  # after a word and a space: maybe the user's, so kept
        "what can i use inside vim to copy to clipboard",  # the user's words, not the button's label
        "plain text\u200b",
        "",
    ],
)
def test_the_users_own_words_stay(text: str) -> None:
    assert strip_leftovers(text) == text


def test_only_the_end_is_read() -> None:
    """A long run of spaces before the end costs nothing: only the last characters are searched."""
    text = "a" + " " * 200_000 + "word.2 / 2"
    start = time.monotonic()
    assert strip_leftovers(text) == "a" + " " * 200_000 + "word."
    assert time.monotonic() - start < 1

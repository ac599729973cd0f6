"""The features of an instruction that size and letter rules compare."""

from __future__ import annotations

__all__ = ["first_letter", "word_count"]


def first_letter(text: str) -> str:
    """The first letter of ``text``, lower-cased, if it is an ASCII letter; else "".

    >>> first_letter('"Quick" brown'), first_letter("42 is Ok"), first_letter("été")
    ('q', 'i', '')
    """
    for char in text:
        if char.isalpha():
            return char.lower() if char.isascii() else ""
    return ""


def word_count(text: str) -> int:
    """Words as whitespace-separated pieces.

    >>> word_count("Sum 2 and 3.")
    4
    """
    return len(text.split())

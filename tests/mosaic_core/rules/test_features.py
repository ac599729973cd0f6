"""The features of an instruction that size and letter rules compare."""

from __future__ import annotations

import pytest

from mosaic_core.rules.features import first_letter, word_count


class TestFirstLetter:
    @pytest.mark.parametrize(
        ("text", "letter"),
        [
            ("Name a colour.", "n"),
            ("'Quoted' start", "q"),
            ("42 is the answer to what?", "i"),
            ("  \n\tzip two lists", "z"),
            ("Été", ""),
            ("日本 then English", ""),
            ("123 ...", ""),
            ("", ""),
        ],
    )
    def test_first_alphabetic_character_if_ascii(self, text: str, letter: str) -> None:
        """The first alphabetic character decides, lower-cased; a non-ASCII one gives no letter."""
        assert first_letter(text) == letter


class TestWordCount:
    @pytest.mark.parametrize(
        ("text", "count"),
        [("Sum 2 and 3.", 4), ("", 0), ("  one  ", 1), ("tabs\tand\nnewlines  count", 4), ("a,b;c", 1)],
    )
    def test_whitespace_separated_pieces(self, text: str, count: int) -> None:
        """Words are what whitespace separates, punctuation included."""
        assert word_count(text) == count

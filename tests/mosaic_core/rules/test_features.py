"""The features of an instruction that size and letter rules compare."""

from __future__ import annotations

import pytest

from mosaic_core.rules.features import char_readings, first_letter, word_count, word_readings


class TestFirstLetter:
    @pytest.mark.parametrize(
        ("text", "letter"),
        [
            ("Name a colour.", "n"),
            ("'Quoted' start", ""),
            ("42 is the answer to what?", ""),
            ("(a) list", ""),
            ("zip two lists", "z"),
            ("Été", "é"),
            ("Объясни", "о"),
            ("日本 then English", "日"),
            ("«Quoted»", ""),
            ("123 ...", ""),
            ("", ""),
        ],
    )
    def test_first_character_if_a_letter(self, text: str, letter: str) -> None:
        """The first character decides, lower-cased, if it is a letter (a quote, digit or bracket: none).

        Whether the letter counts is the alphabet's call (``RuleInput.alphabet``), per language."""
        assert first_letter(text) == letter


class TestWordCount:
    @pytest.mark.parametrize(
        ("text", "count"),
        [("Sum 2 and 3.", 4), ("", 0), ("  one  ", 1), ("tabs\tand\nnewlines  count", 4), ("a,b;c", 1)],
    )
    def test_whitespace_separated_pieces(self, text: str, count: int) -> None:
        """Words are what whitespace separates, punctuation included."""
        assert word_count(text) == count


class TestReadings:
    def test_word_readings(self) -> None:
        """Words as whitespace pieces and as letter-digit runs, for the whole text and its first line."""
        assert word_readings('String s = "Hi";\nin Java') == (6, 5, 4, 3)

    def test_char_readings(self) -> None:
        """Characters with and without white space, for the whole text and its first line."""
        assert char_readings("ab c\nd") == (6, 4, 4, 3)

    def test_readings_agree_on_plain_words(self) -> None:
        """Plain one-line text reads the same every way."""
        assert len(set(word_readings("Name three colours"))) == 1


class TestLongTexts:
    @pytest.mark.parametrize("seed", range(5))
    def test_chunked_word_count_equals_split(self, seed: int) -> None:
        """Past a megabyte the count runs in chunks; words cut at a chunk boundary are counted once."""
        import random

        from mosaic_core.rules import features

        rng = random.Random(seed)
        pieces = [rng.choice(["ab", "x", " ", "  ", "\n", "wörd", "\t", "9"]) for _ in range(900_000)]
        text = "".join(pieces)
        assert len(text) > features._CHUNK
        assert features.word_count(text) == len(text.split())

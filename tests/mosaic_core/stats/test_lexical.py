"""Lexical diversity against values worked out by hand."""

from __future__ import annotations

import pytest

from mosaic_core.stats.lexical import compression_ratio, distinct_n, lexical_stats, matched_lexical, ngram_diversity
from mosaic_core.stats.words import sample_words

CATS = [["the", "cat", "sat"], ["the", "cat", "ran"]]


class TestDistinctN:
    def test_unigrams(self) -> None:
        """the, cat, sat, the, cat, ran: 4 different of 6."""
        assert distinct_n(CATS, 1) == pytest.approx(4 / 6)

    def test_bigrams(self) -> None:
        """the cat (twice), cat sat, cat ran: 3 different of 4."""
        assert distinct_n(CATS, 2) == pytest.approx(3 / 4)

    def test_trigrams(self) -> None:
        """the cat sat, the cat ran: 2 of 2."""
        assert distinct_n(CATS, 3) == 1.0

    def test_no_ngrams(self) -> None:
        """No n-grams of that order gives 0, not a division error."""
        assert distinct_n(CATS, 4) == 0.0
        assert distinct_n([], 1) == 0.0


class TestNgramDiversity:
    def test_sum_of_distinct(self) -> None:
        """4/6 + 3/4 + 2/2 + 0 (no 4-grams)."""
        assert ngram_diversity(CATS) == pytest.approx(4 / 6 + 3 / 4 + 1.0)

    def test_all_different_is_four(self) -> None:
        """A text without any repeated n-gram scores the maximum, 4."""
        assert ngram_diversity([["a", "b", "c", "d", "e"]]) == pytest.approx(4.0)


class TestCompressionRatio:
    def test_one_byte(self) -> None:
        """gzip of "a": 10 header + 3 deflate (fixed Huffman: 3+8+7 bits) + 8 trailer bytes = 21."""
        assert compression_ratio(["a"]) == pytest.approx(1 / 21)

    def test_empty(self) -> None:
        """No text gives 0."""
        assert compression_ratio([]) == 0.0

    def test_repetition_compresses_better(self) -> None:
        """A repeated sentence has a higher ratio than varied ones of the same length."""
        same = ["the cat sat on the mat"] * 40
        varied = [f"word{i} other{i * 7} thing{i * 13} x{i * 31}" for i in range(40)]
        assert compression_ratio(same) > 3 * compression_ratio(varied)


class TestLexicalStats:
    def test_fields(self) -> None:
        """lexical_stats reports the words and records it saw, and every metric."""
        found = lexical_stats(sample_words(["the cat sat", "the cat ran"], 100))
        assert found["words"] == 6 and found["records"] == 2
        assert found["distinct_2"] == pytest.approx(0.75)
        assert found["ngram_diversity"] == pytest.approx(4 / 6 + 3 / 4 + 1.0)

    def test_matched_budget(self) -> None:
        """Sets are cut to the word count of the smallest one."""
        found = matched_lexical({"big": ["a b c d e f"] * 10, "small": ["g h i"]}, budget=100)
        assert found["big"]["words"] == found["small"]["words"] == 3

    def test_budget_caps_both(self) -> None:
        """With large sets, both hold exactly the budget."""
        found = matched_lexical({"x": ["a b c"] * 50, "y": ["d e"] * 50}, budget=20)
        assert found["x"]["words"] == found["y"]["words"] == 20

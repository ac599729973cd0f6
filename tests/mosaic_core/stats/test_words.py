"""Words and seeded word samples."""

from __future__ import annotations

from mosaic_core.stats.words import record_order, sample_words, words


class TestWords:
    def test_lowercase_word_runs(self) -> None:
        """Words are lower-cased runs of \\w characters; punctuation separates them."""
        assert words("It's a Test-case, OK?") == ["it", "s", "a", "test", "case", "ok"]

    def test_no_words(self) -> None:
        """Text without word characters has no words."""
        assert words(" ... !? ") == []


class TestSampleWords:
    def test_budget_cuts_last_record(self) -> None:
        """The sample stops at the budget, cutting the last record's words and text."""
        sample = sample_words(["one two three", "four five six"], 4)
        assert sample.size == 4
        assert sum(len(d) == 1 for d in sample.docs) == 1
        short = next(t for t, d in zip(sample.texts, sample.docs, strict=True) if len(d) == 1)
        assert short in ("one", "four")

    def test_smaller_set_gives_everything(self) -> None:
        """A set smaller than the budget is sampled whole."""
        assert sample_words(["a b", "c"], 100).size == 3

    def test_cut_is_prefix_of_larger_sample(self) -> None:
        """A sample cut to a smaller budget equals the sample drawn at that budget."""
        texts = [f"w{i} x{i} y{i}" for i in range(30)]
        assert sample_words(texts, 40).cut(17) == sample_words(texts, 17)

    def test_empty_records_skipped(self) -> None:
        """Records without words are not part of the sample."""
        assert sample_words(["...", "a"], 10).docs == [["a"]]

    def test_order_is_seeded(self) -> None:
        """The same seed gives the same order; another seed another one."""
        assert record_order(50, 1) == record_order(50, 1) != record_order(50, 2)

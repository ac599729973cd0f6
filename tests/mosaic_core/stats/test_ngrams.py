"""N-gram ids built with numpy."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from mosaic_core.stats.ngrams import NgramIndex
from tests.strategies import word_lists


class TestNgramIndex:
    def test_grams_stay_inside_documents(self) -> None:
        """Bigrams never join the end of one document to the start of the next."""
        index = NgramIndex.build([["a", "b"], ["c", "d"]])
        grams, docs = index.grams(2)
        assert len(grams) == 2 and docs.tolist() == [0, 1]

    def test_too_long_n(self) -> None:
        """An order longer than every document gives no n-grams."""
        grams, docs = NgramIndex.build([["a"]]).grams(3)
        assert len(grams) == len(docs) == 0

    @given(docs=word_lists, n=st.integers(1, 4))
    def test_matches_tuple_counting(self, docs: list[list[str]], n: int) -> None:
        """Ids group occurrences exactly as counting the word tuples does."""
        index = NgramIndex.build(docs)
        grams, where = index.grams(n)
        expected = [(tuple(d[i : i + n]), j) for j, d in enumerate(docs) for i in range(len(d) - n + 1)]
        assert len(grams) == len(expected)
        assert [j for _, j in expected] == where.tolist()
        by_id: dict[int, set[tuple[str, ...]]] = {}
        for gram_id, (gram, _) in zip(grams.tolist(), expected, strict=True):
            by_id.setdefault(gram_id, set()).add(gram)
        assert all(len(found) == 1 for found in by_id.values())
        assert index.distinct(n) == len(Counter(g for g, _ in expected))

"""Token counts of many source texts at once, from joined encodes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.tokenize.joined import concat_counts, count_texts
from mosaic_core.tokenize.pieces import SourceCounts
from mosaic_core.tokenize.registry import get_tokenizer
from tests.conftest import TOKENIZERS
from tests.strategies import text


class TestJoinedCounting:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=60, deadline=None)
    @given(bodies=st.lists(text | st.sampled_from(["/usr/bin", " lead", "x\ud800y", "é.", "?", "a/"]), max_size=30))
    def test_counts_equal_one_encode_per_text(self, name: str, bodies: list[str]) -> None:
        """Counts from joined encodes equal a real encode of each text, whatever its neighbours."""
        counter = get_tokenizer(name)
        counts, corrections = count_texts(counter, bodies)
        assert counts == [counter.count(body) for body in bodies]
        if corrections is not None:
            lazy = SourceCounts(counter, bodies, counts)
            eager = SourceCounts(counter, bodies, counts, corrections)
            for index in range(len(bodies)):
                assert eager.count(index, " ", "\n") == lazy.count(index, " ", "\n")

    def test_empty_text_means_no_corrections(self) -> None:
        """A list with an empty text is counted one by one, without corrections."""
        counter = get_tokenizer("cl100k_base")
        assert count_texts(counter, ["Hello world", ""]) == ([2, 0], None)


class TestConcatCounts:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=30, deadline=None)
    @given(bodies=st.lists(text, min_size=2, max_size=20), data=st.data())
    def test_chunks_joined_equal_one_call(self, name: str, bodies: list[str], data: st.DataObject) -> None:
        """Counting consecutive chunks and concatenating gives what one call over every text gives."""
        counter = get_tokenizer(name)
        cut = data.draw(st.integers(1, len(bodies) - 1))
        joined = concat_counts([count_texts(counter, bodies[:cut]), count_texts(counter, bodies[cut:])])
        assert joined == count_texts(counter, bodies)

    def test_one_chunk_without_corrections_drops_them_all(self) -> None:
        """If any chunk has no corrections, the whole has none; the counts still concatenate."""
        with_fixes = ([3, 4], ([0, 1], [None, 0], [1, 1]))
        assert concat_counts([with_fixes, ([5], None), with_fixes]) == ([3, 4, 5, 3, 4], None)

    def test_no_chunks(self) -> None:
        """No chunk at all: no counts and three empty correction lists."""
        assert concat_counts([]) == ([], ([], [], []))

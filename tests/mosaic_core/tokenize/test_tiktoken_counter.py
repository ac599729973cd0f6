"""The tiktoken counter: joined encodes, token byte lengths, cached literals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.tokenize.registry import get_tokenizer
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter
from tests.conftest import TOKENIZERS
from tests.strategies import text


class TestTiktokenCounter:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=40, deadline=None)
    @given(bodies=st.lists(text, min_size=1, max_size=30))
    def test_joined_counts_are_exact_where_given(self, name: str, bodies: list[str]) -> None:
        """Every count the joined encode gives is count(text + newline); -1 only where it cannot tell."""
        counter = get_tokenizer(name)
        for body, joined in zip(bodies, counter.count_joined(bodies), strict=True):
            assert joined == -1 or joined == counter.count(body + "\n")

    def test_slash_after_punctuation_is_left_to_encode(self) -> None:
        """o200k joins "?\\n/" into one pre-token: both texts at that joint are not taken from the joined encode."""
        counter = get_tokenizer("o200k_base")
        assert counter.count_joined(["Why?", "/usr", "done"])[:2] == [-1, -1]

    def test_token_lengths_without_the_private_vocabulary(self) -> None:
        """If tiktoken stops exposing its ranks, decoding every id gives the same byte lengths."""
        counter = get_tokenizer("cl100k_base")

        class Bare:
            """The encoding's public face only."""

            _pat_str = counter.encoding._pat_str
            max_token_value = counter.encoding.max_token_value
            decode_single_token_bytes = staticmethod(counter.encoding.decode_single_token_bytes)

        bare = TiktokenCounter("bare", Bare())  # type: ignore[arg-type]
        expected = counter.token_lengths()
        assert bare.token_lengths()[: len(expected)].tolist() == expected.tolist()
        assert expected[counter.encode("hello")[0]] == len(b"hello")

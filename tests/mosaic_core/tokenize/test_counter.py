"""What every token counter gives the engine, the verifier and the statistics."""

from __future__ import annotations

from pathlib import Path

import pytest

from mosaic_core.tokenize.counter import UNKNOWN, TokenCounter
from mosaic_core.tokenize.registry import available_tokenizers, get_tokenizer

TEXTS = ["hello world", "the cat sat on the mat", "(1) Sort these words.\n\n", "日本 😀 ok", "a  b\tc"]


def counters(tokenizer_file: Path) -> list[TokenCounter]:
    return [get_tokenizer(name) for name in available_tokenizers()] + [get_tokenizer(f"hf:{tokenizer_file}")]


class TestTokenCounter:
    def test_unknown_is_minus_one(self) -> None:
        """UNKNOWN, the fast path's "cannot tell", is -1, never a possible count."""
        assert UNKNOWN == -1

    def test_every_counter_counts_its_own_encode(self, tokenizer_file: Path) -> None:
        """count, count_many and count_literal all give the length of the encode, with no special tokens added."""
        for counter in counters(tokenizer_file):
            lengths = [len(counter.encode(text)) for text in TEXTS]
            assert [counter.count(text) for text in TEXTS] == lengths, counter.name
            assert counter.count_many(TEXTS) == lengths, counter.name
            assert [counter.count_literal(text) for text in TEXTS] == lengths, counter.name
            assert counter.count("") == 0 and counter.count_many([]) == []

    @pytest.mark.parametrize("name", available_tokenizers())
    def test_registered_counters_are_additive_and_named(self, name: str) -> None:
        """The registered tiktoken counters allow piece-wise counting and carry their registry name."""
        counter = get_tokenizer(name)
        assert counter.additive is True and counter.name == name

    def test_hf_counter_is_not_additive(self, tokenizer_file: Path) -> None:
        """A Hugging Face counter is counted by encoding whole texts."""
        assert get_tokenizer(f"hf:{tokenizer_file}").additive is False

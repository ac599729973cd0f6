"""Source records prepared for the engine: texts, token counts and rule features, once."""

from __future__ import annotations

import pytest

from mosaic_core.errors import DatasetError
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable, dataset_fingerprint
from mosaic_core.tokenize.registry import get_tokenizer
from tests.conftest import TOKENIZERS


class TestSourceTable:
    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    def test_layout_counts_and_features(self, tiny_records: list[SourceRecord], tokenizer: str) -> None:
        """Instructions come first, then responses; counts are real encodes; features are per instruction."""
        table = SourceTable.build(tiny_records, tokenizer)
        counter = get_tokenizer(tokenizer)
        n = len(tiny_records)
        assert table.size == n and table.ids == [r.id for r in tiny_records]
        assert table.texts == [r.prompt_text for r in tiny_records] + [r.response_text for r in tiny_records]
        assert table.counts == [counter.count(text) for text in table.texts]
        assert table.lengths == [len(text) for text in table.texts]
        assert table.words[1] == 3 + 3 and table.letters[4] == "" and table.letters[5] == ""

    def test_progress_reaches_the_total(self, tiny_records: list[SourceRecord]) -> None:
        """Progress ends with every text counted."""
        calls: list[tuple[int, int]] = []
        SourceTable.build(tiny_records, "cl100k_base", progress=lambda done, total: calls.append((done, total)))
        assert calls[-1] == (24, 24)

    def test_empty_text_is_refused(self) -> None:
        """A record with an empty response names itself."""
        with pytest.raises(DatasetError, match="'b'"):
            SourceTable.build([SourceRecord("a", "x", "", "y"), SourceRecord("b", "x", "", "  ")], "cl100k_base")

    def test_from_counts(self, tiny_records: list[SourceRecord]) -> None:
        """A table made from counts computed elsewhere equals a built one."""
        built = SourceTable.build(tiny_records, "cl100k_base")
        again = SourceTable.from_counts(tiny_records, built.counter, list(built.counts))
        assert again.texts == built.texts and again.counts == built.counts and again.words == built.words


class TestFingerprint:
    def test_depends_on_ids_and_texts_only(self, tiny_records: list[SourceRecord]) -> None:
        """The same ids and texts give the same key; any change of id, text or order gives another."""
        base = dataset_fingerprint(tiny_records)
        assert base == dataset_fingerprint([SourceRecord(r.id, r.instruction, r.input, r.output) for r in tiny_records])
        assert base != dataset_fingerprint(tiny_records[::-1])
        assert base != dataset_fingerprint([SourceRecord("other", "a", "", "b"), *tiny_records[1:]])
        assert dataset_fingerprint([SourceRecord("a", "bc", "", "d")]) != dataset_fingerprint(
            [SourceRecord("ab", "c", "", "d")]
        )

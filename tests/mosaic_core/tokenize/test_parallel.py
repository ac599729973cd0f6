"""Counting the source texts in forked processes gives what one process gives."""

from __future__ import annotations

import pytest

from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.tokenize.joined import count_texts
from mosaic_core.tokenize.parallel import count_in_parallel
from mosaic_core.tokenize.registry import get_tokenizer
from tests.conftest import TOKENIZERS

TEXTS = [
    f"{word} number {i}: sort these?" if i % 3 else f"/usr/bin/{word}\n({i})"
    for i, word in enumerate(["alpha", "Beta", "日本", "x", "😀 emoji", "(quoted)", "a/b", "…"] * 13)
]


class TestCountInParallel:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @pytest.mark.parametrize("workers", [1, 2, 3])
    def test_equals_one_process(self, name: str, workers: int) -> None:
        """Counts and corrections from forked workers equal one count_texts over every text."""
        counter = get_tokenizer(name)
        counted = count_in_parallel(counter, TEXTS, workers)
        assert (counted.counts, counted.corrections) == count_texts(counter, TEXTS)
        assert counted.labels == [] and counted.clashes is None

    def test_more_workers_than_texts(self) -> None:
        """Three texts and eight workers still give three counts, in order."""
        counter = get_tokenizer("cl100k_base")
        counts = count_in_parallel(counter, ["a b", "hello world", "x"], 8).counts
        assert counts == [counter.count("a b"), counter.count("hello world"), counter.count("x")]


class TestSourceTableWithWorkers:
    def test_large_table_counts_equal_serial(self) -> None:
        """A table large enough to fork (20,000 texts or more) gets the counts and corrections of a serial build."""
        records = [SourceRecord(str(i), f"Say {i} twice.", "", f"{i} {i}") for i in range(10_001)]
        serial = SourceTable.build(records, "cl100k_base")
        forked = SourceTable.build(records, "cl100k_base", workers=3)
        assert forked.counts == serial.counts and forked.corrections == serial.corrections

    def test_workers_find_the_clashing_numbering_a_serial_table_finds(self) -> None:
        """Marks the workers find per text, joined per record, equal the serial table's (worked out on first use):
        numbered lines, tag-like lines and opening blocks in instructions and in responses."""
        shapes = ["Steps:\n(1) Mix", "```python\nx = 1\n```", "Q2 sales rose.", "1. Heat", "Say hi.", "- a\n- b"]
        records = [
            SourceRecord(str(i), shapes[i % 6] + f" {i}", "", shapes[(i // 6) % 6] + f" ({i})") for i in range(10_001)
        ]
        forked = SourceTable.build(records, "cl100k_base", workers=2)
        assert forked._clashes is not None and len(set(forked._clashes)) > 5
        assert forked.clashes == SourceTable.build(records, "cl100k_base").clashes


class TestDetectionInWorkers:
    def test_workers_label_the_texts_heard_as_one_process_does(self) -> None:
        """With ``detect``, one label per record, from the texts given for it: what a single process gives."""
        from mosaic_core.text.language import raw_labels

        counter = get_tokenizer("cl100k_base")
        texts = ["Write a poem about the sea.", "写一首关于秋天的诗。", "Écris un poème sur la mer.", "ok", "x y"]
        heard = ["Schreibe ein Gedicht über das Meer.", "写诗。", "Écris un poème."]
        labels = count_in_parallel(counter, texts, 2, detect=heard).labels
        assert labels == raw_labels(heard)
        assert [label for label, _ in labels] == ["de", "zh-Hans", "fr"]  # raw: Chinese by script, settled later

"""Local Hugging Face tokenizer.json files as counters (built here, never downloaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mosaic_core.errors import ConfigError
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.tokenize.hf import HfCounter, load_hf_tokenizer
from mosaic_core.tokenize.registry import get_tokenizer


class TestHfTokenizer:
    def test_registry_name(self, tokenizer_file: Path) -> None:
        """hf:<path> loads the file through the tokenizer registry."""
        counter = get_tokenizer(f"hf:{tokenizer_file}")
        assert isinstance(counter, HfCounter) and counter.name == f"hf:{tokenizer_file}"
        assert counter.additive is False

    def test_counts(self, tokenizer_file: Path) -> None:
        """One token per word; unknown words are one [UNK] each; no special tokens are added."""
        counter = load_hf_tokenizer(tokenizer_file)
        assert counter.count("hello world") == 2
        assert counter.count("hello zebra world") == 3
        assert counter.encode("zebra") == [counter.encode("zebra")[0]]
        assert counter.count_many(["the cat", "", "a dog ran"]) == [2, 0, 3]
        assert counter.count_many([]) == []

    def test_literal_cache(self, tokenizer_file: Path) -> None:
        """count_literal counts once and remembers."""
        counter = load_hf_tokenizer(tokenizer_file)
        assert counter.count_literal("the mat") == 2
        assert counter._literals == {"the mat": 2}

    def test_folder_holding_the_file(self, tokenizer_file: Path) -> None:
        """A folder with a tokenizer.json in it works too."""
        assert load_hf_tokenizer(tokenizer_file.parent).count("the cat") == 2

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a ConfigError that says what to give."""
        with pytest.raises(ConfigError, match="no tokenizer file"):
            get_tokenizer(f"hf:{tmp_path / 'nothing.json'}")

    def test_invalid_file(self, tmp_path: Path) -> None:
        """A file that is not a tokenizer is a ConfigError naming the file."""
        bad = tmp_path / "tokenizer.json"
        bad.write_text('{"not": "a tokenizer"}', encoding="utf-8")
        with pytest.raises(ConfigError, match=r"not a valid Hugging Face tokenizer\.json"):
            load_hf_tokenizer(bad)
        bad.write_text("{broken", encoding="utf-8")
        with pytest.raises(ConfigError, match=str(bad)):
            load_hf_tokenizer(bad)

    def test_source_table(self, tokenizer_file: Path) -> None:
        """Sources are tokenized once with it, like with any registered tokenizer."""
        records = [SourceRecord("1", "the cat sat", "", "on the mat"), SourceRecord("2", "hello", "", "world")]
        table = SourceTable.build(records, f"hf:{tokenizer_file}")
        assert table.counts == [3, 1, 3, 1]

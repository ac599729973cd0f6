"""A LLaMA-Factory dataset registry entry beside an export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core.io.export import RECORD_FORMATS, plain_row
from mosaic_core.io.llama_factory import write_llama_factory


class TestWriteLlamaFactory:
    @pytest.mark.parametrize("record_format", RECORD_FORMATS)
    def test_columns_name_the_fields_of_the_format(self, tmp_path: Path, record_format: str) -> None:
        """The entry is keyed by the file's stem and its columns (and tags) exist in a row of that format."""
        output = tmp_path / "mix.v2.jsonl"
        write_llama_factory(output, record_format)
        entry = json.loads((tmp_path / "dataset_info.json").read_text(encoding="utf-8"))
        assert list(entry) == ["mix.v2"] and entry["mix.v2"]["file_name"] == "mix.v2.jsonl"
        row = plain_row("Q", "A", record_format)
        columns = entry["mix.v2"]["columns"]
        assert set(columns.values()) <= set(row) | {"input"}
        tags = entry["mix.v2"].get("tags")
        if tags is not None:
            turn = row[columns["messages"]][0]
            assert set(turn) == {tags["role_tag"], tags["content_tag"]} and turn[tags["role_tag"]] == tags["user_tag"]

    def test_formatting(self, tmp_path: Path) -> None:
        """Alpaca-like formats are "alpaca", chat formats "sharegpt"."""
        found = {}
        for record_format in RECORD_FORMATS:
            write_llama_factory(tmp_path / "x.jsonl", record_format)
            found[record_format] = json.loads((tmp_path / "dataset_info.json").read_text())["x"]["formatting"]
        assert found == {
            "alpaca": "alpaca",
            "sharegpt": "sharegpt",
            "messages": "sharegpt",
            "prompt_completion": "alpaca",
        }

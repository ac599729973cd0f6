"""What stats is pointed at: a source dataset, or an export with provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
from mosaic_core.stats.inputs import read_stats_input
from mosaic_core.tokenize.registry import get_tokenizer
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo export with originals mixed in, made with o200k_base and a budget of 900."""
    output = tmp_path_factory.mktemp("stats") / "m.jsonl"
    config = MosaicConfig(epochs=1, tokenizer="o200k_base", max_tokens=900)
    export_mosaics(load_dataset(DEMO), config, output, ExportOptions(originals=0.5))
    return output


class TestSources:
    def test_source_dataset(self) -> None:
        """A source file is tokenized with the default tokenizer and budget, or the ones asked for."""
        found = read_stats_input(DEMO)
        records = load_dataset(DEMO).records
        default = MosaicConfig()
        assert (found.kind, found.counted_by, found.file) == ("sources", "sources", "demo.jsonl")
        assert (found.tokenizer, found.max_tokens) == (default.tokenizer, default.max_tokens)
        assert found.samples.size == len(records)
        other = read_stats_input(DEMO, "llama3", 300)
        assert (other.tokenizer, other.max_tokens) == ("llama3", 300)


class TestExports:
    def test_counts_read_off_the_plans(self, export: Path) -> None:
        """An export is recognized; its counts, tokenizer and budget come from the plans and manifest."""
        found = read_stats_input(export)
        rows = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
        rows = [{**row, "mosaic": json.loads(row["mosaic"])} for row in rows]  # provenance is JSON text
        mosaics = [r for r in rows if r["mosaic"]["strategy"] != "original"]
        assert (found.kind, found.counted_by, found.tokenizer, found.max_tokens) == (
            "export",
            "plans",
            "o200k_base",
            900,
        )
        assert found.samples.size == len(mosaics) and found.skipped_rows == len(rows) - len(mosaics) > 0
        totals = found.samples.tokens["total"].tolist()
        assert totals == [r["mosaic"]["prompt_tokens"] + r["mosaic"]["answer_tokens"] for r in mosaics]

    def test_another_tokenizer_encodes(self, export: Path) -> None:
        """Asking for another tokenizer re-encodes prompts and answers with it."""
        found = read_stats_input(export, "cl100k_base", 500)
        counter = get_tokenizer("cl100k_base")
        assert (found.counted_by, found.tokenizer, found.max_tokens) == ("encoded", "cl100k_base", 500)
        frame = found.samples.tokens
        assert frame["prompt"].tolist() == counter.count_many(list(found.samples.prompts))
        assert (frame["total"] == frame["prompt"] + frame["answer"]).all()

    def test_same_tokenizer_reads_plans(self, export: Path) -> None:
        """Naming the tokenizer the export was made with still reads the plans."""
        assert read_stats_input(export, "o200k_base").counted_by == "plans"

    def test_export_of_originals_only(self, tmp_path: Path) -> None:
        """An export whose rows have provenance but no mosaic is refused."""
        path = tmp_path / "o.jsonl"
        row = {"instruction": "a", "input": "", "output": "b", "mosaic": {"strategy": "original", "source_ids": ["1"]}}
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        with pytest.raises(DatasetError, match="without any mosaic row"):
            read_stats_input(path)

"""The readable text form of a statistics document."""

from __future__ import annotations

import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.io.load import load_dataset
from mosaic_core.pipeline import ExportOptions, export_mosaics
from mosaic_core.stats.glossary import METRICS
from mosaic_core.stats.inputs import read_stats_input
from mosaic_core.stats.render import render_text
from mosaic_core.stats.report import build_report
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def export_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    output = tmp_path_factory.mktemp("render") / "m.jsonl"
    export_mosaics(load_dataset(DEMO), MosaicConfig(epochs=1), output, ExportOptions(originals=0.25))
    document = build_report(read_stats_input(output))
    return document, render_text(document)


class TestRenderText:
    def test_sources_header_and_set(self) -> None:
        """A source file: the header names file, kind, tokenizer and budget; one block for the set."""
        text = render_text(build_report(read_stats_input(DEMO)))
        lines = text.splitlines()
        assert lines[0].startswith("Statistics of demo.jsonl (sources; tokenizer cl100k_base, budget 2,000 tokens")
        assert "== original: 183 samples ==" in lines and "Structure" not in lines

    def test_export_has_structure_and_skipped_rows(self, export_text: tuple[dict, str]) -> None:
        """An export shows its structure distributions and how many rows without a plan were left out."""
        document, text = export_text
        lines = text.splitlines()
        skipped = document["input"]["skipped_rows"]
        assert (
            lines[1] == f"{skipped:,} rows without a mosaic plan (original samples, whole conversations) were left out"
        )
        assert "Structure" in lines and any(line.startswith("  k: ") for line in lines)
        assert any(line.startswith("  rule: ") and "bits)" in line for line in lines)

    def test_every_set_gets_a_block(self, export_text: tuple[dict, str]) -> None:
        """Each set of the document has its own header with its sample count."""
        document, text = export_text
        for name, found in document["sets"].items():
            assert f"== {name}: {found['records']:,} samples ==" in text

    def test_ends_with_what_the_numbers_mean(self, export_text: tuple[dict, str]) -> None:
        """The glossary closes the report: one note per metric and the two explanations."""
        _, text = export_text
        tail = text.split("What the numbers mean\n", 1)[1]
        notes = [line for line in tail.splitlines() if line.startswith("  ") and not line.startswith("    ")]
        assert len(notes) == len(METRICS) + 2

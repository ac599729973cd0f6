"""Sample sets: the texts and token counts the statistics read."""

from __future__ import annotations

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import SourceRecord
from mosaic_core.stats.sets import SampleSet
from mosaic_core.table import SourceTable


class TestSampleSet:
    def test_from_table(self, tiny_records: list[SourceRecord]) -> None:
        """The original set holds the source texts, their counts, and how many are over the budget."""
        long = SourceRecord("long", "Repeat this. " * 50, "", "word " * 100)
        table = SourceTable.build([*tiny_records, long], "cl100k_base")
        found = SampleSet.from_table(table, max_tokens=100)
        n = table.size
        assert (found.name, found.size, found.sources, found.plans) == ("original", n, n, None)
        assert list(found.prompts) == table.texts[:n] and list(found.answers) == table.texts[n:]
        assert found.tokens["total"].tolist() == [table.counts[i] + table.counts[n + i] for i in range(n)]
        assert found.unusable == 1 and SampleSet.from_table(table).unusable is None

    def test_from_mosaics(self, tiny_records: list[SourceRecord]) -> None:
        """A mosaic set reads its counts off the plans and knows its source set's size."""
        table = SourceTable.build(tiny_records, "cl100k_base")
        mosaics = list(MosaicRun(table, MosaicConfig(epochs=2)).mosaics())
        found = SampleSet.from_mosaics(mosaics, table)
        assert (found.name, found.size, found.sources) == ("mosaic", len(mosaics), len(tiny_records))
        assert found.tokens["total"].tolist() == [m.plan.tokens for m in mosaics]
        assert SampleSet.from_mosaics(mosaics, sources=99).sources == 99

"""Token statistics read off existing counts."""

from __future__ import annotations

import pandas as pd
import pytest

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import SourceRecord
from mosaic_core.stats.tokens import (
    histogram,
    mosaic_token_frame,
    near_budget_share,
    source_token_frame,
    summarize,
    token_stats,
    unusable_count,
)
from mosaic_core.table import SourceTable


class TestSummarize:
    def test_percentiles_by_hand(self) -> None:
        """Linear interpolation on 1..4: p50 = 2.5, p90 = 1 + 0.9 x 3 = 3.7, p99 = 3.97."""
        assert summarize([4, 1, 3, 2]) == {"count": 4, "mean": 2.5, "p50": 2.5, "p90": 3.7, "p99": 3.97, "max": 4}

    def test_single_value(self) -> None:
        """One value is every percentile."""
        assert summarize([7])["p99"] == 7.0

    def test_empty(self) -> None:
        """No values: count 0 and no figures."""
        assert summarize([]) == {"count": 0, "mean": None, "p50": None, "p90": None, "p99": None, "max": None}


class TestHistogram:
    def test_bins_by_hand(self) -> None:
        """1, 2, 3, 10 in 3 bins of width ceil(10 / 3) = 4 from 1: [1,5) 3, [5,9) 0, [9,13) 1."""
        found = histogram([1, 2, 3, 10], bins=3)
        assert found.to_dict("list") == {"left": [1, 5, 9], "right": [5, 9, 13], "count": [3, 0, 1]}

    def test_counts_add_up(self) -> None:
        """Every value falls in exactly one bin."""
        values = list(range(0, 1000, 7))
        assert histogram(values, bins=20)["count"].sum() == len(values)

    def test_one_value(self) -> None:
        """A single distinct value gives one bin of width 1."""
        assert histogram([5, 5], bins=20).to_dict("list") == {"left": [5], "right": [6], "count": [2]}


class TestBudget:
    def test_near_budget_by_hand(self) -> None:
        """Budget 100: 100 and 95 are within 10%, 89 and 50 are not."""
        assert near_budget_share([100, 95, 89, 50], 100) == 0.5
        assert near_budget_share([], 100) is None

    def test_unusable_by_hand(self) -> None:
        """Only the pair whose prompt and answer together exceed the budget is unusable."""
        assert unusable_count([5, 90, 50], [5, 20, 50], 100) == 1


class TestFrames:
    def test_source_frame_uses_table_counts(self, tiny_records: list[SourceRecord]) -> None:
        """Source counts are the table's, not recounted."""
        table = SourceTable.build(tiny_records, "cl100k_base")
        frame = source_token_frame(table)
        n = table.size
        assert frame["prompt"].tolist() == table.counts[:n]
        assert frame["answer"].tolist() == table.counts[n:]
        assert (frame["total"] == frame["prompt"] + frame["answer"]).all()

    def test_mosaic_components(self, tiny_records: list[SourceRecord]) -> None:
        """Components come from the sources; the overhead is the rest of the plan's count."""
        table = SourceTable.build(tiny_records, "cl100k_base")
        mosaics = list(MosaicRun(table, MosaicConfig(epochs=2, max_k=4)).mosaics())
        frame = mosaic_token_frame([m.plan for m in mosaics], table)
        counts = {r.id: (table.counts[i], table.counts[table.size + i]) for i, r in enumerate(tiny_records)}
        for row, mosaic in zip(frame.to_dict("records"), mosaics, strict=True):
            plan = mosaic.plan
            assert row["prompt"] == plan.prompt_tokens and row["answer"] == plan.answer_tokens
            assert row["instructions"] == sum(counts[s][0] for s in plan.source_ids)
            kept = [s for p, s in enumerate(plan.source_ids) if p not in plan.masked]
            assert row["responses"] == sum(counts[s][1] for s in kept)
            assert row["prompt_overhead"] == row["prompt"] - row["instructions"]
        assert (frame["prompt_overhead"] > 0).all()

    def test_token_stats_fields(self) -> None:
        """Each count column is summarized; the histogram is of totals."""
        frame = pd.DataFrame({"k": [1, 2], "prompt": [1, 3], "answer": [2, 4], "total": [3, 7]})
        found = token_stats(frame, budget=7)
        assert set(found) == {"prompt", "answer", "total", "histogram", "near_budget_share"}
        assert found["near_budget_share"] == 0.5
        assert sum(found["histogram"]["count"]) == 2
        assert found["total"]["mean"] == pytest.approx(5.0)

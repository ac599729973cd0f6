"""What a run counts as it goes: mosaics, item slots, and the items it could not use."""

from __future__ import annotations

from collections import Counter

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.report import RunReport, Unusable
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable


class TestUnusable:
    def test_over_budget_reason(self) -> None:
        """An item over the budget on its own names its tokens and the budget, for every epoch."""
        item = Unusable.over_budget("x", 812, 500)
        assert item == Unusable("x", 812, "812 tokens on its own, over the budget of 500", None)

    def test_undecorated_only_reason(self) -> None:
        """An item that fits only bare is reported with the epoch that met it."""
        item = Unusable.undecorated_only("y", 499, 2)
        assert item.epoch == 2 and "without any decoration" in item.reason

    def test_to_dict(self) -> None:
        """The JSON form has exactly id, tokens, reason and epoch."""
        assert Unusable("a", 3, "why", 1).to_dict() == {"id": "a", "tokens": 3, "reason": "why", "epoch": 1}


class TestRunReport:
    def test_mean_k_of_nothing_is_zero(self) -> None:
        """A report without mosaics has a mean k of 0, not a division error."""
        assert RunReport().mean_k == 0.0

    def test_mean_k(self) -> None:
        """Mean k is item slots over mosaics."""
        assert RunReport(mosaics=4, item_slots=10).mean_k == 2.5

    def test_a_run_fills_it_in(self, tiny_records: list[SourceRecord]) -> None:
        """After a run: one mosaic counted per mosaic made, its k in the item slots, per epoch too."""
        long = SourceRecord("long", "Repeat this. " * 200, "", "word " * 400)
        config = MosaicConfig(epochs=3, max_tokens=300, keep_unusable=True)
        run = MosaicRun(SourceTable.build([*tiny_records, long], "cl100k_base"), config)
        mosaics = list(run.mosaics())
        made = [m for m in mosaics if m.plan.strategy != "plain"]
        report = run.report
        assert (report.sources, report.usable) == (13, 12)
        assert report.mosaics == len(made) and report.item_slots == sum(m.plan.k for m in made)
        assert report.mosaics_per_epoch == dict(Counter(m.plan.epoch for m in made))
        assert report.plain_samples == len(mosaics) - len(made) >= 1
        assert report.unusable[0] == Unusable.over_budget("long", report.unusable[0].tokens, 300)

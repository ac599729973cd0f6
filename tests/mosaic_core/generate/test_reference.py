"""The fast walk against the reference walk that composes and counts at every step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.kdraw import K_MODES
from mosaic_core.generate.reference import ReferenceRun
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from tests.strategies import records

K_MODES_DRAWN = [mode for mode in K_MODES if mode != "custom"]


def _rows(run: MosaicRun) -> list[tuple[str, str, dict[str, object]]]:
    return [(m.prompt, m.answer, m.plan.to_dict()) for m in run.mosaics()]


class TestReferenceWalk:
    @pytest.mark.parametrize("tokenizer", ["cl100k_base", "o200k_base", "llama3"])
    @settings(max_examples=25, deadline=None)
    @given(
        sources=records(min_size=1, max_size=14),
        k_mode=st.sampled_from(K_MODES_DRAWN),
        max_k=st.integers(1, 12),
        budget=st.integers(40, 400),
        preset=st.sampled_from(sorted(PRESETS)),
        seed=st.integers(0, 2**32),
    )
    def test_fast_walk_gives_the_reference_bytes(
        self,
        tokenizer: str,
        sources: list[SourceRecord],
        k_mode: str,
        max_k: int,
        budget: int,
        preset: str,
        seed: int,
    ) -> None:
        """Every mosaic, plan and unusable item of the fast walk equals the reference walk's."""
        config = MosaicConfig(
            k_mode=k_mode, max_k=max_k, max_tokens=budget, mix=PRESETS[preset], epochs=2, seed=seed, tokenizer=tokenizer
        )
        table = SourceTable.build(sources, tokenizer)
        fast, slow = MosaicRun(table, config), ReferenceRun(table, config)
        assert _rows(fast) == _rows(slow)
        assert fast.report == slow.report

    def test_reference_is_a_real_walk(self, tiny_records: list[SourceRecord]) -> None:
        """The reference makes multi-item mosaics within the budget (it is not an empty stand-in)."""
        config = MosaicConfig(max_k=6, max_tokens=300, epochs=1, k_mode="fix_max")
        run = ReferenceRun(SourceTable.build(tiny_records, "cl100k_base"), config)
        mosaics = list(run.mosaics())
        assert sum(m.plan.k for m in mosaics) + len(run.report.unusable) == len(tiny_records)
        assert max(m.plan.k for m in mosaics) > 1
        assert all(m.plan.tokens <= 300 for m in mosaics)

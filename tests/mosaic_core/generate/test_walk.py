"""The mosaic walk: budget, reproducibility, strategies, unusable items, any tokenizer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import Mosaic, SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.verify.mosaic import verify_mosaic
from tests.conftest import DEMO, TOKENIZERS
from tests.strategies import records


def run_of(items: list[SourceRecord], **settings_: object) -> MosaicRun:
    config = MosaicConfig(**settings_)  # type: ignore[arg-type]
    return MosaicRun(SourceTable.build(items, config.tokenizer), config)


def as_bytes(mosaics: list[Mosaic]) -> list[tuple[str, str, dict[str, object]]]:
    return [(m.prompt, m.answer, m.plan.to_dict()) for m in mosaics]


@pytest.fixture(scope="module")
def demo() -> list[SourceRecord]:
    return load_dataset(DEMO).records


class TestBudgetAndVerification:
    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        items=records(min_size=2, max_size=14),
        budget=st.integers(40, 400),
        mode=st.sampled_from(["uniform", "max_length", "fix_max", "pareto"]),
        mix=st.sampled_from(sorted(PRESETS)),
        seed=st.integers(0, 2**32),
    )
    def test_every_mosaic_verifies_within_budget(
        self, tokenizer: str, items: list[SourceRecord], budget: int, mode: str, mix: str, seed: int
    ) -> None:
        """Adversarial texts: real token counts equal the plan's and stay within the budget."""
        run = run_of(items, tokenizer=tokenizer, max_tokens=budget, k_mode=mode, mix=PRESETS[mix], seed=seed, epochs=2)
        for mosaic in run.mosaics():
            verdict = verify_mosaic(mosaic, run.library, run.counter, budget, {r.id: r for r in items})
            assert verdict.ok, verdict.problems

    def test_all_items_accounted_for(self, tiny_records: list[SourceRecord]) -> None:
        """Every usable item appears once per epoch; the over-long one is listed."""
        long = SourceRecord("long", "Repeat this. " * 200, "", "word " * 400)
        run = run_of([*tiny_records, long], max_tokens=300, epochs=3)
        used = Counter(i for m in run.mosaics() for i in m.plan.source_ids)
        assert used == Counter({r.id: 3 for r in tiny_records})
        assert [u.id for u in run.report.unusable] == ["long"]
        assert "over the budget of 300" in run.report.unusable[0].reason

    def test_keep_unusable_as_plain(self, tiny_records: list[SourceRecord]) -> None:
        """With keep_unusable the over-long item is exported as it is."""
        long = SourceRecord("long", "Repeat this. " * 200, "", "word " * 400)
        run = run_of([*tiny_records, long], max_tokens=300, epochs=1, keep_unusable=True)
        plain = [m for m in run.mosaics() if m.plan.strategy == "plain"]
        assert len(plain) == 1 and plain[0].prompt == long.prompt_text and plain[0].answer == long.response_text

    def test_more_than_fifty_items(self) -> None:
        """k above 50 works for every rule (the reference's fix-order rule crashed)."""
        items = [SourceRecord(str(i), f"Say {i}", "", f"{i}") for i in range(130)]
        run = run_of(items, k_mode="fix_max", max_k=65, max_tokens=100_000, epochs=3)
        mosaics = list(run.mosaics())
        assert max(m.plan.k for m in mosaics) == 65
        assert all(verify_mosaic(m, run.library, run.counter, 100_000).ok for m in mosaics)


class TestReproducibility:
    def test_same_seed_same_bytes(self, demo: list[SourceRecord]) -> None:
        """Same input, config and seed: identical mosaics and plans."""
        assert as_bytes(list(run_of(demo, seed=3).mosaics())) == as_bytes(list(run_of(demo, seed=3).mosaics()))

    def test_other_seed_other_mosaics(self, demo: list[SourceRecord]) -> None:
        """A different seed gives a different run."""
        assert as_bytes(list(run_of(demo, seed=3).mosaics())) != as_bytes(list(run_of(demo, seed=4).mosaics()))

    def test_preview_equals_export(self, demo: list[SourceRecord]) -> None:
        """Mosaic i of a preview is mosaic i of the full run."""
        everything = list(run_of(demo, seed=1).mosaics())
        assert as_bytes(run_of(demo, seed=1).preview(start=40, count=5)) == as_bytes(everything[40:45])

    def test_on_epoch_comes_after_each_epochs_last_mosaic(self, demo: list[SourceRecord]) -> None:
        """``on_epoch`` marks the end of each epoch in the stream, and changes nothing in it."""
        run = run_of(demo, epochs=3)
        stream: list[object] = []
        for mosaic in run.mosaics(on_epoch=lambda epoch: stream.append(("end", epoch))):
            stream.append(mosaic)
        ends = [i for i, item in enumerate(stream) if isinstance(item, tuple)]
        assert [stream[i] for i in ends] == [("end", 0), ("end", 1), ("end", 2)]
        epochs = [item.plan.epoch for item in stream if isinstance(item, Mosaic)]
        assert epochs.index(1) == ends[0] and epochs.index(2) == ends[1] - 1 and ends[2] == len(stream) - 1
        plain = [m for m in stream if isinstance(m, Mosaic)]
        assert as_bytes(plain) == as_bytes(list(run_of(demo, epochs=3).mosaics()))

    def test_more_epochs_keep_earlier_ones(self, demo: list[SourceRecord]) -> None:
        """Generating more never changes what came before."""
        one = list(run_of(demo, epochs=1).mosaics())
        two = list(run_of(demo, epochs=2).mosaics())
        assert as_bytes(two[: len(one)]) == as_bytes(one)

    def test_a_fresh_twin_counts_apart_and_keeps_what_was_worked_out(self, demo: list[SourceRecord]) -> None:
        """``fresh`` (a worker's next epoch) reports on its own walk only, shares the token costs, and walks the
        same bytes as the run it came from, before and after that run walked."""
        run = run_of(demo, epochs=2, seed=5)
        twin = run.fresh()
        walked = list(twin.walk(1))
        assert twin.costs is run.costs and twin.report is not run.report
        assert run.report.mosaics == 0 and twin.report.mosaics == len(walked) > 0
        assert as_bytes(list(run.fresh().walk(1))) == as_bytes(walked) == as_bytes(list(run.walk(1)))
        assert run.fresh().report == run_of(demo, epochs=2, seed=5).report


class TestStrategies:
    @pytest.mark.parametrize("preset", ["both", "order", "mask", "format"])
    def test_preset_proportions(self, demo: list[SourceRecord], preset: str) -> None:
        """Drawn strategies follow the preset's weights (before rule fallbacks)."""
        run = run_of(demo, mix=PRESETS[preset], epochs=30, max_k=4)
        drafts = Counter(mosaic.plan.strategy for mosaic in run.mosaics())
        total = sum(drafts.values())
        for strategy in ("permute", "maskout"):
            expected = PRESETS[preset][strategy]
            # k = 1 mosaics and inapplicable rules fall back to format-only, so shares can only drop.
            assert drafts[strategy] / total <= expected + 0.03
            if expected:
                assert drafts[strategy] / total >= expected * 0.6

    def test_numbering_whenever_positions_are_named(self, demo: list[SourceRecord]) -> None:
        """Every order or mask mosaic numbers its instructions and answers."""
        for mosaic in run_of(demo, epochs=3).mosaics():
            if mosaic.plan.rule:
                from mosaic_core.text.decoration import number_tag

                deco = mosaic.plan.decoration
                first = mosaic.plan.order[0] + 1
                assert number_tag(deco.tag_style, deco.tag_punct, first) in mosaic.answer

    def test_single_item_is_format_only(self, demo: list[SourceRecord]) -> None:
        """A mosaic of one item never carries an order or mask rule."""
        run = run_of(demo, k_mode="custom", k_weights={1: 1.0}, max_k=1, epochs=1)
        assert all(m.plan.rule is None and m.plan.strategy in ("primary", "format") for m in run.mosaics())


def byte_level_bpe(tmp_path: Path) -> Path:
    """A small byte-level BPE trained here on the demo texts (no download)."""
    records = load_dataset(DEMO).records
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator([f"{r.prompt_text}\n{r.response_text}" for r in records], trainer)
    path = tmp_path / "tokenizer.json"
    tokenizer.save(str(path))
    return path


class TestHfTokenizerEngine:
    def test_budget_holds_and_counts_are_real(self, tmp_path: Path) -> None:
        """Every mosaic's recorded tokens equal a real encode and stay within a tight budget."""
        name = f"hf:{byte_level_bpe(tmp_path)}"
        records = load_dataset(DEMO).records[:60]
        config = MosaicConfig(tokenizer=name, max_tokens=700, epochs=1, k_mode="max_length")
        run = MosaicRun(SourceTable.build(records, name), config)
        assert not run.counter.additive
        mosaics = list(run.mosaics())
        assert mosaics and max(m.plan.k for m in mosaics) > 1
        for mosaic in mosaics:
            verdict = verify_mosaic(mosaic, run.library, run.counter, 700)
            assert verdict.ok, verdict.problems

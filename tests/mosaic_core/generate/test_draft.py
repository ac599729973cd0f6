"""One mosaic in the making: draws taken once, and a running tally equal to the composed text's count."""

from __future__ import annotations

import pytest

from mosaic_core.config import PRESETS, MosaicConfig
from mosaic_core.generate.composed import composed_tally
from mosaic_core.generate.draft import Draft
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.load import load_dataset
from mosaic_core.records import SourceRecord
from mosaic_core.table import SourceTable
from mosaic_core.text.compose import answer_text, prompt_text
from tests.conftest import DEMO, TOKENIZERS


@pytest.fixture(scope="module")
def demo() -> list[SourceRecord]:
    return load_dataset(DEMO).records


def run_of(records: list[SourceRecord], **settings: object) -> MosaicRun:
    config = MosaicConfig(**settings)  # type: ignore[arg-type]
    return MosaicRun(SourceTable.build(records, config.tokenizer), config)


def draws(draft: Draft) -> tuple[object, ...]:
    return (
        draft.strategy,
        draft.decoration,
        draft.rules,
        draft.template_draw,
        draft.mask_ratio,
        draft.k_target,
        draft.format_meta,
    )


class TestDraws:
    def test_same_seed_epoch_index_same_draws(self, demo: list[SourceRecord]) -> None:
        """A draft's draws depend only on (seed, epoch, index), not on what was drawn before."""
        run = run_of(demo, seed=9)
        first = [draws(Draft(run, 1, i)) for i in range(30)]
        again = [draws(Draft(run, 1, i)) for i in reversed(range(30))][::-1]
        assert first == again

    def test_index_epoch_and_seed_all_matter(self, demo: list[SourceRecord]) -> None:
        """Other indices, epochs or seeds give other draws."""
        run, other = run_of(demo, seed=9), run_of(demo, seed=10)
        base = [draws(Draft(run, 0, i)) for i in range(20)]
        assert len({repr(d) for d in base}) == 20
        assert base != [draws(Draft(run, 1, i)) for i in range(20)]
        assert base != [draws(Draft(other, 0, i)) for i in range(20)]

    def test_rules_only_for_ordered_strategies(self, demo: list[SourceRecord]) -> None:
        """Permute and maskout drafts get the enabled rules of their strategy in an order of their own."""
        run = run_of(demo, mix=PRESETS["both"])
        orders = set()
        for index in range(200):
            draft = Draft(run, 0, index)
            if draft.strategy in ("permute", "maskout"):
                assert sorted(draft.rules) == sorted(run.rules[draft.strategy])
                orders.add(tuple(draft.rules))
            else:
                assert draft.rules == []
        assert len(orders) > 20  # whole shuffles, not the rotations that favoured the rule after a failing one

    def test_fallback_is_fair(self, demo: list[SourceRecord]) -> None:
        """Whatever the failing rules, each rule that applies comes first among those that apply equally often."""
        run = run_of(demo, mix={"permute": 1.0})
        firsts: dict[str, int] = {}
        applicable = {"permute.reverse", "permute.odd_first"}  # say only these two have an answer
        for index in range(3000):
            draft = Draft(run, 0, index)
            first = next(name for name in draft.rules if name in applicable)
            firsts[first] = firsts.get(first, 0) + 1
        assert abs(firsts["permute.reverse"] / 3000 - 0.5) < 0.05

    def test_format_strategy_always_wraps(self, demo: list[SourceRecord]) -> None:
        """A format-only draft always has wrapper tags and a wrapper sentence."""
        run = run_of(demo, mix=PRESETS["format"])
        drafts = [Draft(run, 0, i) for i in range(100)]
        formats = [d for d in drafts if d.strategy == "format"]
        assert formats
        for draft in formats:
            assert draft.decoration.wrapper is not None and draft.format_meta is not None
            assert draft.decoration.wrapper[0] in draft.format_meta


class TestTally:
    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    @pytest.mark.parametrize("preset", sorted(PRESETS))
    def test_running_tally_equals_the_composed_count(
        self, demo: list[SourceRecord], tokenizer: str, preset: str
    ) -> None:
        """After each added item the tally equals a real encode of the texts it would finish as."""
        run = run_of(demo, tokenizer=tokenizer, mix=PRESETS[preset], max_tokens=100_000)
        counter = run.counter
        texts, n = run.table.texts, run.table.size
        order = run.epoch_order(0)
        for index in range(6):
            draft = Draft(run, 0, index)
            for source in order[index * 7 : index * 7 + 7]:
                draft.add(source)
                state = draft.tally()
                prompt = prompt_text(state.layout, draft.items, texts)
                responses = [(p + 1, n + draft.items[p]) for p in state.outcome.order]
                answer = answer_text(state.layout, responses, texts)
                assert (state.prompt_tokens, state.answer_tokens) == (counter.count(prompt), counter.count(answer))

    @pytest.mark.parametrize("tokenizer", TOKENIZERS)
    def test_bound_is_an_upper_bound(self, demo: list[SourceRecord], tokenizer: str) -> None:
        """The cheap bound is never below the exact sizing count."""
        run = run_of(demo, tokenizer=tokenizer, mix=PRESETS["both"], max_tokens=100_000)
        order = run.epoch_order(1)
        for index in range(20):
            draft = Draft(run, 1, index)
            for source in order[index * 5 : index * 5 + 5]:
                draft.add(source)
                assert draft.bound() >= draft.tally().sizing_tokens

    def test_tally_matches_the_composed_tally(self, demo: list[SourceRecord]) -> None:
        """The running sums and the composer's own segments give the same state."""
        run = run_of(demo, mix=PRESETS["both"], max_tokens=100_000)
        order = run.epoch_order(0)
        for index in range(30):
            draft = Draft(run, 0, index)
            for source in order[index * 4 : index * 4 + 4]:
                draft.add(source)
            state = draft.tally()
            composed = composed_tally(draft, state.rule, state.outcome, state.layout, state.template_id)
            assert (state.prompt_tokens, state.answer_tokens, state.sizing_tokens) == (
                composed.prompt_tokens,
                composed.answer_tokens,
                composed.sizing_tokens,
            )

    def test_drop_last_undoes_add(self, demo: list[SourceRecord]) -> None:
        """Adding an item and dropping it again leaves the tally as it was."""
        run = run_of(demo)
        order = run.epoch_order(0)
        draft = Draft(run, 0, 0)
        draft.add(order[0])
        draft.add(order[1])
        before = (list(draft.items), draft.prompt_sum, draft.answer_sum, draft.tally().sizing_tokens)
        draft.add(order[2])
        draft.drop_last()
        assert (list(draft.items), draft.prompt_sum, draft.answer_sum, draft.tally().sizing_tokens) == before

    def test_masked_mosaic_is_sized_on_every_response(self, demo: list[SourceRecord]) -> None:
        """A maskout mosaic's sizing count includes the responses it leaves out; its answer count does not."""
        run = run_of(demo, mix=PRESETS["mask"], max_tokens=100_000)
        order = run.epoch_order(0)
        seen = 0
        for index in range(60):
            draft = Draft(run, 0, index)
            for source in order[index : index + 4]:
                draft.add(source)
            state = draft.tally()
            if state.outcome.masked:
                assert state.sizing_tokens > state.prompt_tokens + state.answer_tokens
                seen += 1
            else:
                assert state.sizing_tokens == state.prompt_tokens + state.answer_tokens
        assert seen > 5

    def test_single_item_has_no_rule(self, demo: list[SourceRecord]) -> None:
        """One item cannot be reordered or masked: no rule, the identity order."""
        run = run_of(demo, mix=PRESETS["order"])
        draft = Draft(run, 0, 0)
        draft.add(run.epoch_order(0)[0])
        rule, outcome = draft.outcome()
        assert rule is None and outcome.order == (0,) and outcome.masked == ()

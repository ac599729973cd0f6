"""Training cost formulas against hand-worked values."""

from __future__ import annotations

import pytest

from mosaic_core.errors import ConfigError, UnknownNameError
from mosaic_core.stats.cost import (
    MODEL_PRESETS,
    ModelPreset,
    TrainingSetup,
    compare_cost,
    padded_batches,
    training_cost,
)

TOY = ModelPreset("toy", 10.0, 1, 1, "a toy")


class TestPaddedBatches:
    def test_by_hand(self) -> None:
        """[1 2] pads to 2 x 2, [3 4] to 2 x 4: 12 tokens; squares 2 x 4 + 2 x 16 = 40."""
        assert padded_batches([1, 2, 3, 4], 2) == (12, 40)

    def test_short_last_batch(self) -> None:
        """[5 1] pads to 10, the lone [2] to 2; squares 2 x 25 + 4 = 54."""
        assert padded_batches([5, 1, 2], 2) == (12, 54)

    def test_empty(self) -> None:
        """No sequences cost nothing."""
        assert padded_batches([], 4) == (0, 0)


class TestTrainingCost:
    def test_packing_by_hand(self) -> None:
        """1, 2, 3, 5 -> truncated to 4: 10 real tokens, 3 rows of 4, FLOPs 6*10*12 + 6*1*1*3*16 = 1008."""
        found = training_cost([1, 2, 3, 5], TrainingSetup(seq_len=4, batch_size=2, model=TOY, packing=True), 1)
        assert found["truncated"] == 1 and found["real_tokens"] == 10
        assert (found["sequences"], found["padded_tokens"], found["steps"]) == (3, 12, 2)
        assert found["flops_dense"] == 720 and found["flops_attention"] == 288 and found["flops"] == 1008

    def test_padding_by_hand(self) -> None:
        """Three sequences of 3 in batches of 2: 9 tokens, no padding, FLOPs 6*10*9 + 6*27 = 702, 2 steps."""
        found = training_cost([3, 3, 3], TrainingSetup(seq_len=4, batch_size=2, model=TOY), 1)
        assert (found["padded_tokens"], found["padding_share"], found["steps"]) == (9, 0.0, 2)
        assert found["flops"] == 702

    def test_epochs_multiply(self) -> None:
        """Three epochs cost three times one epoch when order cannot matter."""
        setup = TrainingSetup(seq_len=8, batch_size=2, model=TOY)
        one, three = training_cost([4] * 5, setup, 1), training_cost([4] * 5, setup, 3)
        assert three["flops"] == 3 * one["flops"] and three["steps"] == 3 * one["steps"]
        assert three["sequences"] == 15

    def test_padding_bounds(self) -> None:
        """Padded tokens lie between the real tokens and every sequence padded to the longest."""
        lengths = [3, 50, 7, 19, 2, 33, 8, 8, 41]
        found = training_cost(lengths, TrainingSetup(seq_len=64, batch_size=4, model=TOY), 2)
        assert found["real_tokens"] <= found["padded_tokens"] <= 2 * len(lengths) * 50
        assert found == training_cost(lengths, TrainingSetup(seq_len=64, batch_size=4, model=TOY), 2)

    def test_seven_billion_dense_term(self) -> None:
        """The dense term is 6 x 6.74e9 x tokens for the 7B preset."""
        found = training_cost([100], TrainingSetup(seq_len=128, batch_size=1), 1)
        assert found["flops_dense"] == pytest.approx(6 * 6.74e9 * 100)
        assert found["flops_attention"] == pytest.approx(6 * 32 * 4096 * 100**2)


class TestCompare:
    def test_ratio_by_hand(self) -> None:
        """4 x 4 tokens for 2 epochs vs 2 x 8 for 1: half the tokens, a quarter of the steps."""
        found = compare_cost([4] * 4, [8, 8], TrainingSetup(seq_len=8, batch_size=2, original_epochs=2, model=TOY))
        assert found["ratio"]["real_tokens"] == 0.5 and found["ratio"]["steps"] == 0.25
        assert found["original"]["epochs"] == 2 and found["mosaic"]["epochs"] == 1

    def test_empty_original(self) -> None:
        """No original samples: ratios are unknown, not infinite."""
        assert compare_cost([], [8], TrainingSetup())["ratio"]["steps"] is None


class TestSetup:
    def test_presets(self) -> None:
        """Presets from 1B to 70B, growing in parameters."""
        assert list(MODEL_PRESETS) == ["1B", "3B", "7B", "8B", "13B", "34B", "70B"]
        sizes = [p.parameters for p in MODEL_PRESETS.values()]
        assert sizes == sorted(sizes)

    def test_bad_numbers(self) -> None:
        """Zero batch size or sequence length is refused."""
        with pytest.raises(ConfigError, match="batch_size"):
            TrainingSetup(batch_size=0)
        with pytest.raises(ConfigError, match="seq_len"):
            TrainingSetup(seq_len=True)

    def test_unknown_model(self) -> None:
        """An unknown size names the known ones."""
        with pytest.raises(UnknownNameError, match="70B"):
            TrainingSetup(model="5B")

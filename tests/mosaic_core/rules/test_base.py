"""What a rule is: its input, its declared placeholders and the values its sentences name."""

from __future__ import annotations

import pytest

from mosaic_core.rules.base import example_values, join_numbers, noun
from mosaic_core.rules.registry import get_rule
from tests.strategies import simple_rule_input as simple


class TestRuleInput:
    def test_mask_size_rule(self) -> None:
        """m = max(floor(n r), 1)."""
        assert simple([1] * 10, ratio=0.35).mask_size == 3
        assert simple([1] * 2, ratio=0.1).mask_size == 1


class TestRule:
    def test_strategy_and_label(self) -> None:
        """The strategy is the part before the dot; the label the rest, in words."""
        rule = get_rule("permute.reverse_alphabetical")
        assert rule.strategy == "permute" and rule.label == "reverse alphabetical"


class TestWords:
    def test_join_numbers(self) -> None:
        """Lists read as English."""
        assert join_numbers([4]) == "4" and join_numbers([1, 3, 6]) == "1, 3 and 6"

    def test_noun(self) -> None:
        """One instruction, several instructions."""
        assert (noun(1), noun(2)) == ("instruction", "instructions")


class TestExampleValues:
    def test_examples_for_four_items(self) -> None:
        """The example names every even position and a rotated order."""
        found = example_values(("m", "noun", "order", "positions"), 4)
        assert found == {"m": "2", "noun": "instructions", "order": "4, 1, 2, 3", "positions": "2 and 4"}

    @pytest.mark.parametrize("n", [1, 2, 9, 10, 99, 100])
    def test_widest_is_at_least_as_long_as_any_real_value(self, n: int) -> None:
        """The widest values are never shorter than an order or a mask (at most half) any mosaic of n items has."""
        widest = example_values(("m", "order", "positions"), n, widest=True)
        order = ", ".join(str(p) for p in range(n, 0, -1))
        assert len(widest["order"]) >= len(order)
        largest_mask = list(range(n - max(n // 2, 1) + 1, n + 1))
        assert len(widest["positions"]) >= len(join_numbers(largest_mask))
        assert len(widest["m"]) >= len(str(n))

    def test_unknown_placeholder_is_an_error(self) -> None:
        """A placeholder no example knows is a KeyError, not a silent gap."""
        with pytest.raises(KeyError):
            example_values(("colour",), 3)

"""The five maskout rules: leave some instructions unanswered."""

from __future__ import annotations

from mosaic_core.rules.base import RuleInput
from mosaic_core.rules.maskout import MASKOUT_RULES
from mosaic_core.rules.registry import get_rule
from tests.strategies import simple_rule_input as simple


class TestMaskout:
    def test_longest_words_masked(self) -> None:
        """The m longest go; the sentence gets m and the noun."""
        outcome = get_rule("maskout.longest_words").apply(simple([3, 9, 4, 1, 2], ratio=0.4))
        assert outcome is not None and outcome.masked == (1, 2) and outcome.values == {"m": "2", "noun": "instructions"}

    def test_tie_at_the_cut_is_inapplicable(self) -> None:
        """If the m-th and (m+1)-th share a length, "the m shortest" is ambiguous."""
        assert get_rule("maskout.shortest_words").apply(simple([1, 1, 5, 6], ratio=0.25)) is None

    def test_odd_numbered_ignored(self) -> None:
        """Ignoring odd numbers keeps 2 and 4."""
        outcome = get_rule("maskout.odd").apply(simple([1] * 5))
        assert outcome is not None and outcome.order == (1, 3) and outcome.masked == (0, 2, 4)

    def test_odd_or_even_mask_needs_four_instructions(self) -> None:
        """Below four, one class holds one instruction, which "the odd-numbered ones" would speak of as
        several: neither rule applies; from four on both do."""
        for name in ("maskout.odd", "maskout.even"):
            for n in (2, 3):
                assert get_rule(name).apply(simple([1] * n)) is None, (name, n)
            outcome = get_rule(name).apply(simple([1] * 4))
            assert outcome is not None and len(outcome.masked) == 2

    def test_fixed_mask_names_positions(self) -> None:
        """The fixed mask hides the smallest keys and lists them in words."""
        data = RuleInput([1] * 6, [1] * 6, ["a"] * 6, [0.5, 0.1, 0.9, 0.05, 0.7, 0.6], 0.34)
        outcome = get_rule("maskout.fix").apply(data)
        assert outcome is not None and outcome.masked == (1, 3) and outcome.values["positions"] == "2 and 4"

    def test_even_numbered_ignored(self) -> None:
        """Ignoring even numbers keeps 1, 3 and 5."""
        outcome = get_rule("maskout.even").apply(simple([1] * 5))
        assert outcome is not None and outcome.order == (0, 2, 4) and outcome.masked == (1, 3)

    def test_one_masked_item_is_singular(self) -> None:
        """Masking one instruction says "instruction", not "instructions"."""
        outcome = get_rule("maskout.shortest_words").apply(simple([5, 1, 4, 3], ratio=0.25))
        assert outcome is not None and outcome.masked == (1,) and outcome.values == {"m": "1", "noun": "instruction"}

    def test_fixed_mask_check_catches_a_broken_mask(self) -> None:
        """The drawn-answer check refuses too large a mask or a shuffled answer (the verifier checks the names)."""
        check = get_rule("maskout.fix").check_drawn
        assert check is not None
        assert check(6, (0, 2, 4, 5), (1, 3)) == []
        assert check(6, (2, 0, 4, 5), (1, 3))
        assert check(6, (5,), (0, 1, 2, 3, 4))

    def test_only_maskout_rules_keeping_order(self) -> None:
        """Every rule of the tuple is a maskout rule that keeps the unmasked ones in their order."""
        assert len(MASKOUT_RULES) == 5
        for rule in MASKOUT_RULES:
            outcome = rule.apply(simple([1, 2, 3, 4, 5, 6], ratio=0.34))
            assert rule.strategy == "maskout" and outcome is not None and outcome.masked
            assert list(outcome.order) == sorted(outcome.order)

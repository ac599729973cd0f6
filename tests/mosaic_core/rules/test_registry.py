"""Every permute and maskout rule, by name."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given

from mosaic_core.errors import UnknownNameError
from mosaic_core.rules.base import RuleInput
from mosaic_core.rules.maskout import MASKOUT_RULES
from mosaic_core.rules.permute import PERMUTE_RULES
from mosaic_core.rules.registry import ORDERED_STRATEGIES, RULES, get_rule, masks, rules_of
from tests.strategies import rule_inputs


class TestRegistry:
    def test_unknown_rule_lists_known(self) -> None:
        """Unknown rule names fail with the list of known ones."""
        with pytest.raises(UnknownNameError, match=r"permute\.reverse"):
            get_rule("permute.sideways")

    def test_counts(self) -> None:
        """Ten permute rules and five maskout rules, as the paper."""
        assert sum(n.startswith("permute.") for n in RULES) == 10
        assert sum(n.startswith("maskout.") for n in RULES) == 5

    def test_unknown_rule_is_a_key_error(self) -> None:
        """An unknown rule can be caught as a KeyError too."""
        with pytest.raises(KeyError):
            get_rule("maskout.sideways")

    @pytest.mark.parametrize("name", sorted(RULES))
    def test_registered_under_its_own_name(self, name: str) -> None:
        """Each rule is found under the name it declares, and its strategy is an ordered one."""
        assert get_rule(name).name == name and get_rule(name).strategy in ORDERED_STRATEGIES

    def test_rules_of_keeps_registry_order(self) -> None:
        """rules_of gives each strategy's rules in the order of their module's tuple."""
        assert rules_of("permute") == [rule.name for rule in PERMUTE_RULES]
        assert rules_of("maskout") == [rule.name for rule in MASKOUT_RULES]
        assert rules_of("format") == []


class TestDeclarations:
    @given(rule_inputs(), rule_inputs())
    def test_positional_rules_answer_by_numbers_alone(self, first: RuleInput, second: RuleInput) -> None:
        """A rule declared positional gives the same answer for any instructions of one count (so its sentences
        may name numbers)."""
        n = min(first.n, second.n)
        first, second = (
            dataclasses.replace(x, **{f: list(getattr(x, f))[:n] for f in ("words", "chars", "letters", "keys")})
            for x in (first, second)
        )
        for rule in RULES.values():
            if rule.positional:
                assert rule.apply(first) == rule.apply(second), rule.name

    def test_only_positional_rules_are_declared_so(self) -> None:
        """Rules whose answer follows from features or random keys are not positional: two inputs of one count
        tell them apart."""
        one = RuleInput(
            words=[1, 2, 3, 4], chars=[10, 20, 30, 40], letters=list("abcd"), keys=[0.1, 0.2, 0.3, 0.4], mask_ratio=0.5
        )
        other = RuleInput(
            words=[4, 3, 2, 1], chars=[40, 30, 20, 10], letters=list("dcba"), keys=[0.4, 0.3, 0.2, 0.1], mask_ratio=0.5
        )
        differ = {rule.name for rule in RULES.values() if rule.apply(one) != rule.apply(other)}
        assert differ == {rule.name for rule in RULES.values() if not rule.positional}

    def test_class_rules_mask_the_odd_or_the_even_numbers(self) -> None:
        """A rule declared to speak of classes masks a class of numbers (odd or even) and is a mask rule."""
        data = RuleInput(words=[1] * 6, chars=[1] * 6, letters=["a"] * 6, keys=[0.5] * 6, mask_ratio=0.5)
        for rule in RULES.values():
            if rule.classes:
                outcome = rule.apply(data)
                assert outcome is not None and rule.masks
                assert outcome.masked in ((0, 2, 4), (1, 3, 5)), rule.name

    def test_masks_knows_families(self) -> None:
        """masks() holds for the maskout rules only, and for no format family or unknown name."""
        assert [name for name in RULES if masks(name)] == rules_of("maskout")
        assert not masks("format.plain") and not masks("maskout.sideways")

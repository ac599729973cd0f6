"""Every permute and maskout rule, by name."""

from __future__ import annotations

import pytest

from mosaic_core.errors import UnknownNameError
from mosaic_core.rules.maskout import MASKOUT_RULES
from mosaic_core.rules.permute import PERMUTE_RULES
from mosaic_core.rules.registry import ORDERED_STRATEGIES, RULES, get_rule, rules_of


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

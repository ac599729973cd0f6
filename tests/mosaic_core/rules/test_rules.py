"""Every permute and maskout rule, parametrized over the registry."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings

from mosaic_core.rules.base import RuleInput
from mosaic_core.rules.registry import RULES
from tests.strategies import rule_inputs

DRAWN = sorted(name for name, rule in RULES.items() if rule.check_drawn is not None)


class TestEveryRule:
    @pytest.mark.parametrize("name", sorted(RULES))
    @settings(max_examples=80, deadline=None)
    @given(data=rule_inputs())
    def test_positions_are_consistent(self, name: str, data: RuleInput) -> None:
        """Kept and masked positions partition the items; each kept once; masks not too large."""
        outcome = RULES[name].apply(data)
        assume(outcome is not None)
        assert outcome is not None
        assert len(set(outcome.order)) == len(outcome.order)
        assert sorted(outcome.order + outcome.masked) == list(range(data.n))
        if name.startswith("permute"):
            assert not outcome.masked
        else:
            assert 1 <= len(outcome.masked) < data.n
            assert list(outcome.order) == sorted(outcome.order)

    @pytest.mark.parametrize("name", sorted(RULES))
    def test_large_k(self, name: str) -> None:
        """Rules work well past 50 items (the reference crashed there)."""
        n = 120
        data = RuleInput(list(range(1, n + 1)), list(range(1, n + 1)), ["b"] * n, [i / n for i in range(n)][::-1], 0.3)
        assert RULES[name].apply(data) is not None

    @pytest.mark.parametrize("name", DRAWN)
    @settings(max_examples=80, deadline=None)
    @given(data=rule_inputs())
    def test_drawn_rules_pass_their_own_check(self, name: str, data: RuleInput) -> None:
        """A rule whose answer is drawn finds nothing wrong with what it chose itself (or declines the draw)."""
        rule = RULES[name]
        outcome = rule.apply(data)
        assert rule.check_drawn is not None
        if outcome is None:  # only the fixed order declines: its keys sorted into the given order
            assert name == "permute.fix" and sorted(range(data.n), key=data.keys.__getitem__) == list(range(data.n))
            return
        assert rule.check_drawn(data.n, outcome.order, outcome.masked) == []

    @pytest.mark.parametrize("name", sorted(RULES))
    def test_example_values_fill_exactly_the_placeholders(self, name: str) -> None:
        """The example and widest values name exactly the placeholders the rule declares."""
        rule = RULES[name]
        assert set(rule.example(5)) == set(rule.placeholders) == set(rule.widest(5))

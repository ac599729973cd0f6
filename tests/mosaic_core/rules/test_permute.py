"""The ten permute rules: answer every instruction, in a stated order."""

from __future__ import annotations

from mosaic_core.rules.base import RuleInput
from mosaic_core.rules.permute import PERMUTE_RULES
from mosaic_core.rules.registry import get_rule
from tests.strategies import simple_rule_input as simple


class TestPermute:
    def test_alphabetical_is_stable_on_ties(self) -> None:
        """Same first letter keeps the original order (the stated tie-break)."""
        outcome = get_rule("permute.alphabetical").apply(simple([1, 1, 1, 1], "baba"))
        assert outcome is not None and outcome.order == (1, 3, 0, 2)

    def test_reverse_alphabetical(self) -> None:
        """Z to A, ties in original order."""
        outcome = get_rule("permute.reverse_alphabetical").apply(simple([1, 1, 1], "aza"))
        assert outcome is not None and outcome.order == (1, 0, 2)

    def test_alphabetical_needs_letters(self) -> None:
        """An instruction without an ASCII first letter makes the rule inapplicable."""
        assert get_rule("permute.alphabetical").apply(RuleInput([1, 1], [1, 1], ["a", ""], [0, 0], 0.3)) is None

    def test_longest_words_first(self) -> None:
        """Most words first; equal counts keep order."""
        outcome = get_rule("permute.longest_words").apply(simple([2, 5, 2, 7]))
        assert outcome is not None and outcome.order == (3, 1, 0, 2)

    def test_shortest_chars_first(self) -> None:
        """Fewest characters first."""
        outcome = get_rule("permute.shortest_chars").apply(simple([1, 1, 1], chars=[9, 3, 5]))
        assert outcome is not None and outcome.order == (1, 2, 0)

    def test_odd_then_even(self) -> None:
        """Numbers 1, 3, 5 then 2, 4."""
        outcome = get_rule("permute.odd_first").apply(simple([1] * 5))
        assert outcome is not None and outcome.order == (0, 2, 4, 1, 3)

    def test_even_then_odd(self) -> None:
        """Numbers 2, 4 then 1, 3, 5."""
        outcome = get_rule("permute.even_first").apply(simple([1] * 5))
        assert outcome is not None and outcome.order == (1, 3, 0, 2, 4)

    def test_odd_or_even_first_needs_four_instructions(self) -> None:
        """Below four, one class holds one instruction, which the sentences speak of as a group ("all of the
        even-numbered ones"), and in two "odd first" is the given order: neither applies; from four on both do."""
        for name in ("permute.odd_first", "permute.even_first"):
            for n in (1, 2, 3):
                assert get_rule(name).apply(simple([1] * n)) is None, (name, n)
        odd, even = (get_rule(name).apply(simple([1] * 4)) for name in ("permute.odd_first", "permute.even_first"))
        assert odd is not None and odd.order == (0, 2, 1, 3)
        assert even is not None and even.order == (1, 3, 0, 2)

    def test_fixed_order_follows_keys_and_is_named(self) -> None:
        """The fixed order sorts by the drawn keys and the sentence names it."""
        outcome = get_rule("permute.fix").apply(RuleInput([1] * 3, [1] * 3, ["a"] * 3, [0.9, 0.1, 0.5], 0.3))
        assert outcome is not None and outcome.order == (1, 2, 0) and outcome.values["order"] == "2, 3, 1"

    def test_reverse(self) -> None:
        """Last to first."""
        outcome = get_rule("permute.reverse").apply(simple([1] * 4))
        assert outcome is not None and outcome.order == (3, 2, 1, 0)

    def test_fixed_order_check_catches_a_broken_order(self) -> None:
        """The drawn-answer check refuses an order that is not a permutation, or one that masks."""
        check = get_rule("permute.fix").check_drawn
        assert check is not None
        assert check(3, (1, 2, 0), ()) == []
        assert check(3, (1, 1, 0), ())
        assert check(3, (1, 2), (0,))
        assert check(3, (0, 1, 2), ())  # the given order is no fixed order

    def test_fixed_order_never_the_given_order(self) -> None:
        """Keys that sort into the given order leave the rule without an answer (the next rule is used)."""
        data = simple([3, 1, 2], "bca")
        data.keys = [0.1, 0.2, 0.3]
        assert get_rule("permute.fix").apply(data) is None
        data.keys = [0.3, 0.2, 0.1]
        outcome = get_rule("permute.fix").apply(data)
        assert outcome is not None and outcome.order == (2, 1, 0)

    def test_only_permute_rules_masking_nothing(self) -> None:
        """Every rule of the tuple is a permute rule, and none hides an instruction."""
        assert len(PERMUTE_RULES) == 10
        for rule in PERMUTE_RULES:
            data = simple([3, 1, 2, 4], "bcad")
            data.keys = [0.9, 0.1, 0.5, 0.7]
            outcome = rule.apply(data)
            assert rule.strategy == "permute" and outcome is not None and outcome.masked == ()

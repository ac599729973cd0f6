"""Permute and maskout rules, parametrized over the registry."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.errors import UnknownNameError
from mosaic_core.rules.base import RuleInput, join_numbers
from mosaic_core.rules.registry import RULES, get_rule


@st.composite
def rule_inputs(draw: st.DrawFn) -> RuleInput:
    n = draw(st.integers(2, 60))
    return RuleInput(
        words=draw(st.lists(st.integers(1, 6), min_size=n, max_size=n)),
        chars=draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)),
        letters=draw(st.lists(st.sampled_from("abcz"), min_size=n, max_size=n)),
        keys=draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)),
        mask_ratio=draw(st.floats(0.1, 0.5)),
    )


def simple(words: list[int], letters: str = "", chars: list[int] | None = None, ratio: float = 0.3) -> RuleInput:
    n = len(words)
    return RuleInput(words, chars or words, list(letters or "a" * n), [0.5] * n, ratio)


class TestEveryRule:
    @pytest.mark.parametrize("name", sorted(RULES))
    @settings(max_examples=80, deadline=None)
    @given(data=rule_inputs())
    def test_positions_are_consistent(self, name: str, data: RuleInput) -> None:
        """Kept and masked positions partition the items; each kept once; masks not too large."""
        outcome = RULES[name].apply(data)
        if outcome is None:
            return
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

    def test_fixed_order_follows_keys_and_is_named(self) -> None:
        """The fixed order sorts by the drawn keys and the sentence names it."""
        outcome = get_rule("permute.fix").apply(RuleInput([1] * 3, [1] * 3, ["a"] * 3, [0.9, 0.1, 0.5], 0.3))
        assert outcome is not None and outcome.order == (1, 2, 0) and outcome.values["order"] == "2, 3, 1"


class TestMaskout:
    def test_mask_size_rule(self) -> None:
        """m = max(floor(n r), 1)."""
        assert simple([1] * 10, ratio=0.35).mask_size == 3
        assert simple([1] * 2, ratio=0.1).mask_size == 1

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

    def test_fixed_mask_names_positions(self) -> None:
        """The fixed mask hides the smallest keys and lists them in words."""
        data = RuleInput([1] * 6, [1] * 6, ["a"] * 6, [0.5, 0.1, 0.9, 0.05, 0.7, 0.6], 0.34)
        outcome = get_rule("maskout.fix").apply(data)
        assert outcome is not None and outcome.masked == (1, 3) and outcome.values["positions"] == "2 and 4"


class TestRegistry:
    def test_unknown_rule_lists_known(self) -> None:
        """Unknown rule names fail with the list of known ones."""
        with pytest.raises(UnknownNameError, match=r"permute\.reverse"):
            get_rule("permute.sideways")

    def test_counts(self) -> None:
        """Ten permute rules and five maskout rules, as the paper."""
        assert sum(n.startswith("permute.") for n in RULES) == 10
        assert sum(n.startswith("maskout.") for n in RULES) == 5

    def test_join_numbers(self) -> None:
        """Lists read as English."""
        assert join_numbers([4]) == "4" and join_numbers([1, 3, 6]) == "1, 3 and 6"

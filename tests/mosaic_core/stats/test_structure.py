"""Structure of a mosaic set, from its plans."""

from __future__ import annotations

import dataclasses
import math

import pytest

from mosaic_core.generate.walk import PLAIN
from mosaic_core.records import Plan
from mosaic_core.stats.structure import distribution, entropy, pair_novelty, source_usage, structure_stats


def plan(
    *ids: str,
    strategy: str = "primary",
    rule: str | None = None,
    outer: str | None = None,
    values: tuple[tuple[str, str], ...] = (),
    format_template: str | None = None,
) -> Plan:
    """A plan with only the fields the structure statistics read."""
    decoration = dataclasses.replace(PLAIN, format_template=format_template)
    order = tuple(range(len(ids)))
    chars = (1,) * len(ids)
    return Plan(0, 0, 0, ids, len(ids), strategy, rule, outer, order, (), values, decoration, chars, chars, 10, 10)


class TestEntropy:
    def test_by_hand(self) -> None:
        """Counts 2, 1, 1: -(1/2 log2 1/2 + 2 x 1/4 log2 1/4) = 1.5 bits."""
        assert entropy([2, 1, 1]) == pytest.approx(1.5)

    def test_uniform_and_single(self) -> None:
        """Four equal values give 2 bits; one value 0; nothing 0."""
        assert entropy([5, 5, 5, 5]) == pytest.approx(2.0)
        assert entropy([9]) == 0.0
        assert entropy([]) == 0.0

    def test_zero_counts_ignored(self) -> None:
        """Values that never occur do not change the entropy."""
        assert entropy([3, 0, 3]) == pytest.approx(1.0)


class TestDistribution:
    def test_numbers_sorted_numerically(self) -> None:
        """k values are listed 2 before 10."""
        assert list(distribution([10, 2, 2])["counts"]) == ["2", "10"]

    def test_none_named(self) -> None:
        """A missing rule is counted under "none"."""
        found = distribution([None, "permute.reverse"])
        assert found["counts"] == {"permute.reverse": 1, "none": 1} and found["entropy"] == pytest.approx(1.0)


class TestNovelty:
    def test_by_hand(self) -> None:
        """(a b c), (a b): pairs ab twice, ac and bc once: 2 of 3 pairs are novel."""
        assert pair_novelty([("a", "b", "c"), ("a", "b")]) == pytest.approx(2 / 3)

    def test_all_novel(self) -> None:
        """Disjoint mosaics: every pair is seen once."""
        assert pair_novelty([("a", "b"), ("c", "d", "e")]) == 1.0

    def test_pair_order_irrelevant(self) -> None:
        """(b a) is the same pair as (a b)."""
        assert pair_novelty([("a", "b"), ("b", "a")]) == 0.0

    def test_no_pairs(self) -> None:
        """Single-item mosaics have no pairs."""
        assert pair_novelty([("a",), ("b",)]) is None


class TestSourceUsage:
    def test_by_hand(self) -> None:
        """a used twice, b once, one more source never: mean (2 + 1 + 0) / 3 = 1."""
        found = source_usage([("a", "b"), ("a",)], sources=3)
        assert found == {"uses": {"0": 1, "1": 1, "2": 1}, "mean": 1.0, "min": 0, "max": 2, "unused": 1}

    def test_unknown_source_count(self) -> None:
        """Without the size of the source set, unused sources are unknown."""
        assert source_usage([("a",)])["unused"] is None


class TestStructureStats:
    def test_by_hand(self) -> None:
        """Two permute mosaics with the same sentence, one plain: counts, entropies, meta-instructions."""
        plans = [
            plan("a", "b", strategy="permute", rule="permute.reverse", outer="permute.reverse.01"),
            plan("c", "d", strategy="permute", rule="permute.reverse", outer="permute.reverse.01"),
            plan("e", format_template="format.plain.01"),
        ]
        found = structure_stats(plans, sources=6)
        assert found["k"]["counts"] == {"1": 1, "2": 2}
        assert found["k"]["entropy"] == pytest.approx(-(1 / 3) * math.log2(1 / 3) - (2 / 3) * math.log2(2 / 3))
        assert found["strategy"]["counts"] == {"permute": 2, "primary": 1}
        assert found["meta_instructions"] == {"distinct": 2, "distinct_format": 1, "distinct_outer": 1}
        assert found["source_usage"]["unused"] == 1
        assert found["pair_novelty"] == 1.0

    def test_values_make_sentences_distinct(self) -> None:
        """The same fix template with another order is another meta-instruction."""
        plans = [
            plan("a", "b", outer="permute.fix.01", values=(("order", "2, 1"),)),
            plan("c", "d", outer="permute.fix.01", values=(("order", "1, 2"),)),
        ]
        assert structure_stats(plans)["meta_instructions"]["distinct_outer"] == 2

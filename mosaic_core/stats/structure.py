"""The structure of a mosaic set, read off its plans.

Distributions of k, strategies, rules and templates (with their Shannon
entropy in bits), the number of distinct meta-instructions, how often each
source is used, and combinatorial novelty: among the source pairs that share at
least one mosaic, the share that share exactly one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.report import RunReport, shares
from mosaic_core.records import Plan

__all__ = ["distribution", "entropy", "pair_novelty", "source_usage", "structure_stats"]


def entropy(counts: Iterable[int]) -> float:
    """Shannon entropy, in bits, of the distribution given by ``counts``.

    >>> entropy([2, 1, 1])
    1.5
    """
    values = [c for c in counts if c > 0]
    total = sum(values)
    return -sum(c / total * math.log2(c / total) for c in values) if total else 0.0


def distribution(values: Iterable[Hashable]) -> dict[str, Any]:
    """Counts by value (as strings, sorted; None becomes "none") and their entropy.

    >>> distribution(["a", "b", "a", None])
    {'counts': {'a': 2, 'b': 1, 'none': 1}, 'entropy': 1.5, 'distinct': 3}
    """
    counts = Counter("none" if v is None else str(v) for v in values)
    ordered = dict(sorted(counts.items(), key=lambda item: (_numeric_key(item[0]), item[0])))
    return {"counts": ordered, "entropy": entropy(counts.values()), "distinct": len(counts)}


def _numeric_key(text: str) -> float:
    return float(text) if text.isdigit() else math.inf


def source_usage(groups: Iterable[Sequence[str]], sources: int | None = None) -> dict[str, Any]:
    """How many times each source appears: a histogram of use counts, mean and extremes.

    ``groups`` are the source ids of each mosaic. With ``sources`` (the size of the
    source set), sources never used count as used 0 times.

    >>> source_usage([("a", "b"), ("a",)], sources=3)["uses"]
    {'0': 1, '1': 1, '2': 1}
    """
    used = Counter(s for group in groups for s in group)
    per_source = list(used.values())
    if sources is not None:
        per_source += [0] * max(0, sources - len(used))
    if not per_source:
        return {"uses": {}, "mean": None, "min": None, "max": None, "unused": sources}
    histogram = Counter(per_source)
    return {
        "uses": {str(k): histogram[k] for k in sorted(histogram)},
        "mean": float(np.mean(per_source)),
        "min": min(per_source),
        "max": max(per_source),
        "unused": None if sources is None else histogram.get(0, 0),
    }


def pair_novelty(groups: Iterable[Sequence[str]]) -> float | None:
    """Share of co-occurring source pairs that appear together in exactly one mosaic (None: no pairs).

    >>> pair_novelty([("a", "b", "c"), ("a", "b")])
    0.6666666666666666
    """
    ids: dict[str, int] = {}
    by_k: dict[int, list[list[int]]] = {}
    for group in groups:
        if len(group) >= 2:
            by_k.setdefault(len(group), []).append([ids.setdefault(s, len(ids)) for s in group])
    keys: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    for k, rows in by_k.items():
        items = np.asarray(rows, dtype=np.int64)
        first, second = np.triu_indices(k, 1)
        low = np.minimum(items[:, first], items[:, second])
        high = np.maximum(items[:, first], items[:, second])
        keys.append((low * len(ids) + high).ravel())
    if not keys:
        return None
    _, counts = np.unique(np.concatenate(keys), return_counts=True)
    return float(np.mean(counts == 1))


def structure_stats(
    plans: Sequence[Plan], sources: int | None = None, config: MosaicConfig | None = None
) -> dict[str, Any]:
    """Every structure statistic of a mosaic set (see the module docstring).

    >>> structure_stats([])["pair_novelty"] is None
    True
    """
    groups = [p.source_ids for p in plans]
    format_metas = {(p.decoration.format_template, p.decoration.wrapper) for p in plans}
    outer_metas = {(p.outer_template, p.values) for p in plans}
    both = {
        (p.decoration.format_template, p.decoration.wrapper, p.outer_template, p.values)
        for p in plans
        if p.decoration.format_template is not None or p.outer_template is not None
    }
    return {
        "mosaics": len(plans),
        "k": distribution(p.k for p in plans),
        "strategy": distribution(p.strategy for p in plans),
        "language": distribution(p.language for p in plans),
        "rule": distribution(p.rule for p in plans),
        "format_template": distribution(p.decoration.format_template for p in plans),
        "outer_template": distribution(p.outer_template for p in plans),
        "meta_instructions": {
            "distinct": len(both),
            "distinct_format": len({m for m in format_metas if m[0] is not None}),
            "distinct_outer": len({m for m in outer_metas if m[0] is not None}),
        },
        "shares": None if config is None else shares(config, RunReport.from_plans(plans)),
        "source_usage": source_usage(groups, sources),
        "pair_novelty": pair_novelty(groups),
    }

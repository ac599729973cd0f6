"""Lexical diversity: distinct-n, the n-gram diversity score and the gzip compression ratio.

All three grow or shrink with the amount of text they see (a larger corpus
repeats more of its n-grams), so sets are compared at an equal word budget:
each set is sampled record by record in a seeded order until it holds
``budget`` words, and both sets are then cut to the smaller of the two sizes
(see ``words.sample_words``). N-grams never cross record boundaries.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping, Sequence
from typing import Any

from mosaic_core.stats.ngrams import NgramIndex
from mosaic_core.stats.words import WordSample, sample_words

__all__ = [
    "DEFAULT_WORD_BUDGET",
    "compression_ratio",
    "distinct_n",
    "lexical_stats",
    "matched_lexical",
    "ngram_diversity",
]

DEFAULT_WORD_BUDGET = 200_000


def _distinct(index: NgramIndex, n: int) -> float:
    total = len(index.grams(n)[0])
    return index.distinct(n) / total if total else 0.0


def distinct_n(docs: Sequence[Sequence[str]], n: int) -> float:
    """Distinct n-grams over all n-grams of the corpus (Li et al. 2016); 0 when there are none.

    >>> distinct_n([["a", "b", "a"], ["a"]], 1)
    0.5
    """
    return _distinct(NgramIndex.build(docs), n)


def ngram_diversity(docs: Sequence[Sequence[str]], orders: int = 4) -> float:
    """The sum over n = 1..orders of distinct-n (so 4.0 at most for four orders).

    >>> ngram_diversity([["a", "b", "a"]])
    2.6666666666666665
    """
    index = NgramIndex.build(docs)
    return sum(_distinct(index, n) for n in range(1, orders + 1))


def compression_ratio(texts: Sequence[str]) -> float:
    """UTF-8 bytes of the newline-joined texts over their gzip size (level 9): higher is more repetitive.

    >>> round(compression_ratio(["ab" * 500]), 1)
    33.3
    """
    data = "\n".join(texts).encode("utf-8")
    if not data:
        return 0.0
    return len(data) / len(gzip.compress(data, compresslevel=9, mtime=0))


def lexical_stats(sample: WordSample) -> dict[str, Any]:
    """Every lexical metric of one word sample.

    >>> lexical_stats(sample_words(["a b a"], 10))["distinct_1"]
    0.6666666666666666
    """
    index = NgramIndex.build(sample.docs)
    distinct = {n: _distinct(index, n) for n in range(1, 5)}
    return {
        "words": sample.size,
        "records": len(sample.docs),
        "distinct_1": distinct[1],
        "distinct_2": distinct[2],
        "distinct_3": distinct[3],
        "ngram_diversity": sum(distinct.values()),
        "compression_ratio": compression_ratio(sample.texts),
    }


def matched_lexical(
    sets: Mapping[str, Sequence[str]], budget: int = DEFAULT_WORD_BUDGET, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Lexical metrics of several text sets, each sampled down to the same number of words.

    >>> found = matched_lexical({"a": ["x y z w"], "b": ["x x"]})
    >>> found["a"]["words"], found["b"]["words"]
    (2, 2)
    """
    samples = {name: sample_words(texts, budget, seed) for name, texts in sets.items()}
    common = min((s.size for s in samples.values()), default=0)
    return {name: lexical_stats(sample.cut(common)) for name, sample in samples.items()}

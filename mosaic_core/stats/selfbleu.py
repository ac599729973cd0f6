"""Self-BLEU (Zhu et al. 2018, Texygen): how much each sampled text repeats the others.

What is computed, exactly: for each document d_j of the sample, BLEU-4 of d_j
(the hypothesis) against *every other* sampled document (the references), as
NLTK's ``sentence_bleu`` with uniform weights and smoothing method 1 does it:

* modified precision p_n = sum over n-grams g of min(c_j(g), max_{i != j} c_i(g)),
  divided by the number of n-grams of d_j, for n = 1..4; a zero numerator is
  replaced by 0.1 (Chen & Cherry 2014, method 1); a document shorter than n
  counts one n-gram for the denominator;
* no unigram match at all (or an empty hypothesis) gives BLEU 0;
* brevity penalty exp(1 - r / h) when h <= r, where h is the length of d_j and r
  the length of the other document closest to h (the shorter one on ties);
* BLEU_j = BP * exp(mean of log p_n); self-BLEU is the mean of BLEU_j.

It is exact, not approximated: for each n-gram the two largest per-document
counts (and which document holds the largest) are kept, so "the largest count
among the others" costs one look-up. Everything is vectorized with numpy.

Self-BLEU rises with text length (a long hypothesis finds more of its n-grams in
long references), so mosaics and sources are also compared on windows of equal
length: the sample's records, in seeded order, are joined into one word stream
and cut into consecutive windows of ``window`` words.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mosaic_core.stats.ngrams import IntArray, NgramIndex
from mosaic_core.stats.words import record_order, sample_words, words

__all__ = ["DEFAULT_SAMPLE", "DEFAULT_WINDOW", "sampled_self_bleu", "self_bleu", "windowed_self_bleu"]

DEFAULT_SAMPLE = 500
DEFAULT_WINDOW = 64
_EPSILON = 0.1


def _clipped_matches(index: NgramIndex, n: int) -> IntArray:
    """Per document: sum over its n-grams of min(own count, largest count in any other document)."""
    grams, docs = index.grams(n)
    if not len(grams):
        return np.zeros(index.size, dtype=np.int64)
    width = int(grams.max()) + 1
    pairs, counts = np.unique(docs * width + grams, return_counts=True)
    pair_docs, pair_grams = pairs // width, pairs % width
    order = np.lexsort((-counts, pair_grams))
    sorted_grams, sorted_counts = pair_grams[order], counts[order]
    heads = np.flatnonzero(np.r_[True, sorted_grams[1:] != sorted_grams[:-1]])
    best = np.zeros(width, dtype=np.int64)
    best_doc = np.full(width, -1, dtype=np.int64)
    second = np.zeros(width, dtype=np.int64)
    best[sorted_grams[heads]] = sorted_counts[heads]
    best_doc[sorted_grams[heads]] = pair_docs[order][heads]
    runners = heads + 1
    has_second = runners < len(order)
    has_second[has_second] &= sorted_grams[runners[has_second]] == sorted_grams[heads[has_second]]
    second[sorted_grams[heads[has_second]]] = sorted_counts[runners[has_second]]
    others = np.where(best_doc[pair_grams] == pair_docs, second[pair_grams], best[pair_grams])
    clipped = np.minimum(counts, others)
    return np.bincount(pair_docs, weights=clipped, minlength=index.size).astype(np.int64)


def _closest_other_lengths(lengths: IntArray) -> IntArray:
    """For each document, the length of the other document closest to its own (shorter on ties)."""
    order = np.argsort(lengths, kind="stable")
    ranked = lengths[order]
    size = len(ranked)
    below = np.r_[-(10**18), ranked[:-1]]
    above = np.r_[ranked[1:], 10**18]
    pick_below = (ranked - below) <= (above - ranked)
    closest = np.where(pick_below, below, above)
    found = np.empty(size, dtype=np.int64)
    found[order] = closest
    return found


def self_bleu(docs: Sequence[Sequence[str]]) -> float | None:
    """Mean BLEU-4 of each document against all the others; None for fewer than two documents.

    >>> round(self_bleu([["the", "cat", "sat"], ["the", "cat", "ran"], ["a", "dog", "ran"]]), 4)
    0.2066
    """
    if len(docs) < 2:
        return None
    index = NgramIndex.build(docs)
    lengths = index.lengths
    closest = _closest_other_lengths(lengths)
    logs = np.zeros(len(docs))
    unigram_hits = np.zeros(len(docs), dtype=np.int64)
    for n in range(1, 5):
        hits = _clipped_matches(index, n)
        if n == 1:
            unigram_hits = hits
        totals = np.maximum(lengths - n + 1, 1)
        precision = np.where(hits > 0, hits, _EPSILON) / totals
        logs += np.log(precision) / 4
    safe = np.maximum(lengths, 1)
    penalty = np.where(lengths > closest, 0.0, 1.0 - closest / safe)
    scores = np.exp(penalty + logs)
    scores[(unigram_hits == 0) | (lengths == 0)] = 0.0
    return float(scores.mean())


def sampled_self_bleu(texts: Sequence[str], sample: int = DEFAULT_SAMPLE, seed: int = 0) -> float | None:
    """Self-BLEU of ``sample`` records (with words) drawn in seeded order.

    >>> sampled_self_bleu(["the same four words"] * 3)
    1.0
    """
    docs: list[list[str]] = []
    for index in record_order(len(texts), seed):
        if len(docs) == sample:
            break
        doc = words(texts[index])
        if doc:
            docs.append(doc)
    return self_bleu(docs)


def windowed_self_bleu(
    texts: Sequence[str], sample: int = DEFAULT_SAMPLE, window: int = DEFAULT_WINDOW, seed: int = 0
) -> float | None:
    """Self-BLEU of ``sample`` consecutive windows of ``window`` words from the seeded word stream.

    >>> windowed_self_bleu(["a b c d"] * 4, sample=3, window=4)
    1.0
    """
    stream = [word for doc in sample_words(texts, sample * window, seed).docs for word in doc]
    windows = [stream[start : start + window] for start in range(0, len(stream) - window + 1, window)]
    return self_bleu(windows)

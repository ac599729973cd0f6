"""Self-BLEU against hand-worked values and a plain-Python reference."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.stats.selfbleu import (
    _closest_other_lengths,
    sampled_self_bleu,
    self_bleu,
    windowed_self_bleu,
)


def reference_self_bleu(docs: list[list[str]]) -> float:
    """NLTK's sentence_bleu (uniform weights, smoothing method 1) averaged, written plainly."""
    scores = []
    for j, hyp in enumerate(docs):
        refs = [d for i, d in enumerate(docs) if i != j]
        if not hyp:
            scores.append(0.0)
            continue
        logs = 0.0
        matched_unigrams = 0
        for n in range(1, 5):
            own = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
            best: Counter[tuple[str, ...]] = Counter()
            for ref in refs:
                for gram, count in Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1)).items():
                    best[gram] = max(best[gram], count)
            hits = sum(min(c, best[g]) for g, c in own.items())
            matched_unigrams = hits if n == 1 else matched_unigrams
            total = max(1, sum(own.values()))
            logs += math.log((hits if hits else 0.1) / total) / 4
        if matched_unigrams == 0:
            scores.append(0.0)
            continue
        r = min((len(ref) for ref in refs), key=lambda length: (abs(length - len(hyp)), length))
        penalty = 1.0 if len(hyp) > r else math.exp(1 - r / len(hyp))
        scores.append(penalty * math.exp(logs))
    return sum(scores) / len(scores)


class TestSelfBleu:
    def test_three_sentences_by_hand(self) -> None:
        """the cat sat / the cat ran / a dog ran, all lengths 3 so no brevity penalty."""
        # the cat sat: p = 2/3, 1/2, 0.1/1, 0.1/1 -> (1/300)^(1/4) = 0.24028
        # the cat ran: p = 3/3, 1/2, 0.1, 0.1     -> (1/200)^(1/4) = 0.26591
        # a dog ran:   p = 1/3, 0.1/2, 0.1, 0.1   -> (1/6000)^(1/4) = 0.11362
        docs = [["the", "cat", "sat"], ["the", "cat", "ran"], ["a", "dog", "ran"]]
        expected = ((1 / 300) ** 0.25 + (1 / 200) ** 0.25 + (1 / 6000) ** 0.25) / 3
        assert self_bleu(docs) == pytest.approx(expected)
        assert expected == pytest.approx(0.20661, abs=1e-5)

    def test_brevity_penalty_by_hand(self) -> None:
        """a b c d against a..h: BP e^(1-8/4), precisions 1; a..h: p = 4/8, 3/7, 2/6, 1/5, BP 1."""
        short, long = list("abcd"), list("abcdefgh")
        expected = (math.exp(-1) + (0.5 * 3 / 7 * 1 / 3 * 0.2) ** 0.25) / 2
        assert self_bleu([short, long]) == pytest.approx(expected)

    def test_identical_documents(self) -> None:
        """Identical documents of four words or more score 1."""
        assert self_bleu([["w", "x", "y", "z"]] * 3) == pytest.approx(1.0)

    def test_disjoint_documents(self) -> None:
        """No shared word gives 0."""
        assert self_bleu([["a", "b"], ["c", "d"], ["e"]]) == 0.0

    def test_too_few(self) -> None:
        """Fewer than two documents have no self-BLEU."""
        assert self_bleu([["a"]]) is None
        assert self_bleu([]) is None

    def test_closest_length_prefers_shorter(self) -> None:
        """Ties in the reference length go to the shorter one; a document never counts itself."""
        assert _closest_other_lengths(np.array([4, 2, 6])).tolist() == [2, 4, 4]
        assert _closest_other_lengths(np.array([3, 3, 9])).tolist() == [3, 3, 3]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.lists(st.sampled_from("abcde"), max_size=9), min_size=2, max_size=7))
    def test_matches_reference(self, docs: list[list[str]]) -> None:
        """The vectorized version equals the plain one on any small corpus."""
        assert self_bleu(docs) == pytest.approx(reference_self_bleu(docs))


TEXTS = [f"Sentence number {i} talks about topic {i % 7} today." for i in range(40)]


class TestSampling:
    def test_sample_is_seeded(self) -> None:
        """The same seed gives the same score; sampling more than exists uses everything."""
        assert sampled_self_bleu(TEXTS, 10, seed=3) == sampled_self_bleu(TEXTS, 10, seed=3)
        assert sampled_self_bleu(TEXTS, 1000) == pytest.approx(
            self_bleu([t.lower().rstrip(".").split() for t in TEXTS])
        )

    def test_windows_have_equal_length(self) -> None:
        """Windows are cut from the word stream: a stream of 4 repeated words gives identical windows."""
        assert windowed_self_bleu(["a b c d"] * 10, sample=5, window=4) == pytest.approx(1.0)

    def test_too_short_for_two_windows(self) -> None:
        """A set shorter than two windows has no windowed score."""
        assert windowed_self_bleu(["a b c"], sample=5, window=4) is None

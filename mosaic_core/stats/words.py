"""Words for the lexical statistics, and seeded samples of them at a fixed budget.

A word is a run of ``\\w`` characters of the lower-cased text. Samples are
taken from records in a seeded random order, so the sample at a smaller budget
is always a prefix of the sample at a larger one: two sets can be cut down to
the same number of words without drawing again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["WordSample", "record_order", "sample_words", "words"]

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``.

    >>> words("Hello, World! It's 2024.")
    ['hello', 'world', 'it', 's', '2024']
    """
    return _WORD.findall(text.lower())


def record_order(size: int, seed: int) -> list[int]:
    """A seeded permutation of ``range(size)``, the order in which records are sampled.

    >>> sorted(record_order(4, 0))
    [0, 1, 2, 3]
    """
    order: list[int] = np.random.default_rng([seed, size]).permutation(size).tolist()
    return order


@dataclass(frozen=True, slots=True)
class WordSample:
    """Records taken in seeded order until a word budget is met; the last one may be cut."""

    docs: list[list[str]]
    texts: list[str]
    """The raw text of each sampled record, cut after its last kept word."""

    @property
    def size(self) -> int:
        return sum(len(doc) for doc in self.docs)

    def cut(self, budget: int) -> WordSample:
        """The same sample holding only its first ``budget`` words."""
        docs: list[list[str]] = []
        texts: list[str] = []
        left = budget
        for doc, text in zip(self.docs, self.texts, strict=True):
            if left <= 0:
                break
            whole = len(doc) <= left
            docs.append(doc if whole else doc[:left])
            texts.append(text if whole else _cut_text(text, left))
            left -= len(docs[-1])
        return WordSample(docs, texts)


def _cut_text(text: str, count: int) -> str:
    """``text`` up to the end of its ``count``-th word."""
    end = 0
    for number, found in enumerate(_WORD.finditer(text), start=1):
        end = found.end()
        if number == count:
            break
    return text[:end]


def sample_words(texts: Sequence[str], budget: int, seed: int = 0) -> WordSample:
    """Take records in seeded order until ``budget`` words (fewer if the set is smaller).

    >>> sample_words(["a b c", "d e"], 4).size
    4
    """
    docs: list[list[str]] = []
    kept: list[str] = []
    total = 0
    for index in record_order(len(texts), seed):
        if total >= budget:
            break
        doc = words(texts[index])
        if not doc:
            continue
        docs.append(doc)
        kept.append(texts[index])
        total += len(doc)
    return WordSample(docs, kept).cut(budget)

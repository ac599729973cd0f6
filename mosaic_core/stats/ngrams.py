"""N-grams of many word lists as dense integer ids, built with numpy.

Every word gets an id; the id of an n-gram is the rank of the pair
(id of its first n-1 words, id of its last word), so ids stay exact (no
hashing) and small. N-grams never cross from one document into the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["NgramIndex"]

IntArray = npt.NDArray[np.int64]


@dataclass(eq=False)
class NgramIndex:
    """The n-gram occurrences of a list of documents, for n = 1, 2, ...

    >>> index = NgramIndex.build([["a", "b", "a", "b"], ["a", "b"]])
    >>> grams, docs = index.grams(2)
    >>> len(grams), len(set(grams.tolist())), docs.tolist()
    (4, 2, [0, 0, 0, 1])
    """

    words: IntArray
    docs: IntArray
    lengths: IntArray
    _starts: dict[int, IntArray] = field(default_factory=dict, repr=False)
    """Per n: the n-gram id starting at each position (-1 where none fits)."""

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]]) -> NgramIndex:
        vocabulary: dict[str, int] = {}
        flat = [vocabulary.setdefault(word, len(vocabulary)) for doc in documents for word in doc]
        lengths = np.fromiter((len(doc) for doc in documents), dtype=np.int64, count=len(documents))
        words = np.asarray(flat, dtype=np.int64)
        docs = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        return cls(words, docs, lengths)

    @property
    def size(self) -> int:
        return len(self.lengths)

    def _start_ids(self, n: int) -> IntArray:
        found = self._starts.get(n)
        if found is not None:
            return found
        if n == 1:
            found = self.words.copy()
        else:
            shorter = self._start_ids(n - 1)[: len(self.words) - n + 1]
            last = self.words[n - 1 :]
            fits = (shorter >= 0) & (self.docs[: len(last)] == self.docs[n - 1 :])
            keys = shorter[fits] * (int(self.words.max(initial=0)) + 1) + last[fits]
            ranks = np.unique(keys, return_inverse=True)[1].astype(np.int64).ravel()
            found = np.full(len(last), -1, dtype=np.int64)
            found[fits] = ranks
        self._starts[n] = found
        return found

    def distinct(self, n: int) -> int:
        """The number of different n-grams (ids are dense ranks, so the largest id tells)."""
        grams, _ = self.grams(n)
        return int(grams.max()) + 1 if len(grams) else 0

    def grams(self, n: int) -> tuple[IntArray, IntArray]:
        """The id of every n-gram occurrence, and the document it is in (in text order)."""
        if len(self.words) < n:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        starts = self._start_ids(n)
        fits = starts >= 0
        return starts[fits], self.docs[: len(starts)][fits]

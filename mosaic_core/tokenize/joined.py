"""Token counts of many source texts at once: joined encodes, chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mosaic_core.tokenize.counter import UNKNOWN, TokenCounter
from mosaic_core.tokenize.pieces import Corrections, SourceCounts
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter

__all__ = ["concat_counts", "count_texts"]


def concat_counts(
    parts: Iterable[tuple[list[int], Corrections | None]],
) -> tuple[list[int], Corrections | None]:
    """The ``count_texts`` results of consecutive chunks, as one (corrections None if any chunk has none)."""
    counts: list[int] = []
    corrections: Corrections | None = ([], [], [])
    for part, fixes in parts:
        counts += part
        if fixes is None or corrections is None:
            corrections = None
            continue
        for whole, piece in zip(corrections, fixes, strict=True):
            whole.extend(piece)
    return counts, corrections


def count_texts(counter: TokenCounter, texts: Sequence[str]) -> tuple[list[int], Corrections | None]:
    """Token counts of ``texts`` and their corrections (see ``SourceCounts``), worked out together.

    Where the pieces add up, the counts come from joined encodes: ``count(text + "\\n")`` less the
    newline's correction; the rest are encoded one by one.

    >>> from mosaic_core.tokenize.registry import get_tokenizer
    >>> count_texts(get_tokenizer("cl100k_base"), ["Hello world", "Say hi."])[0]
    [2, 3]
    """
    if not isinstance(counter, TiktokenCounter) or not counter.additive or not all(texts):
        return counter.count_many(texts), None  # the engine encodes whole mosaics; or nothing to correct
    corrections = SourceCounts(counter, texts, []).corrections
    counts: list[int] = []
    for start in range(0, len(texts), 4096):
        counts += counter.count_joined(texts[start : start + 4096])
    newline = corrections[1]
    for index, joined in enumerate(counts):
        delta = newline[index]
        if joined == UNKNOWN or delta is None:
            counts[index] = counter.count(texts[index])
        else:
            counts[index] = joined - delta
    return counts, corrections

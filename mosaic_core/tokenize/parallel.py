"""Count the source texts in forked processes (the CLI's ``--workers``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mosaic_core.text.decoration import text_clashes
from mosaic_core.text.language import load_model, raw_labels
from mosaic_core.tokenize.counter import TokenCounter
from mosaic_core.tokenize.joined import concat_counts, count_texts
from mosaic_core.tokenize.pieces import Corrections
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter
from mosaic_core.workers import worker_pool

__all__ = ["Counted", "count_in_parallel"]

# Set by the parent just before forking; read by the children.
_JOB: dict[str, Any] = {}


@dataclass
class Counted:
    """What the workers made of the texts, in their order."""

    counts: list[int]
    corrections: Corrections | None
    labels: list[tuple[str, float]]
    """With ``detect``: each record's language label (``text/language.py``)."""
    clashes: list[int] | None
    """With ``marks``: each text's ``text_clashes``."""


def _count_chunk(bounds: tuple[int, int]) -> Counted:
    start, end = bounds
    texts = _JOB["texts"]
    counts, corrections = count_texts(_JOB["counter"], texts[start:end])
    heard = _JOB["detect"]  # one text per record, and the records come first in ``texts``
    labels = raw_labels(heard[start : min(end, len(heard))]) if start < len(heard) else []
    clashes = [text_clashes(text) for text in texts[start:end]] if _JOB["marks"] else None
    return Counted(counts, corrections, labels, clashes)


def count_in_parallel(
    counter: TokenCounter, texts: Sequence[str], workers: int, detect: Sequence[str] = (), marks: bool = False
) -> Counted:
    """Token counts of ``texts``, and their joint corrections, from ``workers`` forked processes.

    With ``detect`` (one text per record, the records being the first texts), the workers also label the
    language of each (``text/language.py``); with ``marks``, they find each text's clashing numbering
    (``text_clashes``): that work is shared out too. Forking is only safe in a single-threaded process: the
    app never comes here.
    """
    step = -(-len(texts) // (workers * 4))
    chunks = [(start, min(start + step, len(texts))) for start in range(0, len(texts), step)]
    if isinstance(counter, TiktokenCounter):
        counter.token_lengths()  # once here rather than in every worker
    if detect:
        load_model()  # loaded once here rather than in every worker
    _JOB.update(counter=counter, texts=texts, detect=detect, marks=marks)
    try:
        with worker_pool(workers) as pool:
            parts = pool.map(_count_chunk, chunks)
    finally:
        _JOB.clear()
    counts, corrections = concat_counts((part.counts, part.corrections) for part in parts)
    labels = [label for part in parts for label in part.labels]
    clashes = [mark for part in parts for mark in part.clashes or ()] if marks else None
    return Counted(counts, corrections, labels, clashes)

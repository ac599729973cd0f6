"""Count the source texts in forked processes (the CLI's ``--workers``)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from typing import Any

from mosaic_core.tokenize.counter import TokenCounter
from mosaic_core.tokenize.joined import concat_counts, count_texts
from mosaic_core.tokenize.pieces import Corrections
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter

__all__ = ["count_in_parallel"]

# Set by the parent just before forking; read by the children.
_JOB: dict[str, Any] = {}


def _count_chunk(bounds: tuple[int, int]) -> tuple[list[int], Corrections | None]:
    return count_texts(_JOB["counter"], _JOB["texts"][bounds[0] : bounds[1]])


def count_in_parallel(
    counter: TokenCounter, texts: Sequence[str], workers: int
) -> tuple[list[int], Corrections | None]:
    """Token counts of ``texts``, and their joint corrections, from ``workers`` forked processes.

    Forking is only safe in a single-threaded process: the app never comes here.
    """
    step = -(-len(texts) // (workers * 4))
    chunks = [(start, min(start + step, len(texts))) for start in range(0, len(texts), step)]
    if isinstance(counter, TiktokenCounter):
        counter.token_lengths()  # once here rather than in every worker
    _JOB.update(counter=counter, texts=texts)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return concat_counts(pool.map(_count_chunk, chunks))
    finally:
        _JOB.clear()

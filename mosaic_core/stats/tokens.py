"""Token statistics of sources and mosaics, read off counts that already exist.

Sources are counted once per tokenizer by ``SourceTable``; a mosaic's counts
are on its plan. Nothing here tokenizes. Per mosaic, the components are the
tokens of its instructions and of its kept (unmasked) responses as counted
alone, and the overhead: numbering, wrappers, meta-instructions, separators
(the difference to the mosaic's count, so any merge at a joint lands there too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mosaic_core.records import Plan
from mosaic_core.table import SourceTable

__all__ = [
    "histogram",
    "mosaic_token_frame",
    "near_budget_share",
    "source_token_frame",
    "summarize",
    "token_stats",
    "unusable_count",
]

PERCENTILES = (50, 90, 99)
NEAR_BUDGET = 0.1


def summarize(values: npt.ArrayLike) -> dict[str, Any]:
    """Count, mean, 50th/90th/99th percentiles (linear interpolation) and max.

    >>> summarize([1, 2, 3, 4])
    {'count': 4, 'mean': 2.5, 'p50': 2.5, 'p90': 3.7, 'p99': 3.97, 'max': 4}
    """
    array = np.asarray(values, dtype=np.int64)
    if not len(array):
        return {"count": 0, "mean": None, "p50": None, "p90": None, "p99": None, "max": None}
    found: dict[str, Any] = {"count": len(array), "mean": float(array.mean())}
    for q, value in zip(PERCENTILES, np.percentile(array, PERCENTILES), strict=True):
        found[f"p{q}"] = round(float(value), 9)
    found["max"] = int(array.max())
    return found


def histogram(values: npt.ArrayLike, bins: int = 20) -> pd.DataFrame:
    """Bins of equal whole-token width from the smallest value: ``left <= x < right``.

    >>> histogram([1, 2, 3, 10], bins=3).to_dict("list")
    {'left': [1, 5, 9], 'right': [5, 9, 13], 'count': [3, 0, 1]}
    """
    array = np.asarray(values, dtype=np.int64)
    if not len(array):
        return pd.DataFrame({"left": [], "right": [], "count": []}, dtype=np.int64)
    low, high = int(array.min()), int(array.max())
    width = max(1, math.ceil((high - low + 1) / bins))
    number = (high - low) // width + 1
    counts = np.bincount((array - low) // width, minlength=number)
    left = low + width * np.arange(number, dtype=np.int64)
    return pd.DataFrame({"left": left, "right": left + width, "count": counts.astype(np.int64)})


def near_budget_share(totals: npt.ArrayLike, budget: int, within: float = NEAR_BUDGET) -> float | None:
    """Share of samples using at least ``1 - within`` of the budget (None when there are none).

    >>> near_budget_share([100, 95, 89, 50], 100)
    0.5
    """
    array = np.asarray(totals, dtype=np.int64)
    if not len(array):
        return None
    return float(np.mean(array >= budget * (1.0 - within)))


def unusable_count(prompt: npt.ArrayLike, answer: npt.ArrayLike, budget: int) -> int:
    """Sources too long for any mosaic on their own (the engine's rule).

    >>> unusable_count([5, 90], [5, 20], 100)
    1
    """
    return int(np.sum(np.asarray(prompt, dtype=np.int64) + np.asarray(answer, dtype=np.int64) > budget))


def source_token_frame(table: SourceTable) -> pd.DataFrame:
    """One row per source: id, prompt, answer and total tokens.

    >>> from mosaic_core.records import SourceRecord
    >>> table = SourceTable.build([SourceRecord("1", "Say hi.", "", "Hi!")], "cl100k_base")
    >>> source_token_frame(table).to_dict("records")
    [{'id': '1', 'prompt': 3, 'answer': 2, 'total': 5}]
    """
    n = table.size
    counts = np.asarray(table.counts, dtype=np.int64)
    prompt, answer = counts[:n], counts[n:]
    return pd.DataFrame(
        {"id": [r.id for r in table.records], "prompt": prompt, "answer": answer, "total": prompt + answer}
    )


def mosaic_token_frame(plans: Sequence[Plan], table: SourceTable | None = None) -> pd.DataFrame:
    """One row per mosaic: k, prompt, answer, total; with the source table also the components.

    Components: ``instructions``, ``responses`` (kept ones only), ``prompt_overhead``
    and ``answer_overhead``.

    >>> mosaic_token_frame([]).columns.tolist()
    ['k', 'prompt', 'answer', 'total']
    """
    prompt = np.fromiter((p.prompt_tokens for p in plans), dtype=np.int64, count=len(plans))
    answer = np.fromiter((p.answer_tokens for p in plans), dtype=np.int64, count=len(plans))
    frame = pd.DataFrame(
        {
            "k": np.fromiter((p.k for p in plans), dtype=np.int64, count=len(plans)),
            "prompt": prompt,
            "answer": answer,
            "total": prompt + answer,
        }
    )
    if table is not None:
        where = {record.id: i for i, record in enumerate(table.records)}
        counts, n = table.counts, table.size
        instructions = np.zeros(len(plans), dtype=np.int64)
        responses = np.zeros(len(plans), dtype=np.int64)
        for row, plan in enumerate(plans):
            items = [where[s] for s in plan.source_ids]
            masked = set(plan.masked)
            instructions[row] = sum(counts[i] for i in items)
            responses[row] = sum(counts[n + i] for p, i in enumerate(items) if p not in masked)
        frame["instructions"] = instructions
        frame["responses"] = responses
        frame["prompt_overhead"] = prompt - instructions
        frame["answer_overhead"] = answer - responses
    return frame


def token_stats(frame: pd.DataFrame, budget: int | None = None, bins: int = 20) -> dict[str, Any]:
    """Summaries of every count column of a token frame, and the histogram of totals.

    >>> token_stats(pd.DataFrame({"prompt": [1], "answer": [2], "total": [3]}))["total"]["max"]
    3
    """
    found: dict[str, Any] = {
        column: summarize(frame[column].to_numpy()) for column in frame.columns if column not in ("id", "k")
    }
    hist = histogram(frame["total"].to_numpy(), bins)
    found["histogram"] = {key: [int(v) for v in values] for key, values in hist.to_dict("list").items()}
    found["near_budget_share"] = None if budget is None else near_budget_share(frame["total"].to_numpy(), budget)
    return found

"""Read what ``stats`` is pointed at: a source dataset, or an export with provenance.

An export is recognized by the ``mosaic`` key of its rows. Its token counts are
read off the plans (the tokenizer and budget come from the manifest beside it),
unless another tokenizer is asked for, in which case prompts and answers are
encoded with it. Original samples mixed into an export are counted and left out.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.errors import DatasetError, MosaicError
from mosaic_core.io.exported import iter_export_rows, plan_of, prompt_and_answer, read_manifest
from mosaic_core.io.load import load_dataset
from mosaic_core.io.source import RowError, Source
from mosaic_core.records import Mosaic, Plan
from mosaic_core.stats.sets import SampleSet
from mosaic_core.table import SourceTable
from mosaic_core.tokenize.registry import get_tokenizer

__all__ = ["StatsInput", "read_stats_input"]

_DEFAULTS = MosaicConfig()


@dataclass(frozen=True, eq=False)
class StatsInput:
    """One loaded input: its set and how its tokens were counted."""

    file: str
    kind: str
    """``sources`` or ``export``."""
    samples: SampleSet
    tokenizer: str | None
    max_tokens: int | None
    counted_by: str
    """``sources`` (tokenized once), ``plans`` (read off the plans) or ``encoded``."""
    skipped_rows: int = 0
    """Rows left out: an export's rows without a mosaic plan, a source's records that could not be read."""
    load_summary: str = ""
    """For a source dataset, its load report's line without the file ("3 of 13 records loaded; skipped: …")."""


def _read_export(path: Path, rows: Any, tokenizer: str | None, max_tokens: int | None) -> StatsInput:
    manifest = read_manifest(path, required=False)
    recipe = manifest.get("recipe") or {}
    counts = manifest.get("counts") or {}
    mosaics: list[Mosaic] = []
    skipped = 0
    for number, row in rows:
        plan = None if isinstance(row, RowError) else plan_of(row)
        if plan is None or plan.get("strategy") in ("original", "conversation"):
            skipped += 1
            continue
        try:
            prompt, answer = prompt_and_answer(row)
        except DatasetError as exc:
            raise DatasetError(f"{path}: row {number}: {exc}") from None
        mosaics.append(Mosaic(prompt, answer, Plan.from_dict(plan)))
    if not mosaics:
        raise DatasetError(f"{path}: an export without any mosaic row")
    made_with = recipe.get("tokenizer")
    try:
        config: MosaicConfig | None = MosaicConfig.from_recipe(recipe)
    except MosaicError:  # an export from another version: its shares are left out, not guessed
        config = None
    samples = SampleSet.from_mosaics(
        mosaics, unusable=counts.get("unusable"), sources=counts.get("sources"), config=config
    )
    counted_by = "plans"
    if tokenizer is not None and tokenizer != made_with:
        counter = get_tokenizer(tokenizer)
        frame = samples.tokens.copy()
        frame["prompt"] = counter.count_many(samples.prompts)
        frame["answer"] = counter.count_many(samples.answers)
        frame["total"] = frame["prompt"] + frame["answer"]
        samples = SampleSet(
            "mosaic",
            samples.prompts,
            samples.answers,
            frame,
            samples.plans,
            None,
            samples.sources,
            config,
            samples.languages,
        )
        counted_by = "encoded"
    budget = max_tokens if max_tokens is not None else recipe.get("max_tokens")
    return StatsInput(path.name, "export", samples, tokenizer or made_with, budget, counted_by, skipped)


def read_stats_input(
    path: Path, tokenizer: str | None = None, max_tokens: int | None = None, split: str | None = None
) -> StatsInput:
    """Load a source dataset or an export for the statistics; ``split``: the part of a source that holds several
    (an export holds one).

    >>> import mosaic_core
    >>> read_stats_input(Path(mosaic_core.__file__).parent / "data" / "demo.jsonl").kind
    'sources'
    """
    if split is None:
        rows = iter_export_rows(path)
        head = list(itertools.islice(rows, 50))
        if any(plan_of(row) is not None for _, row in head):
            return _read_export(path, itertools.chain(head, rows), tokenizer, max_tokens)
    name = tokenizer or _DEFAULTS.tokenizer
    budget = max_tokens if max_tokens is not None else _DEFAULTS.max_tokens
    loaded = load_dataset(Source.from_path(path, split))
    table = SourceTable.build(loaded.records, name)
    skipped = loaded.report.rows - loaded.report.loaded
    samples = SampleSet.from_table(table, budget)
    said = loaded.report.summary().removeprefix(f"{loaded.report.source}: ")  # no path: the same on any machine
    return StatsInput(path.name, "sources", samples, name, budget, "sources", skipped, said)

"""Cached loaders: every input is an argument, so a key names exactly what a result depends on.

A dataset is keyed by its fingerprint and passed along as ``_loaded`` (not hashed);
a recipe is keyed by its JSON. Nothing here reads session state.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from mosaic_core import (
    LoadResult,
    MosaicConfig,
    MosaicRun,
    SampleSet,
    SourceTable,
    StatsOptions,
    TrainingSetup,
    annotate,
    core_stats,
    load_dataset,
    self_bleu_stats,
    verify_mosaic,
)
from pages.studio.folders import DEMO
from pages.studio.progress import progress_step

__all__ = ["demo_dataset", "mosaic_statistics", "preview_window", "source_table"]


@st.cache_resource(show_spinner=False)
def demo_dataset() -> LoadResult:
    return load_dataset(DEMO)


@st.cache_resource(show_spinner=False, max_entries=6)
def source_table(fingerprint: str, tokenizer: str, _loaded: LoadResult) -> SourceTable:
    """Token counts of every source, once per dataset and tokenizer."""
    bar = st.progress(0.0, text=f"Counting tokens with {tokenizer}")

    def step(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Counting tokens with {tokenizer}: {done:,} of {total:,} texts")

    try:
        return SourceTable.build(_loaded.records, tokenizer, progress=step)
    finally:
        bar.empty()


def _run(fingerprint: str, recipe_json: str, loaded: LoadResult) -> MosaicRun:
    recipe = MosaicConfig.from_json(recipe_json)
    return MosaicRun(source_table(fingerprint, recipe.tokenizer, loaded), recipe)


@st.cache_data(show_spinner=False, max_entries=64)
def preview_window(
    fingerprint: str, recipe_json: str, start: int, count: int, _loaded: LoadResult
) -> list[dict[str, Any]]:
    """Mosaics start..start+count-1 with their pieces and verdicts, as plain data."""
    run = _run(fingerprint, recipe_json, _loaded)
    shown = []
    for position, mosaic in enumerate(run.preview(start, count), start=start):
        verdict = verify_mosaic(mosaic, run.library, run.counter, run.config.max_tokens)
        annotated = annotate(mosaic, run.library)
        shown.append(
            {
                "position": position,
                "prompt": mosaic.prompt,
                "answer": mosaic.answer,
                "plan": mosaic.plan.to_dict(),
                "ok": verdict.ok,
                "problems": verdict.problems,
                "prompt_pieces": [(p.text, p.kind, p.item) for p in annotated.prompt],
                "answer_pieces": [(p.text, p.kind, p.item) for p in annotated.answer],
            }
        )
    return shown


@st.cache_data(show_spinner=False, max_entries=4)
def mosaic_statistics(fingerprint: str, recipe_json: str, setup: TrainingSetup, _loaded: LoadResult) -> dict[str, Any]:
    """Statistics of the original set against every mosaic of the recipe.

    Returns ``core`` and ``bleu`` (``mosaic_core.stats``), ``totals`` (prompt + answer
    tokens per sample, by set) and ``mean_k`` (from the run's report).
    """
    run = _run(fingerprint, recipe_json, _loaded)
    bar = st.progress(0.0, text="Generating every mosaic of the recipe")
    try:
        mosaics = list(run.mosaics(progress_step(bar, "Generating mosaics", every=256)))
        bar.progress(1.0, text="Computing statistics")
        budget = run.config.max_tokens
        sets = [
            SampleSet.from_table(run.table, budget),
            SampleSet.from_mosaics(mosaics, run.table, len(run.report.unusable), config=run.config),
        ]
        options = StatsOptions(training=setup, seed=run.config.seed)
        return {
            "core": core_stats(sets, budget, options),
            "bleu": self_bleu_stats(sets, options),
            "totals": {s.name: s.tokens["total"].tolist() for s in sets},
            "mean_k": run.report.mean_k,
            "unusable_sources": len(run.too_long),
            "unusable_per_epoch": len(run.report.unusable) - len(run.too_long),
        }
    finally:
        bar.empty()

"""Cached loaders: every input is an argument, so a key names exactly what a result depends on.

A dataset is keyed by its fingerprint and passed along as ``_loaded`` (not hashed);
a recipe is keyed by its JSON. Nothing here reads session state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import streamlit as st

from mosaic_core import (
    LoadResult,
    Mosaic,
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

__all__ = ["demo_dataset", "mosaic_statistics", "original_statistics", "preview_window", "source_table"]


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


@st.cache_data(show_spinner=False, max_entries=8)
def original_statistics(
    fingerprint: str, tokenizer: str, max_tokens: int, setup: TrainingSetup, seed: int, _loaded: LoadResult
) -> dict[str, Any]:
    """The original set's entries of ``core_stats`` and ``self_bleu_stats``: they do not depend on the recipe's
    other settings, so a changed recipe reuses them."""
    original = SampleSet.from_table(source_table(fingerprint, tokenizer, _loaded), max_tokens)
    options = StatsOptions(training=setup, seed=seed)
    return {"core": core_stats([original], max_tokens, options)["sets"], "bleu": self_bleu_stats([original], options)}


@st.cache_resource(show_spinner=False)
def _finished_statistics() -> tuple[threading.Lock, OrderedDict[tuple[str, str, TrainingSetup], dict[str, Any]]]:
    """Statistics of whole runs, most recent last (at most ``_KEEP``), with the lock every session takes to
    read or change them (sessions run in threads of one process, like a cache's users)."""
    return threading.Lock(), OrderedDict()


_KEEP = 6


def mosaic_statistics(
    fingerprint: str,
    recipe_json: str,
    setup: TrainingSetup,
    loaded: LoadResult,
    bar_slot: Any = None,
    first_epoch: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Statistics of the original set against every mosaic of the recipe.

    Returns ``core`` and ``bleu`` (``mosaic_core.stats``), ``totals`` (prompt + answer tokens per sample, by
    set), ``mean_k`` (from the run's report), the unusable counts, and ``epochs_done`` of ``epochs``. While a
    run of several epochs is generated, ``first_epoch`` gets the statistics of its first epoch (to show at
    once), and ``bar_slot`` (an ``st.empty``) holds the progress bar.
    """
    key = (fingerprint, recipe_json, setup)
    lock, finished = _finished_statistics()
    with lock:
        if key in finished:
            finished.move_to_end(key)
            return finished[key]
    run = _run(fingerprint, recipe_json, loaded)
    config = run.config
    known = original_statistics(fingerprint, config.tokenizer, config.max_tokens, setup, config.seed, loaded)
    bar = (bar_slot or st).progress(0.0, text="Generating every mosaic of the recipe")
    try:
        mosaics: list[Mosaic] = []

        def epoch_done(epoch: int) -> None:
            if epoch == 0 and first_epoch is not None and config.epochs > 1:
                bar.progress(1 / config.epochs, text=f"Epoch 1 of {config.epochs} shown; generating the others")
                first_epoch(_statistics(run, mosaics, known, setup, epochs_done=1, diversity=False))

        for mosaic in run.mosaics(progress_step(bar, "Generating mosaics", every=256), epoch_done):
            mosaics.append(mosaic)  # one at a time: epoch_done reads the list as it stands
        bar.progress(1.0, text="Computing statistics")
        result = _statistics(run, mosaics, known, setup, epochs_done=config.epochs)
    finally:
        bar.empty()
    with lock:
        finished[key] = result
        while len(finished) > _KEEP:
            finished.popitem(last=False)
    return result


def _statistics(
    run: MosaicRun,
    mosaics: list[Mosaic],
    known: dict[str, Any],
    setup: TrainingSetup,
    epochs_done: int,
    diversity: bool = True,
) -> dict[str, Any]:
    """The page's statistics of ``mosaics``; ``diversity=False`` (the first epoch's draw) leaves out the
    mosaics' lexical figures and self-BLEU, about a second on 52k records, which the whole run's draw has."""
    budget = run.config.max_tokens
    sets = [
        SampleSet.from_table(run.table, budget),
        SampleSet.from_mosaics(mosaics, run.table, len(run.report.unusable), config=run.config),
    ]
    options = StatsOptions(training=setup, seed=run.config.seed)
    return {
        "core": core_stats(sets, budget, options, reuse=known["core"], lexical=diversity),
        "bleu": {**known["bleu"], **(self_bleu_stats(sets[1:], options) if diversity else {})},
        "totals": {s.name: s.tokens["total"].tolist() for s in sets},
        "mean_k": run.report.mean_k,
        "unusable_sources": len(run.left_out),
        "unusable_per_epoch": len(run.report.unusable) - len(run.left_out),
        "epochs_done": epochs_done,
        "epochs": run.config.epochs,
    }

"""All statistics of one or two sets, as a JSON-ready document; ``python -m mosaic_core stats``.

The JSON document (``stats --json``; keys sorted, floats to 6 significant digits)::

    schema_version        1; raised whenever a field changes meaning or goes away
    input                 file (name only), kind ("sources" | "export"), tokenizer, max_tokens,
                          counted_by ("sources" | "plans" | "encoded"), skipped_rows (an export's rows
                          without a plan, a source's records not read), load_summary (a source's
                          load report: "3 of 13 records loaded; skipped: broken_json 2, …"; "" for exports)
    settings              seed, word_budget, self_bleu_sample, self_bleu_window, histogram_bins,
                          training {seq_len, batch_size, original_epochs, mosaic_epochs, model, packing}
    sets.<name>           one entry per set, "original" and/or "mosaic":
      records             number of samples
      languages           samples per language, most first: a source's detected language
                          ("undetermined" when unsure; ``text/language.py``), a mosaic's
                          meta-instruction language
      tokens              prompt, answer, total (and for mosaics with sources: instructions, responses,
                          prompt_overhead, answer_overhead): {count, mean, p50, p90, p99, max};
                          histogram {left, right, count} of totals; near_budget_share (mosaics; else
                          null); unusable (sources over the budget, null when unknown)
      lexical             prompt / answer: {words, records, distinct_1, distinct_2, distinct_3,
                          ngram_diversity, compression_ratio}, at a word budget equal across sets
      self_bleu           prompt / answer: {records, windows}: on sampled records, and on windows
                          of self_bleu_window words (null when fewer than two)
      structure           mosaics only (else null): mosaics; k, strategy, language, rule, format_template,
                          outer_template as {counts, distinct, entropy}; meta_instructions {distinct,
                          distinct_format, distinct_outer}; source_usage {uses, mean, min, max,
                          unused}; pair_novelty
      cost                epochs, samples, truncated, sequences, real_tokens, padded_tokens,
                          padding_share, steps, flops_dense, flops_attention, flops
    cost_ratio            mosaic over original for sequences, real_tokens, padded_tokens, steps and
                          flops (null unless both sets are present)

``cost`` uses ``original_epochs`` for the original set and ``mosaic_epochs`` for
mosaics; ``glossary.py`` explains each number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mosaic_core.stats.cost import TrainingSetup, compare_cost, training_cost
from mosaic_core.stats.inputs import StatsInput, read_stats_input
from mosaic_core.stats.lexical import DEFAULT_WORD_BUDGET, matched_lexical
from mosaic_core.stats.render import render_text
from mosaic_core.stats.selfbleu import DEFAULT_SAMPLE, DEFAULT_WINDOW, sampled_self_bleu, windowed_self_bleu
from mosaic_core.stats.sets import SampleSet
from mosaic_core.stats.structure import structure_stats
from mosaic_core.stats.tokens import token_stats
from mosaic_core.text.language import language_mix

__all__ = ["SCHEMA_VERSION", "StatsOptions", "build_report", "core_stats", "self_bleu_stats", "stats_command"]

SCHEMA_VERSION = 1
SIDES = ("prompt", "answer")


@dataclass(frozen=True, slots=True)
class StatsOptions:
    """Sample sizes, seed and training setup of a report."""

    word_budget: int = DEFAULT_WORD_BUDGET
    bleu_sample: int = DEFAULT_SAMPLE
    bleu_window: int = DEFAULT_WINDOW
    bins: int = 20
    seed: int = 0
    training: TrainingSetup = field(default_factory=TrainingSetup)

    def to_dict(self) -> dict[str, Any]:
        setup = self.training
        return {
            "seed": self.seed,
            "word_budget": self.word_budget,
            "self_bleu_sample": self.bleu_sample,
            "self_bleu_window": self.bleu_window,
            "histogram_bins": self.bins,
            "training": {
                "seq_len": setup.seq_len,
                "batch_size": setup.batch_size,
                "original_epochs": setup.original_epochs,
                "mosaic_epochs": setup.mosaic_epochs,
                "model": setup.preset.name,
                "packing": setup.packing,
            },
        }


def _texts(samples: SampleSet, side: str) -> Sequence[str]:
    return samples.prompts if side == "prompt" else samples.answers


def core_stats(
    sets: Sequence[SampleSet],
    max_tokens: int | None,
    options: StatsOptions,
    reuse: Mapping[str, Mapping[str, Any]] | None = None,
    lexical: bool = True,
) -> dict[str, Any]:
    """Everything but self-BLEU: tokens, lexical (at matched budgets), structure, cost.

    Returns ``{"sets": {name: {...}}, "cost_ratio": ...}`` (see the module docstring). ``reuse`` holds
    entries of ``sets`` already worked out with the same options (``core_stats([that set], …)["sets"]``):
    they are taken as they are when every set reaches the same word count, so their lexical figures
    stand at the matched budget; otherwise everything is worked out again. ``lexical=False`` leaves the
    lexical figures out (None) for the sets worked out here: the app's first look at a run still being made.

    >>> from mosaic_core.records import SourceRecord
    >>> from mosaic_core.table import SourceTable
    >>> table = SourceTable.build([SourceRecord("1", "Say hi.", "", "Hi!")], "cl100k_base")
    >>> core_stats([SampleSet.from_table(table)], None, StatsOptions())["sets"]["original"]["records"]
    1
    """
    reuse = {name: entry for name, entry in (reuse or {}).items() if name in {s.name for s in sets}}
    fresh = [s for s in sets if s.name not in reuse]
    matched: dict[str, dict[str, Any]] = {side: {} for side in SIDES}
    if lexical:
        matched = {
            side: matched_lexical({s.name: _texts(s, side) for s in fresh}, options.word_budget, options.seed)
            for side in SIDES
        }
        sizes = {found["words"] for side in SIDES for found in matched[side].values()}
        sizes |= {entry["lexical"][side]["words"] for entry in reuse.values() for side in SIDES}
        if reuse and len(sizes) > 1:  # the sets were cut to different word counts: match them again
            return core_stats(sets, max_tokens, options)
    found: dict[str, dict[str, Any]] = {name: dict(entry) for name, entry in reuse.items()}
    setup = options.training
    for samples in fresh:
        tokens = token_stats(samples.tokens, max_tokens if samples.plans is not None else None, options.bins)
        tokens["unusable"] = samples.unusable
        epochs = setup.original_epochs if samples.plans is None else setup.mosaic_epochs
        found[samples.name] = {
            "records": samples.size,
            "languages": None
            if samples.languages is None
            else {code or "undetermined": count for code, count in language_mix(samples.languages)},
            "tokens": tokens,
            "lexical": {side: matched[side][samples.name] for side in SIDES} if lexical else None,
            "structure": None
            if samples.plans is None
            else structure_stats(samples.plans, samples.sources, samples.config),
            "cost": training_cost(samples.tokens["total"].to_numpy(), setup, epochs),
        }
    ratio = None
    if "original" in found and "mosaic" in found:
        by_name = {s.name: s for s in sets}
        ratio = compare_cost(
            by_name["original"].tokens["total"].to_numpy(), by_name["mosaic"].tokens["total"].to_numpy(), setup
        )["ratio"]
    return {"sets": {s.name: found[s.name] for s in sets}, "cost_ratio": ratio}


def self_bleu_stats(sets: Sequence[SampleSet], options: StatsOptions) -> dict[str, dict[str, Any]]:
    """Self-BLEU per set and side: on sampled records and on equal-length word windows.

    >>> self_bleu_stats([], StatsOptions())
    {}
    """
    return {
        s.name: {
            side: {
                "records": sampled_self_bleu(_texts(s, side), options.bleu_sample, options.seed),
                "windows": windowed_self_bleu(_texts(s, side), options.bleu_sample, options.bleu_window, options.seed),
            }
            for side in SIDES
        }
        for s in sets
    }


def _rounded(value: Any) -> Any:
    """JSON-ready values: plain Python types, floats to 6 significant digits."""
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "dtype") and value.dtype.kind == "b":
        return bool(value)
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        return int(value)
    return float(f"{float(value):.6g}")


def build_report(
    loaded: StatsInput, extra: Sequence[SampleSet] = (), options: StatsOptions | None = None
) -> dict[str, Any]:
    """The whole document for a loaded input (plus any further sets to compare with it).

    >>> import mosaic_core
    >>> loaded = read_stats_input(Path(mosaic_core.__file__).parent / "data" / "demo.jsonl")
    >>> sorted(build_report(loaded))
    ['cost_ratio', 'input', 'schema_version', 'sets', 'settings']
    """
    options = options or StatsOptions()
    sets = [loaded.samples, *extra]
    document = core_stats(sets, loaded.max_tokens, options)
    for name, found in self_bleu_stats(sets, options).items():
        document["sets"][name]["self_bleu"] = found
    document["schema_version"] = SCHEMA_VERSION
    document["input"] = {
        "file": loaded.file,
        "kind": loaded.kind,
        "tokenizer": loaded.tokenizer,
        "max_tokens": loaded.max_tokens,
        "counted_by": loaded.counted_by,
        "skipped_rows": loaded.skipped_rows,
        "load_summary": loaded.load_summary,
    }
    document["settings"] = options.to_dict()
    rounded: dict[str, Any] = _rounded(document)
    return rounded


def stats_command(
    path: Path, tokenizer: str | None, max_tokens: int | None, as_json: bool, split: str | None = None
) -> str:
    """The output of ``python -m mosaic_core stats``: stable JSON, or a readable report.

    >>> import mosaic_core
    >>> text = stats_command(Path(mosaic_core.__file__).parent / "data" / "demo.jsonl", None, None, True)
    >>> json.loads(text)["input"]["kind"]
    'sources'
    """
    document = build_report(read_stats_input(path, tokenizer, max_tokens, split))
    if as_json:
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    return render_text(document)

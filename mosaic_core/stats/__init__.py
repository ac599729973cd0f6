"""Statistics of sources and mosaics: tokens, diversity, structure, training cost.

Pure functions returning pandas objects or plain dicts; the app charts them and
``python -m mosaic_core stats`` prints them. One module per concept:

* ``tokens``: token summaries, histograms, the budget, per-component counts;
* ``words``, ``ngrams``: word samples at a fixed budget, n-gram ids;
* ``lexical``: distinct-n, the n-gram diversity score, the compression ratio;
* ``selfbleu``: self-BLEU on sampled records and on equal-length windows;
* ``structure``: k, strategies, rules, templates, source usage, novelty;
* ``cost``: sequences, tokens, padding, steps and FLOPs of training;
* ``glossary``: what each number means, with its reference;
* ``sets``, ``inputs``, ``report``, ``render``: the document and the command.
"""

from __future__ import annotations

from mosaic_core.stats.cost import MODEL_PRESETS, ModelPreset, TrainingSetup, compare_cost, training_cost
from mosaic_core.stats.glossary import EPOCHS_EXPLANATION, MATCHING_EXPLANATION, METRICS, explain
from mosaic_core.stats.lexical import compression_ratio, distinct_n, lexical_stats, matched_lexical, ngram_diversity
from mosaic_core.stats.report import StatsOptions, build_report, core_stats, self_bleu_stats, stats_command
from mosaic_core.stats.selfbleu import sampled_self_bleu, self_bleu, windowed_self_bleu
from mosaic_core.stats.sets import SampleSet
from mosaic_core.stats.structure import entropy, pair_novelty, source_usage, structure_stats
from mosaic_core.stats.tokens import histogram, mosaic_token_frame, source_token_frame, summarize, token_stats

__all__ = [
    "EPOCHS_EXPLANATION",
    "MATCHING_EXPLANATION",
    "METRICS",
    "MODEL_PRESETS",
    "ModelPreset",
    "SampleSet",
    "StatsOptions",
    "TrainingSetup",
    "build_report",
    "compare_cost",
    "compression_ratio",
    "core_stats",
    "distinct_n",
    "entropy",
    "explain",
    "histogram",
    "lexical_stats",
    "matched_lexical",
    "mosaic_token_frame",
    "ngram_diversity",
    "pair_novelty",
    "sampled_self_bleu",
    "self_bleu",
    "self_bleu_stats",
    "source_token_frame",
    "source_usage",
    "stats_command",
    "structure_stats",
    "summarize",
    "token_stats",
    "training_cost",
    "windowed_self_bleu",
]

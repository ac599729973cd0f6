"""What each statistic means, in one sentence, with where it comes from.

The app shows these next to its charts and the text report prints them, so
the wording lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EPOCHS_EXPLANATION", "MATCHING_EXPLANATION", "METRICS", "Metric", "explain"]


@dataclass(frozen=True, slots=True)
class Metric:
    """One statistic: a title, a one-sentence explanation and its reference."""

    key: str
    title: str
    explanation: str
    reference: str


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "distinct_n",
            "distinct-n",
            "The number of different n-grams divided by the number of all n-grams; higher means less repetition.",
            "Li et al. 2016, A Diversity-Promoting Objective Function for Neural Conversation Models (NAACL)",
        ),
        Metric(
            "ngram_diversity",
            "n-gram diversity score",
            "The sum of distinct-n for n = 1 to 4, so one number covers short and long repeats (at most 4).",
            "Padmakumar & He 2024 (ICLR); Shaib et al. 2024, Standardizing the Measurement of Text Diversity",
        ),
        Metric(
            "compression_ratio",
            "compression ratio",
            "The size of the text divided by its gzip size; higher means more redundant text.",
            "Shaib et al. 2024, Standardizing the Measurement of Text Diversity (arXiv 2403.00553)",
        ),
        Metric(
            "self_bleu",
            "self-BLEU",
            "The mean BLEU-4 of each sampled text against all the others; higher means the texts resemble each other.",
            "Zhu et al. 2018, Texygen: A Benchmarking Platform for Text Generation Models (SIGIR)",
        ),
        Metric(
            "entropy",
            "entropy",
            "The Shannon entropy in bits of a distribution; log2 of the number of values when all are equally common.",
            "Shannon 1948, A Mathematical Theory of Communication",
        ),
        Metric(
            "pair_novelty",
            "combinatorial novelty",
            "Of the source pairs that share a mosaic, the share that share exactly one, so the pairing is seen once.",
            "Mosaic Studio",
        ),
        Metric(
            "near_budget_share",
            "share near the budget",
            "The share of mosaics using at least 90% of the token budget; higher means the budget is well filled.",
            "Mosaic Studio",
        ),
        Metric(
            "flops",
            "training FLOPs",
            "6 x parameters x processed tokens plus 6 x layers x hidden size x squared row length, summed over rows.",
            "Kaplan et al. 2020, Scaling Laws for Neural Language Models (arXiv 2001.08361)",
        ),
    )
}

MATCHING_EXPLANATION = (
    "Lexical scores depend on how much text they see, so each set is sampled record by record in a seeded "
    "order until both hold the same number of words; self-BLEU depends on text length, so it is also "
    "computed on windows of equal word count cut from each set's seeded word stream."
)

EPOCHS_EXPLANATION = (
    "A mosaic set is built from several passes over the sources (mosaic epochs), each pass putting every "
    "source into a different mosaic; as in the paper, training once on the mosaic set takes the place of "
    "several training epochs on the originals, so compare the originals' training epochs with fewer epochs "
    "on the mosaics, and fewer, longer sequences then mean fewer optimizer steps and less padding."
)


def explain(key: str) -> str:
    """The explanation and reference of a statistic, as one line.

    >>> explain("entropy").endswith("(Shannon 1948, A Mathematical Theory of Communication)")
    True
    """
    metric = METRICS[key]
    return f"{metric.title}: {metric.explanation} ({metric.reference})"

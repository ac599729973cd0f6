"""The readable text form of a statistics document (``stats`` without ``--json``)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from mosaic_core.stats.glossary import EPOCHS_EXPLANATION, MATCHING_EXPLANATION, METRICS, explain

__all__ = ["render_text"]

_SUMMARY_KEYS = ("count", "mean", "p50", "p90", "p99", "max")
_LEXICAL = (
    ("distinct_1", "distinct-1"),
    ("distinct_2", "distinct-2"),
    ("distinct_3", "distinct-3"),
    ("ngram_diversity", "n-gram diversity"),
    ("compression_ratio", "compression ratio"),
)


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 1e6:
        return f"{value:.3g}"
    return f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _row(label: str, values: list[Any], width: int = 10) -> str:
    return f"  {label:<22}" + "".join(f"{_number(v):>{width}}" for v in values)


def _value_order(text: str) -> tuple[bool, int, str]:
    """Numbers first, in numeric order, then names."""
    return (not text.isdigit(), int(text) if text.isdigit() else 0, text)


def _distribution(name: str, found: Mapping[str, Any]) -> str:
    counts = sorted(found["counts"].items(), key=lambda item: _value_order(item[0]))
    shown = ", ".join(f"{value} {count:,}" for value, count in counts[:12])
    more = f", … ({len(counts) - 12} more)" if len(counts) > 12 else ""
    return f"  {name}: {shown}{more}  (entropy {found['entropy']:.3f} bits)"


def _set_lines(name: str, found: Mapping[str, Any]) -> list[str]:
    header = "Tokens" + " " * 18 + "".join(f"{k:>10}" for k in _SUMMARY_KEYS)
    lines = [f"== {name}: {found['records']:,} samples ==", header]
    languages = found.get("languages")
    if languages:
        total = max(sum(languages.values()), 1)
        shown = ", ".join(f"{code} {count / total:.1%}" for code, count in list(languages.items())[:8])
        kind = "meta-instruction languages" if name == "mosaic" else "languages (detected)"
        lines.insert(1, f"  {kind}: {shown}")
    tokens = found["tokens"]
    for column, summary in tokens.items():
        if isinstance(summary, Mapping) and "p50" in summary:
            lines.append(_row(column, [summary[k] for k in _SUMMARY_KEYS]))
    if tokens["unusable"] is not None:
        lines.append(f"  unusable sources (over the budget on their own): {tokens['unusable']:,}")
    if tokens["near_budget_share"] is not None:
        lines.append(f"  mosaics within 10% of the budget: {tokens['near_budget_share']:.1%}")
    lexical = found["lexical"]
    lines.append(f"Lexical, on {lexical['prompt']['words']:,} prompt and {lexical['answer']['words']:,} answer words")
    lines.append(" " * 24 + f"{'prompt':>10}{'answer':>10}")
    lines += [_row(label, [lexical["prompt"][key], lexical["answer"][key]]) for key, label in _LEXICAL]
    bleu = found.get("self_bleu")
    if bleu is not None:
        lines.append("Self-BLEU" + " " * 15 + f"{'prompt':>10}{'answer':>10}")
        lines.append(_row("on records", [bleu["prompt"]["records"], bleu["answer"]["records"]]))
        lines.append(_row("on word windows", [bleu["prompt"]["windows"], bleu["answer"]["windows"]]))
    structure = found["structure"]
    if structure is not None:
        lines.append("Structure")
        for key in ("k", "strategy", "language", "rule", "format_template", "outer_template"):
            lines.append(_distribution(key, structure[key]))
        meta = structure["meta_instructions"]
        lines.append(
            f"  distinct meta-instructions: {meta['distinct']:,} "
            f"(format {meta['distinct_format']:,}, order/mask {meta['distinct_outer']:,})"
        )
        usage = structure["source_usage"]
        lines.append(
            f"  uses per source: mean {_number(usage['mean'])}, min {_number(usage['min'])}, "
            f"max {_number(usage['max'])}, unused {_number(usage['unused'])}"
        )
        lines.append(f"  combinatorial novelty: {_number(structure['pair_novelty'])}")
    cost = found["cost"]
    lines.append(
        f"Training cost over {cost['epochs']} epoch(s): {cost['sequences']:,} sequences, "
        f"{cost['steps']:,} steps, {cost['real_tokens']:,} real / {cost['padded_tokens']:,} padded tokens "
        f"({cost['padding_share']:.1%} padding), {cost['truncated']:,} truncated, {cost['flops']:.3g} FLOPs"
    )
    return lines


def render_text(document: Mapping[str, Any]) -> str:
    """A few screens of text: one block per set, then the cost ratio and what the numbers mean.

    >>> import mosaic_core
    >>> from pathlib import Path
    >>> from mosaic_core.stats.report import build_report
    >>> from mosaic_core.stats.inputs import read_stats_input
    >>> loaded = read_stats_input(Path(mosaic_core.__file__).parent / "data" / "demo.jsonl")
    >>> render_text(build_report(loaded)).splitlines()[3]
    '== original: 183 samples =='
    """
    source = document["input"]
    settings = document["settings"]
    training = settings["training"]
    lines = [
        f"Statistics of {source['file']} ({source['kind']}; tokenizer {source['tokenizer'] or 'unknown'}, "
        f"budget {_number(source['max_tokens'])} tokens, counts from {source['counted_by']})",
        f"Training setup: model {training['model']}, sequence length {training['seq_len']}, batch "
        f"{training['batch_size']}, {'packing' if training['packing'] else 'padding to the longest in a batch'}",
        "",
    ]
    if source["skipped_rows"] and source["kind"] == "sources":
        lines.insert(1, f"{source['skipped_rows']:,} records were left out ({source['load_summary']})")
    elif source["skipped_rows"]:
        lines.insert(
            1,
            f"{source['skipped_rows']:,} rows without a mosaic plan (original samples, whole conversations) "
            "were left out",
        )
    for name, found in document["sets"].items():
        lines += [*_set_lines(name, found), ""]
    ratio = document.get("cost_ratio")
    if ratio is not None:
        lines.append("Mosaic over original: " + ", ".join(f"{k} {_number(v)}" for k, v in ratio.items()))
        lines.append("")
    lines.append("What the numbers mean")
    notes = [explain(key) for key in METRICS] + [MATCHING_EXPLANATION, EPOCHS_EXPLANATION]
    lines += [textwrap.fill(note, 100, initial_indent="  ", subsequent_indent="    ") for note in notes]
    return "\n".join(lines)

"""Statistics: original against mosaic, computed by mosaic_core.stats and charted here."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mosaic_core import (
    EPOCHS_EXPLANATION,
    MATCHING_EXPLANATION,
    METRICS,
    MODEL_PRESETS,
    MosaicError,
    TrainingSetup,
    k_distribution,
)
from pages.studio.cache import mosaic_statistics
from pages.studio.html import show_error
from pages.studio.state import config, require_valid_settings, through_the_app

through_the_app()  # a first request for this page's address after a restart: through app.py

st.title("Statistics")
require_valid_settings()
state = st.session_state
current = config()

with st.expander("Training cost inputs", expanded=False):
    cols = st.columns(6)
    seq_len = int(cols[0].number_input("Sequence length", 128, 131072, 2048, step=256, key="cost_seq"))
    batch = int(cols[1].number_input("Batch size (sequences)", 1, 4096, 64, key="cost_batch"))
    original_epochs = int(cols[2].number_input("Epochs on the original", 1, 20, 3, key="cost_orig"))
    mosaic_epochs = int(cols[3].number_input("Epochs on the mosaics", 1, 20, 1, key="cost_mosaic"))
    model = cols[4].selectbox("Model size", list(MODEL_PRESETS), index=2, key="cost_model")
    packing = cols[5].toggle("Packing", value=False, key="cost_packing", help="Off: each batch padded to its longest.")
    st.caption(EPOCHS_EXPLANATION)
try:
    setup = TrainingSetup(
        seq_len=seq_len,
        batch_size=batch,
        original_epochs=original_epochs,
        mosaic_epochs=mosaic_epochs,
        model=model,
        packing=packing,
    )
except MosaicError as exc:
    show_error(exc)
    st.stop()

raw = st.toggle("Raw counts instead of shares", value=False, key="raw_counts")
norm = None if raw else "percent"
y_title = "samples" if raw else "share of the set (%)"
bar_title = "mosaics" if raw else "share of mosaics (%)"


def keyed(name: str, suffix: str | None) -> str | None:
    """A draw's keys: none for the first epoch's draw, so that the whole run's draw, later in the same script
    run, can use the keys without clashing with it."""
    return None if suffix is None else name + suffix


def bits(value: float) -> str:
    """An entropy in bits, never shown as -0.00."""
    return f"{max(value, 0.0):.2f}"


def shared(values: list[int]) -> list[float]:
    """Counts as they are, or as percentages of their sum (the default)."""
    total = sum(values) or 1
    return [float(v) for v in values] if raw else [100 * v / total for v in values]


def bars(counts: dict[str, int], title: str, chart_key: str, x_title: str, suffix: str | None) -> None:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    chart = go.Figure(go.Bar(x=[k for k, _ in items], y=shared([v for _, v in items])))
    chart.update_layout(title=title, height=340, margin={"t": 40, "b": 10}, xaxis_title=x_title, yaxis_title=bar_title)
    chart.update_xaxes(automargin=True, tickangle=-40)
    st.plotly_chart(chart, key=keyed(chart_key, suffix))


def readable_flops(value: float | None) -> str:
    """FLOPs with an SI prefix: 1.23 EFLOP rather than 17 digits."""
    if value is None:
        return "-"
    for power, prefix in ((24, "Y"), (21, "Z"), (18, "E"), (15, "P"), (12, "T"), (9, "G")):
        if value >= 10**power:
            return f"{value / 10**power:.2f} {prefix}FLOP"
    return f"{value:,.0f} FLOP"


def draw(result: dict[str, Any], suffix: str | None = "") -> None:
    """Every number and chart of ``result``; ``suffix`` None draws without keys (``keyed``)."""
    core, bleu, totals = result["core"], result["bleu"], result["totals"]
    original, mosaic = core["sets"]["original"], core["sets"]["mosaic"]

    cols = st.columns(6)
    cols[0].metric("Source records", f"{original['records']:,}")
    cols[1].metric("Mosaics", f"{mosaic['records']:,}")
    cols[2].metric("Mean k", f"{result['mean_k']:.2f}")
    near = mosaic["tokens"]["near_budget_share"]
    cols[3].metric("Within 10% of the budget", "-" if near is None else f"{near:.0%}")
    cols[4].metric(
        "Sources left out",
        f"{result['unusable_sources']:,}",
        help="Source records no mosaic takes, in any epoch: longer than the token budget on their own, or speaking "
        "to the whole conversation (see Mosaic settings). The manifest lists each with its reason.",
    )
    cols[5].metric(
        "Left out in an epoch",
        f"{result['unusable_per_epoch']:,}",
        help="Times (summed over epochs) an item found no mosaic with room and no rule to take it; counted per epoch.",
    )

    st.subheader("Token lengths (prompt + answer)")
    figure = go.Figure()
    for name, values in totals.items():
        figure.add_trace(go.Histogram(x=values, name=name, opacity=0.6, nbinsx=40, histnorm=norm))
    figure.add_vline(x=current.max_tokens, line_dash="dash", annotation_text=f"budget {current.max_tokens:,}")
    figure.update_layout(
        barmode="overlay", height=340, margin={"t": 30, "b": 10}, xaxis_title="tokens", yaxis_title=y_title
    )
    st.plotly_chart(figure, key=keyed("token_histogram", suffix))
    summary = pd.DataFrame(
        {
            f"{name} {part}": core["sets"][name]["tokens"][part]
            for name in ("original", "mosaic")
            for part in ("prompt", "answer", "total")
        }
    ).T
    st.dataframe(summary, key=keyed("token_summary", suffix))

    structure = mosaic["structure"]
    left, right = st.columns(2)
    with left:
        k_counts = dict(sorted(structure["k"]["counts"].items(), key=lambda kv: int(kv[0])))
        chart = go.Figure(go.Bar(x=[int(k) for k in k_counts], y=shared(list(k_counts.values())), name="realised"))
        if current.k_mode != "max_length":
            target = k_distribution(current.k_mode, current.max_k, dict(current.k_weights) or None)
            total = sum(k_counts.values())
            scale = total / 100 if raw else 1.0
            chart.add_trace(
                go.Scatter(
                    x=list(target),
                    y=[100 * share * scale for share in target.values()],
                    name="target (before the budget)",
                    mode="lines+markers",
                )
            )
        chart.update_layout(
            title=f"Items per mosaic, target and realised (entropy {bits(structure['k']['entropy'])} bits)",
            height=340,
            margin={"t": 40, "b": 10},
            xaxis_title="k (items per mosaic)",
            yaxis_title=bar_title,
            legend={"orientation": "h", "y": -0.25},
        )
        chart.update_xaxes(dtick=1)
        st.plotly_chart(chart, key=keyed("k_counts", suffix))
    with right:
        bars(
            structure["strategy"]["counts"],
            f"Strategies (entropy {bits(structure['strategy']['entropy'])} bits)",
            "strategies",
            "strategy",
            suffix,
        )
    left, right = st.columns(2)
    with left:
        bars(structure["rule"]["counts"], f"Rules ({structure['rule']['distinct']} used)", "rules", "rule", suffix)
    with right:
        usage = structure["source_usage"]
        chart = go.Figure(go.Bar(x=[int(k) for k in usage["uses"]], y=shared(list(usage["uses"].values()))))
        chart.update_layout(
            title=f"Times each source is used (unused: {usage['unused']:,})",
            height=340,
            margin={"t": 40, "b": 10},
            xaxis_title="times used",
            yaxis_title="sources" if raw else "share of sources (%)",
        )
        chart.update_xaxes(dtick=1)
        st.plotly_chart(chart, key=keyed("source_usage", suffix))
    languages = structure.get("language")
    if languages and len(languages["counts"]) > 1:
        bars(languages["counts"], "Mosaics per meta-instruction language", "languages", "language", suffix)
    elif languages:
        st.caption(f"Every mosaic's meta-instructions are in {next(iter(languages['counts']))}.")
    meta = structure["meta_instructions"]
    novelty = structure["pair_novelty"]
    st.caption(
        f"{meta['distinct']:,} distinct meta-instructions; {structure['outer_template']['distinct']} order/mask "
        f"templates and {structure['format_template']['distinct']} format templates used. Pair novelty: "
        f"{'-' if novelty is None else f'{novelty:.3f}'} (the share of source pairs that meet in only one mosaic)."
    )

    shares = structure.get("shares")
    if shares:
        with st.expander("Configured against realised shares", expanded=False):
            st.caption(
                "A one-item mosaic is always primary or format, and a rule with no single answer for a mosaic's "
                "instructions gives way to one drawn among those that have, so realised shares drift from the recipe. "
                "Per language, a rule's configured share counts only the rules that mean something there "
                "(no alphabetical or word-count rules in Chinese or Japanese)."
            )
            groups = [("strategy", "all", shares["strategies"]), ("rule", "all", shares["rules"])]
            groups += [("rule", code, items) for code, items in (shares.get("by_language") or {}).items()]
            share_rows = [
                {
                    "kind": kind,
                    "language": language,
                    "name": name,
                    "configured": f"{v['configured']:.1%}",
                    "realised": f"{v['realised']:.1%}",
                }
                for kind, language, items in groups
                for name, v in items.items()
            ]
            st.dataframe(pd.DataFrame(share_rows), hide_index=True)

    st.subheader("Diversity")
    if mosaic["lexical"] is None:
        st.caption("Measured once every epoch is generated (it is left out of the first epoch's figures).")
    else:
        diversity(original, mosaic, bleu, suffix)
    with st.expander("What these measures mean"):
        for metric in METRICS.values():
            st.markdown(f"**{metric.title}**: {metric.explanation} *({metric.reference})*")

    st.subheader("Training cost estimate")
    cost_rows = []
    for name, epochs in (("original", original_epochs), ("mosaic", mosaic_epochs)):
        cost = core["sets"][name]["cost"]
        cost_rows.append(
            {
                "set": f"{name} x {epochs} epoch(s)",
                **{k: cost[k] for k in ("sequences", "real_tokens", "padded_tokens", "steps")},
                "FLOPs": readable_flops(cost["flops"]),
            }
        )
    ratio = core["cost_ratio"] or {}
    cost_rows.append(
        {
            "set": "mosaic / original",
            **{k: ratio.get(k) for k in ("sequences", "real_tokens", "padded_tokens", "steps")},
            "FLOPs": "-" if ratio.get("flops") is None else f"{ratio['flops']:.3f}",
        }
    )
    st.dataframe(pd.DataFrame(cost_rows), hide_index=True, key=keyed("cost", suffix))
    st.caption(
        f"Model {setup.preset.name} (like {setup.preset.like}); "
        "FLOPs = 6 x parameters x tokens, plus the attention term."
    )


def diversity(original: dict[str, Any], mosaic: dict[str, Any], bleu: dict[str, Any], suffix: str | None) -> None:
    """The lexical measures at matched word counts and self-BLEU, original against mosaic."""
    st.caption(MATCHING_EXPLANATION)
    rows = []
    for metric in ("distinct_1", "distinct_2", "distinct_3", "ngram_diversity", "compression_ratio"):
        for side in ("prompt", "answer"):
            rows.append(
                {
                    "measure": metric.replace("_", "-"),
                    "side": side,
                    "original": original["lexical"][side][metric],
                    "mosaic": mosaic["lexical"][side][metric],
                }
            )
    for kind in ("records", "windows"):
        for side in ("prompt", "answer"):
            rows.append(
                {
                    "measure": f"self-BLEU ({kind})",
                    "side": side,
                    "original": bleu["original"][side][kind],
                    "mosaic": bleu["mosaic"][side][kind],
                }
            )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=keyed("diversity", suffix))


bar_slot, slot = st.empty(), st.empty()


def draw_first_epoch(first: dict[str, Any]) -> None:
    with slot.container():
        st.info(
            f"Epoch 1 of {first['epochs']} so far: the numbers below describe its mosaics, and are replaced by "
            "those of the whole run when the other epochs are generated.",
            icon=":material/hourglass_top:",
        )
        draw(first, None)


try:
    result = mosaic_statistics(state.fingerprint, current.to_json(), setup, state.loaded, bar_slot, draw_first_epoch)
except MosaicError as exc:
    show_error(exc)
    st.stop()
with slot.container():
    draw(result)

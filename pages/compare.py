"""Compare two recipes on the same data: statistics, k and strategy mixes, token lengths, diversity, training cost
and a few mosaics of each, side by side, with the differences marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mosaic_core import K_MODES, PRESETS, MosaicConfig, MosaicError, TrainingSetup
from pages.studio.cache import mosaic_statistics, preview_window
from pages.studio.html import literal, pieces_html, show_error
from pages.studio.state import config, require_valid_settings, through_the_app

through_the_app()  # a first request for this page's address after a restart: through app.py

st.title("Compare recipes")
require_valid_settings()
state = st.session_state
current = config()
st.caption(
    "Recipe A is the one on the Settings page. Recipe B starts as a copy of it: change a few settings below, or "
    "load a recipe or an export's manifest. Both run on the dataset loaded now."
)


def recipe_b() -> MosaicConfig:
    """Recipe B as the controls below describe it."""
    upload = st.file_uploader("Load recipe B from a file (recipe.json or a manifest)", type=["json"], key="b_file")
    base = current
    if upload is not None:
        base = MosaicConfig.from_json(upload.getvalue().decode("utf-8"))
    cols = st.columns(5)
    modes = list(K_MODES)
    k_mode = cols[0].selectbox("B: k mode", modes, index=modes.index(base.k_mode), key="b_k_mode")
    max_k = int(cols[1].number_input("B: maximum k", 1, 1000, base.max_k, key="b_max_k"))
    budget = int(cols[2].number_input("B: token budget", 64, 1_000_000, base.max_tokens, step=100, key="b_budget"))
    presets = ["as loaded", *PRESETS]
    preset = cols[3].selectbox("B: strategy mix", presets, key="b_preset")
    seed = int(cols[4].number_input("B: seed", 0, 2**31, base.seed, key="b_seed"))
    changes = {"k_mode": k_mode, "max_k": max_k, "max_tokens": budget, "seed": seed}
    if preset != "as loaded":
        changes["mix"] = dict(PRESETS[preset])
    return MosaicConfig.from_recipe(base.to_recipe(), **changes)


try:
    other = recipe_b()
except (MosaicError, UnicodeDecodeError) as exc:
    show_error(exc if isinstance(exc, MosaicError) else f"That file is not a recipe: {exc}")
    st.stop()
recipes = {"A": current, "B": other}
changed = sorted(k for k, v in other.to_recipe().items() if current.to_recipe().get(k) != v)
st.caption("B differs from A in: " + (literal(", ".join(changed)) if changed else "nothing yet"))

setup = TrainingSetup()
try:
    results = {
        name: mosaic_statistics(state.fingerprint, r.to_json(), setup, state.loaded) for name, r in recipes.items()
    }
except MosaicError as exc:
    show_error(exc)
    st.stop()


def headline(name: str) -> dict[str, float]:
    mosaic = results[name]["core"]["sets"]["mosaic"]
    return {
        "Mosaics": float(mosaic["records"]),
        "Mean k": float(results[name]["mean_k"]),
        "Mean tokens": float(mosaic["tokens"]["total"]["mean"] or 0.0),
        "Sources left out": float(results[name]["unusable_sources"]),
        "Training steps": float(mosaic["cost"]["steps"] or 0),
    }


a, b = headline("A"), headline("B")
for column, label in zip(st.columns(len(a)), a, strict=True):
    with column:
        form = "{:,.2f}" if label == "Mean k" else "{:,.0f}"
        delta = b[label] - a[label]
        st.metric(
            f"{label} (B)",
            form.format(b[label]),
            delta=None if delta == 0 else ("+" if delta > 0 else "") + form.format(delta) + " vs A",
            delta_color="off",
            help=f"{label} of recipe B; A's value is below.",
        )
        st.caption("A: " + form.format(a[label]))


def side_by_side(counts: dict[str, dict[str, int]], title: str, x_title: str, chart_key: str) -> None:
    """Grouped bars of A and B, as shares of each recipe's mosaics."""
    names = sorted(
        {k for c in counts.values() for k in c},
        key=lambda k: (not str(k).isdigit(), int(k) if str(k).isdigit() else 0, k),
    )
    chart = go.Figure()
    for recipe, found in counts.items():
        total = sum(found.values()) or 1
        chart.add_trace(
            go.Bar(x=[str(n) for n in names], y=[100 * found.get(n, 0) / total for n in names], name=recipe)
        )
    chart.update_layout(
        title=title,
        barmode="group",
        height=340,
        margin={"t": 40, "b": 10},
        xaxis_title=x_title,
        yaxis_title="share of mosaics (%)",
    )
    chart.update_xaxes(type="category", automargin=True)
    st.plotly_chart(chart, key=chart_key)


structure = {name: results[name]["core"]["sets"]["mosaic"]["structure"] for name in recipes}
left, right = st.columns(2)
with left:
    side_by_side({n: s["k"]["counts"] for n, s in structure.items()}, "Items per mosaic", "k", "cmp_k")
with right:
    side_by_side({n: s["strategy"]["counts"] for n, s in structure.items()}, "Strategies", "strategy", "cmp_strategy")

figure = go.Figure()
for name in recipes:
    figure.add_trace(
        go.Histogram(x=results[name]["totals"]["mosaic"], name=name, opacity=0.6, nbinsx=40, histnorm="percent")
    )
figure.update_layout(
    title="Tokens per mosaic (prompt + answer)",
    barmode="overlay",
    height=340,
    margin={"t": 40, "b": 10},
    xaxis_title="tokens",
    yaxis_title="share of mosaics (%)",
)
st.plotly_chart(figure, key="cmp_tokens")

rows = []
for metric in ("distinct_1", "distinct_2", "ngram_diversity", "compression_ratio"):
    for side in ("prompt", "answer"):
        values = [results[n]["core"]["sets"]["mosaic"]["lexical"][side][metric] for n in recipes]
        rows.append({"measure": metric.replace("_", "-"), "side": side, "A": values[0], "B": values[1]})
for name, label in (("steps", "training steps"), ("padded_tokens", "padded tokens"), ("flops", "FLOPs")):
    values = [results[n]["core"]["sets"]["mosaic"]["cost"][name] for n in recipes]
    rows.append({"measure": label, "side": "cost", "A": values[0], "B": values[1]})
table = pd.DataFrame(rows)
table["B - A"] = table["B"].astype(float) - table["A"].astype(float)
st.subheader("Diversity and training cost")
st.dataframe(
    table.style.map(
        lambda v: "background-color: #fff3bf" if isinstance(v, float) and abs(v) > 1e-12 else "", subset=["B - A"]
    ),
    hide_index=True,
    key="cmp_table",
)

st.subheader("A few mosaics of each")
columns = st.columns(2)
for column, (name, recipe) in zip(columns, recipes.items(), strict=True):
    with column:
        st.markdown(f"**Recipe {name}**")
        for mosaic in preview_window(state.fingerprint, recipe.to_json(), 0, 2, state.loaded):
            plan = mosaic["plan"]
            st.caption(f"Mosaic #{mosaic['position']} · {plan['strategy']} · k = {len(plan['source_ids'])}")
            st.html(pieces_html(mosaic["prompt_pieces"]))

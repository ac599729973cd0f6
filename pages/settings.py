"""Mosaic settings: k, budget, tokenizer, epochs, strategy mix, rules, templates, seed, recipe."""

from __future__ import annotations

import shlex

import pandas as pd
import plotly.express as px
import streamlit as st

from mosaic_core import (
    K_MODES,
    PLACEHOLDERS,
    PRESETS,
    RULES,
    SINGULAR_FAMILIES,
    STRATEGIES,
    MosaicConfig,
    MosaicError,
    available_tokenizers,
    get_rule,
    k_distribution,
    template_from,
    validate_template,
)
from pages.studio.html import show_error
from pages.studio.state import config, set_config

st.title("Mosaic settings")
current = config()
recipe = dict(current.to_recipe())
WIDGETS = {
    "k_mode",
    "max_k",
    "k_weights",
    "max_tokens",
    "tokenizer",
    "epochs",
    "seed",
    "preset",
    "wrapper_rate",
    "templates",
}
WRAPPER_SAMPLE = {"open": "[START]", "close": "[END]"}

k_col, chart_col = st.columns([1, 2])
with k_col:
    st.subheader("How many items per mosaic")
    modes = list(K_MODES)
    recipe["k_mode"] = st.selectbox("k mode", modes, index=modes.index(current.k_mode), key="k_mode")
    recipe["max_k"] = int(st.number_input("Maximum k", 1, 1000, current.max_k, key="max_k"))
    if recipe["k_mode"] == "custom":
        weights = pd.DataFrame(
            {
                "k": list(range(1, recipe["max_k"] + 1)),
                "weight": [float(current.k_weights.get(k, 1.0)) for k in range(1, recipe["max_k"] + 1)],
            }
        )
        edited = st.data_editor(weights, hide_index=True, disabled=["k"], key="k_weights")
        recipe["k_weights"] = {int(r.k): float(r.weight) for r in edited.itertuples()}
    recipe["max_tokens"] = int(
        st.number_input(
            "Token budget per mosaic (prompt + answer)", 64, 1_000_000, current.max_tokens, step=100, key="max_tokens"
        )
    )
    names = available_tokenizers()
    recipe["tokenizer"] = st.selectbox(
        "Tokenizer", names, index=names.index(current.tokenizer) if current.tokenizer in names else 0, key="tokenizer"
    )
    recipe["epochs"] = int(st.number_input("Epochs (passes over the sources)", 1, 100, current.epochs, key="epochs"))
    recipe["seed"] = int(st.number_input("Seed", 0, 2**31, current.seed, key="seed"))
with chart_col:
    if recipe["k_mode"] == "max_length":
        st.info("max_length has no target k: each mosaic takes items until the token budget is full.")
    else:
        try:
            shares = k_distribution(recipe["k_mode"], recipe["max_k"], recipe.get("k_weights") or None)
            chart = px.bar(
                x=list(shares),
                y=list(shares.values()),
                labels={"x": "k (items per mosaic)", "y": "share of mosaics"},
                title=f"Target k under '{recipe['k_mode']}' (before the budget cuts mosaics short)",
            )
            chart.update_layout(height=320, margin={"t": 50, "b": 10})
            st.plotly_chart(chart, key="k_chart")
        except MosaicError as exc:
            show_error(exc)

st.subheader("Strategy mix")
preset_names = ["custom", *PRESETS]
matching = next(
    (name for name, mix in PRESETS.items() if all(abs(mix[s] - current.mix[s]) < 1e-9 for s in STRATEGIES)), "custom"
)
preset = st.selectbox(
    "Preset",
    preset_names,
    index=preset_names.index(matching),
    key="preset",
    help="both: the paper's default, a third each of format-only, order and mask.",
)
base = PRESETS.get(preset, current.mix)
weight_cols = st.columns(4)
mix = {}
for column, strategy in zip(weight_cols, STRATEGIES, strict=True):
    mix[strategy] = column.number_input(
        f"{strategy} weight", 0.0, 100.0, float(round(base[strategy], 4)), step=0.05, key=f"w_{strategy}_{preset}"
    )
total = sum(mix.values())
if total > 0:
    st.caption(
        "Resulting shares: "
        + ", ".join(f"{s} {mix[s] / total:.0%}" for s in STRATEGIES)
        + ". A one-item mosaic is always format-only."
    )
recipe["mix"] = mix
recipe["wrapper_rate"] = st.slider(
    "Share of order and mask mosaics that also wrap each answer",
    0.0,
    1.0,
    current.wrapper_rate,
    0.05,
    key="wrapper_rate",
)

st.subheader("Rules")
rule_cols = st.columns(2)
disabled_rules = []
for column, strategy in zip(rule_cols, ("permute", "maskout"), strict=True):
    column.markdown(f"**{strategy}**")
    for name in [r for r in RULES if r.startswith(strategy)]:
        if not column.toggle(
            name.split(".", 1)[1].replace("_", " "), value=name not in current.disabled_rules, key=f"rule_{name}"
        ):
            disabled_rules.append(name)
recipe["disabled_rules"] = disabled_rules

st.subheader("Template library")
library = current.library()
rows = [
    {
        "on": t.id not in current.disabled_templates,
        "id": t.id,
        "family": t.family,
        "text": t.text,
        "place": t.place,
        "claims": ", ".join(t.claims),
        "yours": not t.builtin,
    }
    for family in PLACEHOLDERS
    for t in library.family(family)
]
family_filter = st.multiselect("Families", list(PLACEHOLDERS), default=[], placeholder="all families")
frame = pd.DataFrame(rows)
shown = frame[frame.family.isin(family_filter)] if family_filter else frame
edited = st.data_editor(
    shown, hide_index=True, disabled=["id", "family", "text", "place", "claims", "yours"], key="templates", height=300
)
off = set(current.disabled_templates) - set(shown.id)
off |= {row.id for row in edited.itertuples() if not row.on}
recipe["disabled_templates"] = sorted(off)
with st.expander("Add your own template"):
    family = st.selectbox("Family", list(PLACEHOLDERS), key="new_family")
    needed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS[family])) or "no placeholders"
    text = st.text_input(f"One sentence, using {needed}", key="new_text")
    one = None
    if family in SINGULAR_FAMILIES:
        one = st.text_input("The same sentence for a single instruction (no placeholders)", key="new_one") or None
    st.caption(
        "Where it may stand and what it claims are read from its words: 'below' or 'following' put it before "
        "the instructions, 'above' or 'preceding' after them; a format sentence that asks for every instruction "
        "to be answered is never paired with a mask."
    )
    if text:
        try:
            item = {"id": f"custom.{family}.{len(current.custom_templates) + 1:02d}", "family": family, "text": text}
            if one is not None:
                item["one"] = one
            template = template_from(item, family, builtin=False)
            validate_template(template)
            sample = (
                WRAPPER_SAMPLE if family == "format.wrapper" else get_rule(family).example(4) if family in RULES else {}
            )
            st.text("Example: " + template.render(**sample))
            if st.button("Add to the library"):
                recipe["custom_templates"] = [*current.custom_templates, item]
        except MosaicError as exc:
            show_error(exc)

try:
    updated = MosaicConfig.from_recipe(recipe)
    set_config(updated)
except MosaicError as exc:
    show_error(exc)
    updated = current

st.subheader("Recipe")
left, right = st.columns(2)
left.download_button("Download recipe.json", updated.to_json(), file_name="recipe.json", mime="application/json")
upload = right.file_uploader("Load a recipe", type=["json"], key="recipe_upload")
if upload is not None and right.button("Use this recipe"):
    try:
        set_config(MosaicConfig.from_json(upload.getvalue().decode("utf-8")))
        for key in [k for k in st.session_state if k in WIDGETS or str(k).startswith(("w_", "rule_"))]:
            del st.session_state[key]
        st.rerun()
    except (MosaicError, UnicodeDecodeError) as exc:
        st.error(f"That recipe cannot be used: {exc}")
st.caption("The same run from the command line:")
st.code(
    "python -m mosaic_core generate "
    + shlex.quote(str(st.session_state.source_label).split(": ", 1)[-1])
    + " -o mosaics.jsonl --recipe recipe.json",
    language="bash",
)

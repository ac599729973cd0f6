"""Mosaic settings: k, budget, tokenizer, epochs, strategy mix, rules, templates, seed, recipe."""

from __future__ import annotations

import json

import pandas as pd
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
    RecipeFile,
    TemplateError,
    available_tokenizers,
    get_rule,
    k_distribution,
    template_from,
    validate_template,
)
from pages.studio.cache import preview_window
from pages.studio.html import bars_html, literal, pair_html, show_error
from pages.studio.replay import cli_command
from pages.studio.state import apply_recipe_file, config, recipe_file, set_config, through_the_app

through_the_app()  # a first request for this page's address after a restart: through app.py

st.title("Mosaic settings")
current = config()
recipe = dict(current.to_recipe())
WRAPPER_SAMPLE = {"open": "[START]", "close": "[END]"}
EDITORS = ("k_weights", "templates")
"""Data editors keep edits, not values: a recipe loaded from a file starts them afresh."""


def widget_values(recipe: MosaicConfig) -> dict[str, object]:
    """What each keyed widget shows for ``recipe``: every widget's value lives in session state, so a loaded
    recipe sets them all and the screen never shows anything but the configuration in effect."""
    preset = next(
        (name for name, mix in PRESETS.items() if all(abs(mix[s] - recipe.mix[s]) < 1e-9 for s in STRATEGIES)),
        "custom",
    )
    values: dict[str, object] = {
        "k_mode": recipe.k_mode,
        "max_k": recipe.max_k,
        "max_tokens": recipe.max_tokens,
        "tokenizer": recipe.tokenizer,
        "epochs": recipe.epochs,
        "seed": recipe.seed,
        "preset": preset,
        "wrapper_rate": recipe.wrapper_rate,
        "meta_language": recipe.meta_language,
        "mixed_languages": recipe.mixed_languages,
        "mixed_contexts": recipe.mixed_contexts,
        "conversation_items": recipe.conversation_items,
    }
    values |= {f"w_{s}_{preset}": float(round(recipe.mix[s], 4)) for s in STRATEGIES}
    values |= {f"rule_{name}": name not in recipe.disabled_rules for name in RULES}
    return values


def show_recipe(recipe: MosaicConfig) -> None:
    """Set every widget to ``recipe`` (a loaded recipe or manifest), then draw the page again."""
    for key in [k for k in st.session_state if str(k).startswith("w_") or k in EDITORS]:
        del st.session_state[key]
    for key, value in widget_values(recipe).items():
        st.session_state[key] = value
    set_config(recipe)
    st.session_state.recipe_error = None


def use_recipe(data: bytes) -> None:
    """The "Use this recipe" button's callback: it runs before the page is drawn again, so it may set widgets.

    A recipe file (or a manifest) sets the settings here, the Export page's options, the curation marks and the
    Data page's load options; what the loaded dataset does not follow yet is said below the button."""
    try:
        whole = RecipeFile.from_mapping(json.loads(data.decode("utf-8")))
    except json.JSONDecodeError as exc:
        st.session_state.recipe_load_error = f"it is not valid JSON: {exc}"
    except (MosaicError, UnicodeDecodeError, RecursionError) as exc:
        st.session_state.recipe_load_error = str(exc)
    else:
        st.session_state.recipe_pending = apply_recipe_file(whole)
        show_recipe(whole.config)
        st.session_state.recipe_load_error = None


for key, value in widget_values(current).items():
    st.session_state.setdefault(key, value)

example_slot = st.expander("A live example: mosaic #0 of the settings below", expanded=True)
k_col, chart_col = st.columns([1, 2])
with k_col:
    st.subheader("How many items per mosaic")
    modes = list(K_MODES)
    k_error = st.empty()
    recipe["k_mode"] = st.selectbox("k mode", modes, key="k_mode")
    recipe["max_k"] = int(st.number_input("Maximum k", 1, 1000, key="max_k"))
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
        st.number_input("Token budget per mosaic (prompt + answer)", 64, 1_000_000, step=100, key="max_tokens")
    )
    names = available_tokenizers()
    if st.session_state.tokenizer not in names:
        names = [*names, st.session_state.tokenizer]  # an hf: tokenizer from a recipe
    recipe["tokenizer"] = st.selectbox("Tokenizer", names, key="tokenizer")
    recipe["epochs"] = int(st.number_input("Epochs (passes over the sources)", 1, 100, key="epochs"))
    recipe["seed"] = int(st.number_input("Seed", 0, 2**31, key="seed"))
with chart_col:
    if recipe["k_mode"] == "max_length":
        st.info("max_length has no target k: each mosaic takes items until the token budget is full.")
    else:
        try:
            shares = k_distribution(recipe["k_mode"], recipe["max_k"], recipe.get("k_weights") or None)
            st.html(
                bars_html(
                    shares,
                    f"Target k under '{recipe['k_mode']}' (before the budget cuts mosaics short)",
                    "k (items per mosaic)",
                    "share of mosaics, estimated from 20,000 draws",
                )
            )
        except MosaicError as exc:
            show_error(exc)

st.subheader("Strategy mix")
mix_error = st.empty()
preset_names = ["custom", *PRESETS]
preset = st.selectbox(
    "Preset", preset_names, key="preset", help="both: the paper's default, a third each of format-only, order and mask."
)
base = PRESETS.get(preset, current.mix)
weight_cols = st.columns(4)
mix = {}
for column, strategy in zip(weight_cols, STRATEGIES, strict=True):
    st.session_state.setdefault(f"w_{strategy}_{preset}", float(round(base[strategy], 4)))
    mix[strategy] = column.number_input(f"{strategy} weight", 0.0, 100.0, step=0.05, key=f"w_{strategy}_{preset}")
total = sum(mix.values())
if total > 0:
    st.caption(
        "Resulting shares: "
        + ", ".join(f"{s} {mix[s] / total:.0%}" for s in STRATEGIES)
        + ". A one-item mosaic is always format-only."
    )
if all(mix[s] == float(round(base[s], 4)) for s in STRATEGIES):
    mix = dict(base)  # the weights as shown, unchanged: keep them exact (1/3, not 0.3333), so the recipe stays itself
recipe["mix"] = mix
recipe["wrapper_rate"] = st.slider(
    "Share of order and mask mosaics that also wrap each answer", 0.0, 1.0, step=0.05, key="wrapper_rate"
)

st.subheader("Rules")
rules_error = st.empty()
rule_cols = st.columns(2)
disabled_rules = []
for column, strategy in zip(rule_cols, ("permute", "maskout"), strict=True):
    column.markdown(f"**{strategy}**")
    for name in [r for r in RULES if r.startswith(strategy)]:
        if not column.toggle(name.split(".", 1)[1].replace("_", " "), key=f"rule_{name}"):
            disabled_rules.append(name)
recipe["disabled_rules"] = disabled_rules

st.subheader("Language of the meta-instructions")
library = current.library()
packs = {code: library.pack(code).name for code in library.languages()}
policies = ["auto", *packs]
recipe["meta_language"] = st.selectbox(
    "Meta-instruction language",
    policies,
    format_func=lambda code: "auto: each mosaic in its items' language" if code == "auto" else f"{packs[code]}",
    key="meta_language",
    help="auto detects each record's language offline; a fixed language writes every mosaic's sentences in it "
    "(en is the paper's behaviour).",
)
if recipe["meta_language"] == "auto":
    recipe["mixed_languages"] = st.radio(
        "Items in different languages",
        ["main", "separate"],
        format_func=lambda mode: (
            "may share a mosaic, written in the dataset's main language" if mode == "main" else "never share a mosaic"
        ),
        key="mixed_languages",
        horizontal=True,
    )
report = st.session_state.loaded.report
if report.system_prompts or report.tools:
    recipe["mixed_contexts"] = st.radio(
        "Items with different system prompts or tools",
        ["separate", "mix"],
        format_func=lambda mode: (
            "never share a mosaic; each mosaic carries its items' system prompt and tools"
            if mode == "separate"
            else "may share a mosaic, which then carries neither (counted in the manifest)"
        ),
        key="mixed_contexts",
        horizontal=True,
    )
recipe["conversation_items"] = st.radio(
    'Items that speak to the whole conversation ("from now on…", "ignore the previous instructions", "continue"), '
    'point to a text they do not hold ("the above", "the following photo" with none) or start a later part of a '
    "split chat",
    ["apart", "mix"],
    format_func=lambda mode: (
        "stay out of mosaics (each listed in the manifest, with the words found)"
        if mode == "apart"
        else "join mosaics like any other item"
    ),
    key="conversation_items",
    horizontal=True,
    help="Numbered among other instructions, such an item would reach past its own number: does "
    '"from now on" hold for the next instruction too? The Data page lists the ones found.',
)
st.caption(
    "Template packs: "
    + ", ".join(
        f"{name} ({sum(len(ts) for ts in library.families(code).values())} sentences)" for code, name in packs.items()
    )
    + ". Chinese and Japanese have no alphabetical or word-count rules; their character sentences state the unit."
)

st.subheader("Template library")
templates_error = st.empty()
rows = [
    {
        "on": t.id not in current.disabled_templates,
        "language": t.language,
        "id": t.id,
        "family": t.family,
        "text": t.text,
        "place": t.place,
        "claims": ", ".join(t.claims),
        "yours": not t.builtin,
    }
    for code in packs
    for family in PLACEHOLDERS
    for t in library.family(family, code)
]
filter_cols = st.columns(2)
language_filter = filter_cols[0].multiselect(
    "Languages", list(packs), default=[], format_func=packs.__getitem__, placeholder="all languages"
)
family_filter = filter_cols[1].multiselect("Families", list(PLACEHOLDERS), default=[], placeholder="all families")
frame = pd.DataFrame(rows)
shown = frame[frame.family.isin(family_filter)] if family_filter else frame
shown = shown[shown.language.isin(language_filter)] if language_filter else shown
on = shown.on.sum()
st.caption(f"{on:,} of {len(shown):,} sentences shown are on.")
edited = st.data_editor(
    shown,
    hide_index=True,
    disabled=["language", "id", "family", "text", "place", "claims", "yours"],
    key="templates",
    height=300,
)
off = set(current.disabled_templates) - set(shown.id)
off |= {row.id for row in edited.itertuples() if not row.on}
recipe["disabled_templates"] = sorted(off)
with st.expander("Add your own template"):
    new_language = st.selectbox("Language", list(packs), format_func=packs.__getitem__, key="new_language")
    usable = [f for f in PLACEHOLDERS if library.pack(new_language).uses_family(f)]
    family = st.selectbox("Family", usable, key="new_family")
    needed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS[family])) or "no placeholders"
    text = st.text_input(f"One sentence, using {needed}", key="new_text")
    one = None
    if family in SINGULAR_FAMILIES:
        one = st.text_input("The same sentence for a single instruction (no placeholders)", key="new_one") or None
    elif family.startswith("format."):
        one = (
            st.text_input(
                "The same sentence where one answer is asked for (optional: 'your answer' for 'each answer')",
                key="new_one",
            )
            or None
        )
    st.caption(
        "Where it may stand and what it claims are read from its words: 'below' or 'following' put it before "
        "the instructions, 'above' or 'preceding' after them; a format sentence that asks for every instruction "
        "to be answered is never paired with a mask."
    )
    if text:
        try:
            number = len(current.custom_templates) + 1
            item = {"id": f"custom.{new_language}.{family}.{number:02d}", "family": family, "text": text}
            item["language"] = new_language
            if one is not None:
                item["one"] = one
            pack = library.pack(new_language)
            template = template_from(item, family, builtin=False, pack=pack)
            validate_template(template, pack)
            sample = (
                WRAPPER_SAMPLE
                if family == "format.wrapper"
                else pack.values(get_rule(family).placeholders, (3, 0, 1, 2), (1, 3))
                if family in RULES
                else {}
            )
            st.text("Example: " + template.render(2 if "positions" in sample or "m" in sample else None, **sample))
            if st.button("Add to the library"):
                recipe["custom_templates"] = [*current.custom_templates, item]
        except MosaicError as exc:
            show_error(exc)

try:
    updated: MosaicConfig | None = MosaicConfig.from_recipe(recipe)
    set_config(updated)
    st.session_state.recipe_error = None
    for warning in updated.warnings():
        st.warning(literal(warning + "."), icon=":material/warning:")
except MosaicError as exc:
    updated = None
    st.session_state.recipe_error = str(exc)
    message = str(exc)
    key = getattr(exc, "key", None)  # the recipe key at fault (ConfigError.key); a template's own error has none
    slots = {"mix": mix_error, "wrapper_rate": mix_error, "disabled_rules": rules_error}
    where = slots.get(key or "") or (
        templates_error if key == "disabled_templates" or isinstance(exc, TemplateError) else k_error
    )
    where.error(
        literal(f"{message}. Preview, Statistics and Export wait until this is fixed."), icon=":material/error:"
    )

with example_slot:
    if updated is None:
        st.caption("No example while a setting is not valid.")
    else:
        example = preview_window(st.session_state.fingerprint, updated.to_json(), 0, 1, st.session_state.loaded)
        if example:
            plan = example[0]["plan"]
            st.caption(
                f"{plan['strategy']}"
                + (f" · {plan['rule']}" if plan["rule"] else "")
                + f" · k = {len(plan['source_ids'])}"
                f" · {plan['prompt_tokens'] + plan['answer_tokens']:,} tokens. It redraws as the settings change."
            )
            st.html(pair_html(example[0]["prompt_pieces"], example[0]["answer_pieces"]))

st.subheader("Recipe")
left, right = st.columns(2)
left.download_button(
    "Download recipe.json",
    json.dumps(recipe_file().to_recipe(), indent=2, sort_keys=True) if updated is not None else "",
    file_name="recipe.json",
    mime="application/json",
    disabled=updated is None,
    help="Fix the setting marked in red first."
    if updated is None
    else "The settings here, how the dataset was read, the Export page's options and the curation marks.",
)
upload = right.file_uploader("Load a recipe or an export's manifest", type=["json"], key="recipe_upload")
pasted = right.text_area("… or paste one (JSON)", key="recipe_text", height=80) if upload is None else ""
if upload is not None or pasted.strip():
    given = upload.getvalue() if upload is not None else pasted.encode("utf-8")
    right.button("Use this recipe", on_click=use_recipe, args=(given,))
if st.session_state.get("recipe_load_error"):
    right.error(literal(f"That recipe cannot be used: {st.session_state.recipe_load_error}"))
for pending in st.session_state.get("recipe_pending") or []:
    right.info(literal(f"The recipe reads its input with {pending}: load the dataset again on the Data page."))
st.caption("The same run from the command line (with the recipe downloaded above):")
st.code(cli_command(st.session_state.loaded, st.session_state.source_input, None, "mosaics.jsonl"), language="bash")

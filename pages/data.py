"""Data: choose a dataset, check how it was read, browse it."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from mosaic_core import (
    ColumnMapping,
    MosaicError,
    Source,
    builtin_library,
    confine,
    language_mix,
    summarize,
    talking_items,
)
from pages.studio.folders import data_dir
from pages.studio.html import literal, show_error
from pages.studio.progress import load_from
from pages.studio.state import (
    LOAD_WIDGETS,
    config,
    current_table,
    load_demo,
    recall,
    remember,
    set_dataset,
    through_the_app,
)

through_the_app()  # a first request for this page's address after a restart: through app.py

st.title("Data")
state = st.session_state
st.markdown(
    "Mosaic Studio augments an instruction-tuning dataset with **Mosaic-IT** (Li et al., ACL Findings 2025). "
    "Each new sample joins several of your instruction–response pairs under one meta-instruction (answer in "
    "this format, in this order, skip these), and its answer is computed by rule from the original answers. "
    "Models trained on such mosaics follow multi-step and format instructions better, at a lower training cost."
)
st.caption(
    "The flow, one page each in the sidebar: **Data** (load a dataset; the demo is loaded to start) → "
    "**Mosaic settings** (k, token budget, strategy mix, templates) → **Preview** (read mosaics, accept or reject) "
    "→ **Statistics** (token lengths, diversity, cost; **Compare recipes** puts two side by side) → **Export** "
    "(the file your trainer reads, with a manifest)."
)

recall("load_choice", LOAD_WIDGETS)
with st.container(border=True):
    st.subheader("Load a dataset")
    way = st.radio(
        "Source",
        ["Built-in demo", "Upload a file", "Local path", "Hugging Face hub id"],
        horizontal=True,
        key="source_kind",
    )
    multi_turn = st.selectbox(
        "Multi-turn conversations",
        ["first", "skip", "keep"],
        format_func={"first": "use the first exchange", "skip": "skip them", "keep": "keep whole as plain samples"}.get,
        help="Later turns lean on earlier ones, so by default only the first user-assistant exchange is used.",
        key="load_multi_turn",
    )
    leftovers = (
        "strip"
        if st.toggle(
            "Take off what chat sites left at the end of a turn",
            help='Copied chats often end a user\'s turn with the page\'s own words: "Share Prompt", a "2 / 2" version '
            "counter, a translate button. Off, they stay in the text (and are counted); on, they are taken off.",
            key="load_chat_leftovers",
        )
        else "keep"
    )
    with st.expander("Column mapping (only for files no schema fits)"):
        use_mapping = st.toggle("Use my own columns", key="use_mapping")
        left, right = st.columns(2)
        col_instruction = left.text_input("Instruction column", key="map_instruction")
        col_output = right.text_input("Output column", key="map_output")
        col_input = left.text_input("Input column (optional)", key="map_input")
        col_id = right.text_input("Id column (optional)", key="map_id")
    mapping = ColumnMapping(col_instruction, col_output, col_input or None, col_id or None) if use_mapping else None
    remember("load_choice", LOAD_WIDGETS)
    try:
        if way == "Built-in demo":
            if state.get("source_label", "").startswith("built-in demo"):
                st.caption("The built-in demo dataset is the one loaded now.")
            elif st.button("Load the demo dataset"):
                load_demo()
                st.rerun()
        elif way == "Upload a file":
            upload = st.file_uploader("JSON, JSONL, CSV or Parquet", type=["json", "jsonl", "csv", "tsv", "parquet"])
            if upload is not None and st.button("Load the uploaded file"):
                data = upload.getvalue()
                loaded = load_from(Source.from_bytes(upload.name, data), mapping, multi_turn, leftovers)
                set_dataset(loaded, f"upload: {upload.name}", hashlib.sha256(data).hexdigest(), cli_input=upload.name)
                st.rerun()
        elif way == "Local path":
            st.caption(f"Paths are read inside the data folder {literal(data_dir())}.")
            text = st.text_input("Path", placeholder="datasets/train.jsonl")
            if text and st.button("Load this path"):
                path = confine(data_dir(), text)
                loaded = load_from(Source.from_path(path), mapping, multi_turn, leftovers)
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
                set_dataset(loaded, f"path: {text}", digest, cli_input=str(path))
                st.rerun()
        else:
            hub_id = st.text_input("Dataset id", placeholder="owner/name")
            split = st.text_input("Split", "train")
            if hub_id and st.button("Load from the hub"):
                loaded = load_from(Source.from_hub(hub_id, split), mapping, multi_turn, leftovers)
                set_dataset(loaded, f"hub: {hub_id}", cli_input=f"hf://{hub_id} --split {split}")
                st.rerun()
    except MosaicError as exc:
        show_error(exc)

loaded = state.loaded
report = loaded.report
st.subheader(literal(state.source_label))
cols = st.columns(5)
cols[0].metric("Records loaded", f"{report.loaded:,}")
cols[1].metric("Rows read", f"{report.rows:,}")
cols[2].metric("Skipped", f"{report.skipped:,}")
cols[3].metric("Schema", report.schema or "-")
cols[4].metric("Multi-turn", f"{report.multi_turn:,}")
if report.problems:
    with st.expander(f"Load report: {report.skipped:,} records skipped", expanded=True):
        st.dataframe(
            pd.DataFrame([{"reason": code, "records": n} for code, n in sorted(report.problems.items())]),
            hide_index=True,
        )
        for code, examples in sorted(report.examples.items()):
            st.markdown(f"**{literal(code)}**")
            st.dataframe(pd.DataFrame(examples), hide_index=True)
notes = []
if report.system_prompts or report.tools:
    notes.append(
        f"{report.system_prompts:,} records carry a system prompt and {report.tools:,} offer tools: each mosaic "
        "joins only items that share both, and carries them to the export (see Settings to allow mixing)."
    )
if report.tool_turns:
    notes.append(
        f"{report.tool_turns:,} conversations call tools. Their tool turns reach the export with multi-turn "
        "'keep' in the sharegpt and messages formats."
    )
if report.trimmed_turns:
    notes.append(f"{report.trimmed_turns:,} conversations end with an unanswered turn, which is left out.")
if report.renamed_ids:
    notes.append(f"{report.renamed_ids:,} duplicate ids were made unique (suffix ~2, ~3, ...).")
if report.kept_whole:
    notes.append(f"{report.kept_whole:,} multi-turn conversations are kept whole as plain samples.")
    if report.kept_later_parts:
        notes.append(
            f"{report.kept_later_parts:,} of them are later parts of a chat split into parts: they begin with turns "
            "that answer others they do not hold."
        )
if report.placeholder_inputs:
    notes.append(f"{report.placeholder_inputs:,} inputs only said there was none (`<noinput>`), so they are left out.")
if report.chat_leftovers:
    done = "taken off" if report.chat_leftovers_policy == "strip" else "kept (the toggle above takes them off)"
    notes.append(
        f"{report.chat_leftovers:,} records end a user's turn with what a chat site left there "
        f'("Share Prompt", a "2 / 2" counter): {done}.'
    )
for note in notes:
    st.info(note)

try:
    table = current_table()
except MosaicError as exc:
    show_error(exc)
    st.stop()
n = table.size
frame = pd.DataFrame(
    {
        "id": [r.id for r in loaded.records],
        "instruction": [r.instruction for r in loaded.records],
        "input": [r.input for r in loaded.records],
        "output": [r.output for r in loaded.records],
        "prompt tokens": table.counts[:n],
        "response tokens": table.counts[n:],
        "language": [code or "undetermined" for code in table.languages],
    }
)
st.subheader("Token counts")
st.caption(f"Tokenizer {table.counter.name}; the instruction counts include the input.")
summary = pd.DataFrame(
    {"prompt tokens": summarize(table.counts[:n]), "response tokens": summarize(table.counts[n:])}
).T.rename(columns={"p50": "50%", "p90": "90%", "p99": "99%"})
st.dataframe(summary.astype(float).round(1))

st.subheader("Languages")
mix = language_mix(table.languages)
packs = builtin_library().languages()
st.caption(
    "Detected offline from each instruction and its input (fastText's language model); 'undetermined' where "
    "it is unsure. "
    "Under the meta-language policy auto, a mosaic's sentences are in its items' language when it has a pack "
    f"({', '.join(packs)}), else in the dataset's main language."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "language": code or "undetermined",
                "records": count,
                "share": f"{count / max(n, 1):.1%}",
                "template pack": "yes" if code in packs else "-",
            }
            for code, count in mix
        ]
    ),
    hide_index=True,
)

recipe = config()
talk = talking_items(table, recipe)  # read once per table, as the runs read them (they find it done)
talking = [(r.id, phrase, r.instruction) for r, phrase in zip(loaded.records, talk, strict=True) if phrase]
if talking:
    st.subheader("Items that speak to the whole conversation")
    fate = (
        "so they stay out of mosaics (Mosaic settings can let them in; the manifest lists each)"
        if recipe.conversation_items == "apart"
        else "yet the recipe lets them into mosaics (Mosaic settings)"
    )
    st.caption(
        f"{len(talking):,} instructions speak to the conversation around them rather than to their own task "
        '("from now on…", "ignore the previous instructions", a bare "continue"), point to a text they do not '
        'hold ("the above passage", "the following photo" with no input, where the next instruction would '
        "follow), or start a later part of a chat split into parts (ids ending _1, _2…), answering turns that "
        "part does not hold. Numbered among "
        f"other instructions, they would reach past their own number, {fate}. Found by each record's "
        "language's words and by English's."
    )
    st.dataframe(
        pd.DataFrame(talking, columns=["id", "words found", "instruction"]),
        hide_index=True,
        height=min(38 + 35 * len(talking), 320),
    )

st.subheader("Records")
query = st.text_input("Search instructions and outputs", placeholder="a word or phrase")
shown = frame
if query:
    needle = query.lower()
    mask = frame["instruction"].str.lower().str.contains(needle, regex=False) | frame[
        "output"
    ].str.lower().str.contains(needle, regex=False)
    shown = frame[mask]
st.caption(f"{len(shown):,} of {len(frame):,} records")
st.dataframe(shown, hide_index=True, height=420)

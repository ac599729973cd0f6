"""Export: write the full mosaic set with a manifest, download it or save it."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import streamlit as st

from mosaic_core import (
    FILE_TYPES,
    RECORD_FORMATS,
    ConfigError,
    ExportOptions,
    MosaicError,
    confine,
    dataset_card,
    export_mosaics,
    is_earlier_export,
    output_text,
)
from pages.studio.folders import data_dir, inside_app
from pages.studio.html import literal, show_error
from pages.studio.progress import progress_step
from pages.studio.replay import cli_command
from pages.studio.state import (
    CARD,
    EXPORT_WIDGETS,
    EXTRAS,
    LLAMA_FACTORY,
    ORIGINALS,
    RECIPES,
    config,
    current_table,
    recall,
    remember,
    require_valid_settings,
    through_the_app,
)

through_the_app()  # a first request for this page's address after a restart: through app.py


def zipped(folder: Path) -> bytes:
    """Every file an export wrote (data, manifest, card, trainer recipes) as one zip, named as on disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


st.title("Export")
require_valid_settings()
state = st.session_state
current = config()

recall("export_choice", {**EXPORT_WIDGETS, "export_license": state.get("source_license", "")})
left, right = st.columns(2)
record_format = left.selectbox(
    "Record format",
    RECORD_FORMATS,
    key="export_to",
    help="alpaca: instruction/input/output; sharegpt: conversations; messages: OpenAI chat; prompt_completion.",
)
file_type = right.selectbox(
    "File type", FILE_TYPES, key="export_file_type", help="hf is a datasets save_to_disk folder."
)
share = left.select_slider(
    "Original samples mixed in",
    options=sorted({*ORIGINALS, float(state.export_originals)}),
    format_func=lambda v: "none" if v == 0 else "all" if v == 1 else f"{v:.0%}",
    key="export_originals",
)
provenance = right.toggle("Keep provenance (the plan of each mosaic; needed by verify)", key="export_provenance")
curated = left.toggle(
    f"Only accepted mosaics ({len(state.accepted)} accepted in Preview)",
    key="only_accepted",
    disabled=not state.accepted,
)
curated = curated and bool(state.accepted)
leave_out = left.toggle(
    f"Leave out rejected mosaics ({len(state.rejected)} rejected in Preview)",
    key="leave_out_rejected",
    disabled=not state.rejected,
)
leave_out = leave_out and bool(state.rejected)
extras = right.multiselect(
    "Also write",
    list(EXTRAS),
    key="export_extras",
    help="Trainer recipes: a LLaMA-Factory dataset_info.json entry, an axolotl datasets block and, for messages "
    "and prompt_completion, a TRL script. TRL reads messages or prompt_completion rows.",
)
license_id = ""
if CARD in extras:
    license_id = right.text_input(
        "License of the source dataset (for the card)",
        key="export_license",
        placeholder="e.g. cc-by-4.0; left empty, the card says unknown",
    ).strip()
remember("export_choice", EXPORT_WIDGETS)
try:
    options = ExportOptions(
        record_format=record_format,
        file_type=file_type,
        provenance=provenance,
        originals=share,
        accepted=set(state.accepted) if curated else None,
        rejected=set(state.rejected) if leave_out and not curated else None,
        card=CARD in extras,
        llama_factory=LLAMA_FACTORY in extras,
        trainer_configs=RECIPES in extras,
        license=license_id or None,
    )
except MosaicError as exc:  # a license the Hub does not know
    show_error(exc)
    st.stop()
try:
    folder = data_dir()
except MosaicError as exc:
    show_error(exc)
    st.stop()
save_to = st.text_input(
    "Save to a path in the data folder (optional)",
    placeholder="exports/mosaics.jsonl",
    help=f"Relative to {folder}; paths outside it are refused.",
)
force = False
if save_to:
    try:
        wanted = confine(folder, output_text(save_to, folder=file_type == "hf"))
        if wanted.exists() and not is_earlier_export(wanted):
            st.warning(
                literal(f"{save_to} exists and is not an earlier export; it is left alone unless you confirm."),
                icon=":material/warning:",
            )
            force = st.checkbox("Replace it: I know it is not an earlier export", key="force_replace")
    except MosaicError as exc:
        show_error(exc)
st.caption(
    f"{current.epochs} epochs over {len(state.loaded.records):,} records, k mode {current.k_mode}, "
    f"budget {current.max_tokens:,} tokens ({current.tokenizer}), seed {current.seed}."
)

# What an export shown here was made from: another dataset, recipe or choice of options shows nothing stale.
made_from = (state.fingerprint, current.to_json(), record_format, file_type, share, provenance, curated, leave_out)
made_from += (tuple(extras),)
if "export_manifest" in state and state.get("export_for") != made_from:
    st.caption("The last export was made from another dataset, recipe or set of options; generate again.")
    stale = ("export_manifest", "export_bytes", "export_saved", "export_notes", "export_for", "export_command")
    for key in (*stale, "export_zip"):
        state.pop(key, None)

if st.button("Generate the export", type="primary"):
    try:
        target = confine(folder, output_text(save_to, folder=file_type == "hf")) if save_to else None
        if target is not None and (target == folder or inside_app(target)):
            raise ConfigError("save the export to a file inside the data folder, not the folder itself or the app")
        options = replace(options, force=force)
        table = current_table()
        bar = st.progress(0.0, text="Generating mosaics")

        step = progress_step(bar, "Generating mosaics")

        with tempfile.TemporaryDirectory() as folder:
            name = "mosaics" if file_type == "hf" else f"mosaics.{file_type}"
            output = target or Path(folder) / name
            summary = export_mosaics(state.loaded, current, output, options, state.get("source_sha256"), table, step)
            bar.progress(1.0, text="Done")
            state.export_manifest = summary.manifest_data
            state.export_name = output.name
            state.export_bytes = output.read_bytes() if output.is_file() else None
            state.export_saved = str(output) if target else None
            state.export_notes = summary.notes
            state.export_for = made_from
            state.export_command = cli_command(
                state.loaded, state.source_input, options, output.name, f"{output.name}.manifest.json"
            )
            state.export_zip = None if target else zipped(Path(folder))
    except MosaicError as exc:
        show_error(exc)

if "export_manifest" in state:
    manifest = state.export_manifest
    counts = manifest["counts"]
    cols = st.columns(4)
    cols[0].metric("Rows written", f"{manifest['export']['rows']:,}")
    cols[1].metric("Mosaics", f"{counts['mosaics']:,}")
    cols[2].metric("Mean k", f"{counts['mean_k']:.2f}")
    cols[3].metric("Unusable items", f"{counts['unusable']:,}")
    if state.get("export_saved"):
        st.success(f"Saved to {literal(state.export_saved)} with its manifest next to it.")
    if state.get("export_bytes") is not None:
        st.download_button(
            f"Download {state.export_name}", state.export_bytes, file_name=state.export_name, type="primary"
        )
    if state.get("export_zip"):
        st.download_button(
            "Download everything (mosaics.zip)",
            state.export_zip,
            file_name="mosaics.zip",
            mime="application/zip",
            help="The data, its manifest and every file asked for under 'Also write', as on disk.",
        )
    st.download_button(
        "Download the manifest",
        json.dumps(manifest, indent=2, sort_keys=True),
        file_name=f"{state.export_name}.manifest.json",
    )
    for note in state.get("export_notes", []):
        st.info(literal(note), icon=":material/info:")
    if manifest["unusable"]:
        st.warning(
            f"{len(manifest['unusable'])} items could not be placed in any mosaic; they are listed in the manifest."
        )
    if state.get("export_command"):
        st.caption(
            "The same export from the command line: the manifest is its whole recipe (settings, load and export "
            "options, and the curation marks)."
        )
        st.code(state.export_command, language="bash")
    with st.expander("Manifest"):
        st.json(manifest, expanded=False)
    with st.expander("Dataset card"):
        st.code(dataset_card(manifest, license_id or None), language="markdown")

"""The session's dataset, recipe and curation, and the source table they select."""

from __future__ import annotations

import json

import streamlit as st

from mosaic_core import LoadResult, MosaicConfig, SourceTable, dataset_fingerprint
from pages.studio.cache import demo_dataset, source_table

__all__ = ["config", "current_table", "init_state", "load_demo", "require_valid_settings", "set_config", "set_dataset"]


def init_state() -> None:
    """First visit: the demo dataset and the default recipe."""
    state = st.session_state
    if "loaded" not in state:
        load_demo()
    state.setdefault("recipe", MosaicConfig().to_recipe())
    state.setdefault("marks", {})
    _select_marks()
    state.setdefault("preview_start", 0)


def load_demo() -> None:
    demo = demo_dataset()
    from pages.studio.folders import DEMO

    label = f"built-in demo dataset ({len(demo.records)} records, CC0)"
    set_dataset(demo, label, license_id="cc0-1.0", cli_input=str(DEMO))


def set_dataset(
    loaded: LoadResult, label: str, sha256: str | None = None, license_id: str = "", cli_input: str = ""
) -> None:
    """Make ``loaded`` the session's dataset; curation starts over. ``cli_input`` is how the command line
    names the same input (a path, an uploaded file's name, ``hf://owner/name``)."""
    state = st.session_state
    state.loaded = loaded
    state.source_label = label
    state.source_input = cli_input or label
    state.source_sha256 = sha256
    state.source_license = license_id
    state.fingerprint = dataset_fingerprint(loaded.records)
    state.marks = {}  # marks name mosaics of one dataset
    if "recipe" in state:
        _select_marks()
    state.preview_start = 0


def require_valid_settings() -> None:
    """Stop a page that runs the recipe while the Settings page shows settings that are not valid: it would
    otherwise run a configuration other than the one on screen."""
    error = st.session_state.get("recipe_error")
    if error:
        from pages.studio.html import literal

        st.error(
            literal(f"The settings are not valid: {error}. Fix them on the Settings page; this page waits until then."),
            icon=":material/error:",
        )
        st.stop()


def config() -> MosaicConfig:
    return MosaicConfig.from_recipe(st.session_state.recipe)


def set_config(new: MosaicConfig) -> None:
    """Store ``new`` as the recipe; curation marks follow it (``_select_marks``)."""
    if new.to_recipe() != st.session_state.recipe:
        st.session_state.recipe = new.to_recipe()
        _select_marks()


def _select_marks() -> None:
    """Point ``accepted`` and ``rejected`` at the marks of the recipe in effect (kept per recipe and seed, so a
    re-roll or a changed setting never wipes them: going back to that recipe finds them again)."""
    state = st.session_state
    key = json.dumps(state.recipe, indent=2, sort_keys=True)  # MosaicConfig.to_json of it, without validating again
    state.accepted, state.rejected = state.marks.setdefault(key, (set(), set()))


def current_table() -> SourceTable:
    """The token table of the session's dataset under the recipe's tokenizer (cached)."""
    state = st.session_state
    return source_table(state.fingerprint, config().tokenizer, state.loaded)

"""The session's dataset, recipe and curation, and the source table they select."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from mosaic_core import (
    Curation,
    ExportSettings,
    LoadResult,
    LoadSettings,
    MosaicConfig,
    RecipeFile,
    SourceTable,
    dataset_fingerprint,
)
from pages.studio.cache import demo_dataset, source_table

__all__ = [
    "EXPORT_WIDGETS",
    "EXTRAS",
    "LOAD_WIDGETS",
    "ORIGINALS",
    "apply_recipe_file",
    "config",
    "current_table",
    "init_state",
    "load_demo",
    "recall",
    "recipe_file",
    "remember",
    "require_valid_settings",
    "set_config",
    "set_dataset",
]

CARD, LLAMA_FACTORY, RECIPES = (
    "dataset card (README.md)",
    "LLaMA-Factory dataset_info.json",
    "trainer recipes (LLaMA-Factory, axolotl, TRL)",
)
EXTRAS = (CARD, LLAMA_FACTORY, RECIPES)
"""The Export page's "Also write" choices."""
ORIGINALS = (0.0, 0.1, 0.25, 0.5, 1.0)
"""The Export page's shares of original samples mixed in (a recipe may hold another)."""
EXPORT_WIDGETS = {
    "export_to": "alpaca",
    "export_file_type": "jsonl",
    "export_originals": 0.0,
    "export_provenance": True,
    "export_extras": [],
    "export_license": "",
    "only_accepted": False,
    "leave_out_rejected": True,
}
LOAD_WIDGETS = {
    "load_multi_turn": "first",
    "load_chat_leftovers": False,
    "use_mapping": False,
    "map_instruction": "instruction",
    "map_output": "output",
    "map_input": "",
    "map_id": "",
}
"""Widgets of the Export and Data pages, with their defaults. Streamlit forgets a widget's value while its page
is not shown, so each page keeps its choices in ``export_choice`` / ``load_choice`` too (``remember``)."""


def through_the_app() -> None:
    """Hand a page's run to ``app.py`` when Streamlit ran the page on its own.

    Until some run calls ``st.navigation``, Streamlit serves its old multipage mode (each file in ``pages/``
    a page, ``app.py`` not run). A browser tab left open on /settings while the app restarts asks for that
    page first, which then ran without the session state ``app.py`` sets up and ended in an error. Such a
    run is known by that missing state: the old mode is switched off (as ``st.navigation`` does) and the
    run starts again, through ``app.py``.
    """
    if "recipe" in st.session_state:  # init_state ran: app.py started this run
        return
    if st.session_state.get("handed_to_app"):  # a Streamlit whose switch works otherwise: no loop of reruns
        init_state()
        return
    st.session_state.handed_to_app = True
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


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
    digest = hashlib.sha256(DEMO.read_bytes()).hexdigest()  # in the manifest, as the command line records it
    set_dataset(demo, label, digest, license_id="cc0-1.0", cli_input=str(DEMO))


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
    state.get("export_choice", {}).pop("export_license", None)  # the card's licence is the new dataset's
    state.pop("export_license", None)
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


_MAP_DEFAULTS = {"instruction": "instruction", "output": "output", "input": "", "id": ""}


def recall(choices: str, widgets: dict[str, object]) -> None:
    """Before a page draws its widgets: give each the value last chosen (or set by a recipe), else its default."""
    state = st.session_state
    chosen = state.get(choices, {})
    for key, default in widgets.items():
        if key not in state:
            state[key] = chosen.get(key, default)


def remember(choices: str, widgets: dict[str, object]) -> None:
    """After a page drew its widgets: keep their values where leaving the page does not wipe them."""
    state = st.session_state
    state[choices] = {key: state[key] for key in widgets if key in state}


def recipe_file() -> RecipeFile:
    """The whole recipe in effect: the settings, how the dataset was read, the Export page's options (their
    defaults until it is visited) and the curation marks of this recipe and seed."""
    state = st.session_state
    report = state.loaded.report
    mapping = {role: column for role, column in (report.mapping or {}).items() if column}
    chosen = {**EXPORT_WIDGETS, **state.get("export_choice", {})}
    extras = chosen["export_extras"]
    license_id = str(chosen["export_license"]).strip() if CARD in extras else ""
    return RecipeFile(
        config(),
        LoadSettings(
            multi_turn=report.multi_turn_policy,
            map=mapping or None,
            split=report.split,
            chat_leftovers=report.chat_leftovers_policy,
        ),
        ExportSettings(
            to=chosen["export_to"],
            file_type=chosen["export_file_type"],
            provenance=bool(chosen["export_provenance"]),
            originals=float(chosen["export_originals"]),
            card=CARD in extras,
            llama_factory=LLAMA_FACTORY in extras,
            trainer_configs=RECIPES in extras,
            license=license_id or None,
        ),
        Curation(
            accepted=tuple(sorted(state.accepted)),
            rejected=tuple(sorted(state.rejected)),
            only_accepted=bool(chosen["only_accepted"]) and bool(state.accepted),
            leave_out_rejected=bool(chosen["leave_out_rejected"]),
        ),
    )


def apply_recipe_file(whole: RecipeFile) -> list[str]:
    """Set the Export page's options, the curation marks and the Data page's load options from ``whole`` (the
    settings themselves are set by the Settings page). Returns what the loaded dataset does not yet follow."""
    state = st.session_state
    export, load, curation = whole.export, whole.load, whole.curation
    extras = (export.card, export.llama_factory, export.trainer_configs)
    state.export_choice = {
        "export_to": export.to,
        "export_file_type": export.file_type or "jsonl",
        "export_provenance": export.provenance,
        "export_originals": export.originals,
        "export_extras": [name for name, wanted in zip(EXTRAS, extras, strict=True) if wanted],
        "export_license": export.license or "",
        "only_accepted": curation.only_accepted,
        "leave_out_rejected": curation.leave_out_rejected,
    }
    if curation.accepted or curation.rejected:  # a recipe without marks leaves the session's marks alone
        state.marks[whole.config.to_json()] = (set(curation.accepted), set(curation.rejected))
        _select_marks()
    state.load_choice = {
        "load_multi_turn": load.multi_turn,
        "load_chat_leftovers": load.chat_leftovers == "strip",
        "use_mapping": load.map is not None,
        **{f"map_{role}": (load.map or {}).get(role, default) for role, default in _MAP_DEFAULTS.items()},
    }
    for key in (*EXPORT_WIDGETS, *LOAD_WIDGETS):
        state.pop(key, None)  # each page sets its widgets from the choices above when it is next drawn
    report = state.loaded.report
    pending = []
    if load.multi_turn != report.multi_turn_policy:
        was = report.multi_turn_policy
        pending.append(f"multi-turn conversations: {load.multi_turn} (the dataset was read with {was})")
    if load.chat_leftovers != report.chat_leftovers_policy:
        was = report.chat_leftovers_policy
        pending.append(f"chat-site leftovers: {load.chat_leftovers} (the dataset was read with {was})")
    if (load.map or None) != ({k: v for k, v in (report.mapping or {}).items() if v} or None):
        pending.append("a column mapping other than the one the dataset was read with")
    return pending

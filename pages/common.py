"""State, cached loaders and safe text rendering shared by the pages.

Pages gather inputs and draw results; everything that computes lives in
mosaic_core. Heavy work is cached by dataset fingerprint and recipe, so
switching pages never recomputes it.
"""

from __future__ import annotations

import html
import os
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from mosaic_core import (
    LoadResult,
    MosaicConfig,
    MosaicError,
    MosaicRun,
    SourceTable,
    dataset_fingerprint,
    load_dataset,
)
from mosaic_core.io.source import Source
from mosaic_core.text.annotate import annotate
from mosaic_core.verify.mosaic import verify_mosaic

APP_DIR = Path(__file__).resolve().parent.parent
DEMO = APP_DIR / "mosaic_core" / "data" / "demo.jsonl"
PALETTE = ["#dbe4ff", "#d3f9d8", "#fff3bf", "#ffe3e3", "#e5dbff", "#c5f6fa", "#ffe8cc", "#f3d9fa", "#e9fac8", "#d0ebff"]


def data_dir() -> Path:
    """The folder local paths are confined to (``MOSAIC_DATA_DIR`` or .streamlit/mosaic.toml)."""
    configured = os.environ.get("MOSAIC_DATA_DIR", "")
    settings = APP_DIR / ".streamlit" / "mosaic.toml"
    if not configured and settings.exists():
        configured = str(tomllib.loads(settings.read_text(encoding="utf-8")).get("data_dir", ""))
    return Path(configured).expanduser().resolve() if configured else Path.cwd().resolve()


@st.cache_resource(show_spinner=False)
def demo_dataset() -> LoadResult:
    return load_dataset(DEMO)


def load_demo() -> None:
    demo = demo_dataset()
    set_dataset(demo, f"built-in demo dataset ({len(demo.records)} records, CC0)")


def init_state() -> None:
    """First visit: the demo dataset and the default recipe."""
    state = st.session_state
    if "loaded" not in state:
        load_demo()
    state.setdefault("recipe", MosaicConfig().to_recipe())
    state.setdefault("accepted", set())
    state.setdefault("rejected", set())
    state.setdefault("preview_start", 0)


def set_dataset(loaded: LoadResult, label: str, sha256: str | None = None) -> None:
    state = st.session_state
    state.loaded = loaded
    state.source_label = label
    state.source_sha256 = sha256
    state.fingerprint = dataset_fingerprint(loaded.records)
    state.accepted = set()
    state.rejected = set()
    state.preview_start = 0


def config() -> MosaicConfig:
    return MosaicConfig.from_recipe(st.session_state.recipe)


def set_config(new: MosaicConfig) -> None:
    if new.to_recipe() != st.session_state.recipe:
        st.session_state.recipe = new.to_recipe()
        st.session_state.accepted = set()
        st.session_state.rejected = set()


@st.cache_resource(show_spinner=False, max_entries=6)
def source_table(fingerprint: str, tokenizer: str, _loaded: LoadResult) -> SourceTable:
    """Token counts of every source, once per dataset and tokenizer."""
    bar = st.progress(0.0, text=f"Counting tokens with {tokenizer}")

    def step(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Counting tokens with {tokenizer}: {done:,} of {total:,} texts")

    table = SourceTable.build(_loaded.records, tokenizer, progress=step)
    bar.empty()
    return table


def current_table() -> SourceTable:
    state = st.session_state
    return source_table(state.fingerprint, config().tokenizer, state.loaded)


def current_run() -> MosaicRun:
    return MosaicRun(current_table(), config())


@st.cache_data(show_spinner=False, max_entries=64)
def preview_window(fingerprint: str, recipe_json: str, start: int, count: int) -> list[dict[str, Any]]:
    """Mosaics start..start+count-1 with their pieces and verdicts, as plain data."""
    run = MosaicRun(current_table(), MosaicConfig.from_json(recipe_json))
    shown = []
    for position, mosaic in enumerate(run.preview(start, count), start=start):
        verdict = verify_mosaic(mosaic, run.library, run.counter, run.config.max_tokens)
        annotated = annotate(mosaic, run.library)
        shown.append(
            {
                "position": position,
                "prompt": mosaic.prompt,
                "answer": mosaic.answer,
                "plan": mosaic.plan.to_dict(),
                "ok": verdict.ok,
                "problems": verdict.problems,
                "prompt_pieces": [(p.text, p.kind, p.item) for p in annotated.prompt],
                "answer_pieces": [(p.text, p.kind, p.item) for p in annotated.answer],
            }
        )
    return shown


def progress_step(bar: Any, what: str, every: int = 512) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that moves ``bar`` every ``every`` items."""

    def step(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            bar.progress(min(done / max(total, 1), 1.0), text=f"{what}: {done:,} of {total:,} items placed")

    return step


def show_error(exc: MosaicError) -> None:
    st.error(str(exc), icon=":material/error:")


def pieces_html(pieces: Sequence[tuple[str, str, int | None]]) -> str:
    """Coloured, escaped HTML for a mosaic's text: dataset text is never interpreted."""
    parts = []
    for text, kind, item in pieces:
        safe = html.escape(text)
        if kind == "source" and item is not None:
            parts.append(f'<span class="src" style="background:{PALETTE[item % len(PALETTE)]}">{safe}</span>')
        elif kind == "meta":
            parts.append(f'<span class="meta">{safe}</span>')
        elif kind in ("number", "wrapper"):
            parts.append(f'<span class="mark">{safe}</span>')
        else:
            parts.append(safe)
    return (
        "<style>.mosaic{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:0.85rem;"
        "line-height:1.45;border:1px solid #dee2e6;border-radius:6px;padding:0.6rem;max-height:28rem;"
        "overflow:auto}.mosaic .meta{background:#fff0f6;border-bottom:2px solid #e64980;font-weight:600}"
        ".mosaic .mark{color:#364fc7;font-weight:600}.mosaic .src{border-radius:3px}</style>"
        f'<div class="mosaic">{"".join(parts)}</div>'
    )


def load_from(source: Source, mapping: Any = None, multi_turn: str = "first") -> LoadResult:
    bar = st.progress(0.0, text=f"Loading {source.name}")

    def step(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Loading {source.name}")

    try:
        return load_dataset(source, mapping, "skip", multi_turn, progress=step)
    finally:
        bar.empty()


def piece_legend() -> None:
    st.caption("Each source item has its own colour; meta-instructions are underlined in pink; numbers in blue.")


__all__ = [
    "config",
    "current_run",
    "current_table",
    "data_dir",
    "init_state",
    "load_demo",
    "load_from",
    "piece_legend",
    "pieces_html",
    "preview_window",
    "progress_step",
    "set_config",
    "set_dataset",
    "show_error",
]

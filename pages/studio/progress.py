"""Progress bars for long steps: placing items in mosaics, reading a dataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from mosaic_core import LoadResult, Source, load_dataset

__all__ = ["load_from", "progress_step"]


def progress_step(bar: Any, what: str, every: int = 512) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that moves ``bar`` every ``every`` items."""

    def step(done: int, total: int) -> None:
        if done % every == 0 or done == total:
            bar.progress(min(done / max(total, 1), 1.0), text=f"{what}: {done:,} of {total:,} items placed")

    return step


def load_from(source: Source, mapping: Any = None, multi_turn: str = "first", leftovers: str = "keep") -> LoadResult:
    """Read ``source`` (skipping bad records) under a progress bar that goes away when done."""
    bar = st.progress(0.0, text=f"Loading {source.name}")

    def step(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Loading {source.name}")

    try:
        return load_dataset(source, mapping, "skip", multi_turn, progress=step, chat_leftovers=leftovers)
    finally:
        bar.empty()

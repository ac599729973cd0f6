"""Dataset text as coloured, escaped HTML, and the error box: text is shown, never interpreted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

import streamlit as st

from mosaic_core import MosaicError

__all__ = ["PALETTE", "colour", "literal", "piece_legend", "pieces_html", "show_error"]

_MARKDOWN = re.compile(r"([\\`*_\[\]<>$~|!#])")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

PALETTE = ["#dbe4ff", "#d3f9d8", "#fff3bf", "#ffe3e3", "#e5dbff", "#c5f6fa", "#ffe8cc", "#f3d9fa", "#e9fac8", "#d0ebff"]
STYLE = (
    "<style>.mosaic{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:0.85rem;"
    "line-height:1.45;border:1px solid #dee2e6;border-radius:6px;padding:0.6rem;max-height:28rem;"
    "overflow:auto}.mosaic .meta{background:#fff0f6;border-bottom:2px solid #e64980;font-weight:600}"
    ".mosaic .mark{color:#364fc7;font-weight:600}.mosaic .src{border-radius:3px}</style>"
)


def colour(item: int) -> str:
    """Item ``item``'s colour: ten hand-picked ones, then hues a golden angle apart, so any k stays distinct.

    >>> colour(0), colour(10) != colour(0), colour(11) != colour(10)
    ('#dbe4ff', True, True)
    """
    if item < len(PALETTE):
        return PALETTE[item]
    return f"hsl({(item * 137.508) % 360:.0f} 75% 87%)"


def pieces_html(pieces: Sequence[tuple[str, str, int | None]]) -> str:
    """Coloured, escaped HTML for a mosaic's text: dataset text is never interpreted."""
    parts = []
    for text, kind, item in pieces:
        safe = escape(text)
        if kind == "source" and item is not None:
            parts.append(f'<span class="src" style="background:{colour(item)}">{safe}</span>')
        elif kind == "meta":
            parts.append(f'<span class="meta">{safe}</span>')
        elif kind in ("number", "wrapper"):
            parts.append(f'<span class="mark">{safe}</span>')
        else:
            parts.append(safe)
    return f'{STYLE}<div class="mosaic">{"".join(parts)}</div>'


def piece_legend() -> None:
    st.caption("Each source item has its own colour; meta-instructions are underlined in pink; numbers in blue.")


def literal(text: object) -> str:
    """Text from data or from the user, for Streamlit's Markdown elements: every Markdown character escaped
    (no link, image or formula can come of it) and bidirectional controls shown by name, so a file name
    cannot pose as another.

    >>> literal("![x](http://e/i.png) a\u202etxt.exe")
    '\\\\!\\\\[x\\\\](http://e/i.png) a⟨U+202E⟩txt.exe'
    """
    escaped = _MARKDOWN.sub(r"\\\1", str(text))
    return _BIDI.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", escaped)


def show_error(exc: MosaicError | str) -> None:
    st.error(literal(exc), icon=":material/error:")

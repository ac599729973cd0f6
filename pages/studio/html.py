"""Dataset text as coloured, escaped HTML, and the error box: text is shown, never interpreted."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from html import escape

import streamlit as st

from mosaic_core import MosaicError

__all__ = ["PALETTE", "bars_html", "colour", "literal", "pair_html", "piece_legend", "pieces_html", "show_error"]

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
    return STYLE + _pieces_div(pieces)


def _pieces_div(pieces: Sequence[tuple[str, str, int | None]]) -> str:
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
    return f'<div class="mosaic">{"".join(parts)}</div>'


PAIR_STYLE = (
    "<style>.pair{display:grid;grid-template-columns:1fr 1fr;gap:0.75rem}"
    ".pair .side{min-width:0}.pair .label{font-size:0.8rem;font-weight:600;color:#495057;margin-bottom:0.2rem}</style>"
)


def pair_html(prompt: Sequence[tuple[str, str, int | None]], answer: Sequence[tuple[str, str, int | None]]) -> str:
    """A mosaic's prompt and answer side by side, as one HTML element (``pieces_html`` each).

    One element instead of two tabs or two columns: a page of ten mosaics draws about a fifth faster, and
    the answer is read next to the instructions it follows.

    >>> page = pair_html([("Say hi.", "source", 0)], [("Hi!", "source", 0)])
    >>> page.count('class="mosaic"'), page.count("<style>"), ">Prompt<" in page, ">Answer<" in page
    (2, 2, True, True)
    """
    sides = "".join(
        f'<div class="side"><div class="label">{label}</div>{_pieces_div(pieces)}</div>'
        for label, pieces in (("Prompt", prompt), ("Answer", answer))
    )
    return f'{STYLE}{PAIR_STYLE}<div class="pair">{sides}</div>'


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


BARS_STYLE = (
    "<style>.bars{font-family:sans-serif;font-size:0.8rem;color:#1f2430;padding:0.2rem 0}"
    ".bars .title{font-weight:600;font-size:0.95rem;margin-bottom:0.5rem}.bars .ytitle{color:#495057}"
    ".bars .plot{display:flex;align-items:stretch;gap:2px;height:210px;padding:0 4px;"
    "border-left:1px solid #adb5bd;border-bottom:1px solid #adb5bd}"
    ".bars .col{flex:1;min-width:1px;display:flex;flex-direction:column;justify-content:flex-end;align-items:center}"
    ".bars .value{font-size:0.7rem;color:#495057;white-space:nowrap}"
    ".bars .bar{width:100%;background:#3b5bdb;border-radius:2px 2px 0 0}"
    ".bars .axis{display:flex;gap:2px;padding:2px 4px 0}.bars .axis span{flex:1;min-width:1px;text-align:center;"
    "overflow:visible;white-space:nowrap}.bars .xtitle{text-align:center;color:#495057;margin-top:0.2rem}</style>"
)


def bars_html(shares: Mapping[int, float], title: str, x_title: str, y_title: str) -> str:
    """A bar chart in plain HTML: one bar per key, its height the share of the largest.

    The Settings page draws its k chart this way: plotly's script alone takes about a second to load
    in the browser on a first visit. Up to 20 bars are labelled with their share and every key; past
    that, keys are labelled at a step and each bar's share is in its tooltip.

    >>> page = bars_html({1: 0.25, 2: 0.75}, "Target k", "k", "share")
    >>> 'data-key="2" data-share="0.75"' in page, "75.0%" in page, page.count('class="bar"')
    (True, True, 2)
    """
    top = max(shares.values(), default=0.0) or 1.0
    many = len(shares) > 20
    step = math.ceil(len(shares) / 20)
    columns, labels = [], []
    for position, (key, share) in enumerate(shares.items()):
        tip = escape(f"{x_title} = {key}: {share:.1%}")
        value = "" if many else f'<span class="value">{share:.1%}</span>'
        height = 88 * share / top  # room above the tallest bar for its value
        columns.append(
            f'<div class="col" title="{tip}" data-key="{key}" data-share="{share:.6g}">{value}'
            f'<div class="bar" style="height:{height:.2f}%"></div></div>'
        )
        labels.append(f"<span>{key if position % step == 0 else ''}</span>")
    y_label = y_title + (f" (tallest bar {top:.1%})" if many else "")
    return (
        f'{BARS_STYLE}<div class="bars"><div class="title">{escape(title)}</div>'
        f'<div class="ytitle">{escape(y_label)}</div><div class="plot">{"".join(columns)}</div>'
        f'<div class="axis">{"".join(labels)}</div><div class="xtitle">{escape(x_title)}</div></div>'
    )

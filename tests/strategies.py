"""Hypothesis strategies for the whole suite, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from mosaic_core.records import SourceRecord

_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" .,;:!?'\"()[]{}<>-_/\\*#@$%&|~`^=+")
    + ["\n", "\t", "é", "ß", "日", "本", "😀", "ع", "\u0301", "  ", "...", "```"]
)

text = st.lists(_ALPHABET, min_size=1, max_size=40).map("".join).map(str.strip).filter(bool)
"""Short texts full of the characters that make tokenizer joints hard."""

words = st.lists(
    st.sampled_from(["alpha", "Beta", "gamma", "delta", "Echo", "fox", "42", "x"]), min_size=1, max_size=8
).map(" ".join)


@st.composite
def records(draw: st.DrawFn, min_size: int = 1, max_size: int = 14) -> list[SourceRecord]:
    """Distinct-id records with adversarial texts."""
    n = draw(st.integers(min_size, max_size))
    return [
        SourceRecord(f"r{i}", draw(text), draw(st.sampled_from(["", "", "extra input"])), draw(text)) for i in range(n)
    ]

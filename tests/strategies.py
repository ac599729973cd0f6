"""Hypothesis strategies for the whole suite, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from mosaic_core.records import Decoration, SourceRecord
from mosaic_core.rules.base import RuleInput
from mosaic_core.text.compose import Layout
from mosaic_core.text.decoration import SEPARATORS, TAG_PUNCTUATION, TAG_STYLES
from mosaic_core.text.wrappers import BRACKETS, WRAPPER_WORDS, wrapper_tags

_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" .,;:!?'\"()[]{}<>-_/\\*#@$%&|~`^=+")
    + ["\n", "\n\n", "\t", "é", "ß", "日", "本", "😀", "ع", "\u0301", "  ", "...", "```"]
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


@st.composite
def rule_inputs(draw: st.DrawFn) -> RuleInput:
    """The features of 2 to 60 instructions, as a rule sees them: word counts full of ties, or nearly without."""
    n = draw(st.integers(2, 60))
    most_words = draw(st.sampled_from([6, 10_000]))
    return RuleInput(
        words=draw(st.lists(st.integers(1, most_words), min_size=n, max_size=n)),
        chars=draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)),
        letters=draw(st.lists(st.sampled_from("abcz"), min_size=n, max_size=n)),
        keys=draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)),
        mask_ratio=draw(st.floats(0.1, 0.5)),
    )


separators = st.sampled_from(SEPARATORS)
"""Any separator the decoration draws between instructions or around meta-instructions."""

wrappers = st.one_of(
    st.none(),
    st.builds(
        wrapper_tags,
        st.integers(0, len(WRAPPER_WORDS) - 1),
        st.integers(0, len(BRACKETS) - 1),
        st.booleans(),
    ),
)
"""No wrapper, or any pair of wrapper tags."""

decorations = st.builds(
    Decoration,
    tag_style=st.integers(0, len(TAG_STYLES) - 1),
    tag_punct=st.sampled_from(TAG_PUNCTUATION),
    tag_newline=st.booleans(),
    inst_sep=separators,
    wrapper=wrappers,
    format_template=st.none(),
    format_before=st.booleans(),
    format_sep=separators,
    outer_before=st.booleans(),
    outer_sep=separators,
)
"""Every decoration the engine can draw (without a format template id)."""

layouts = st.builds(
    Layout,
    decorations,
    st.one_of(st.none(), st.just("Wrap every answer.")),
    st.one_of(st.none(), st.just("Answer in this order: 2, 1.")),
)
"""A decoration with or without a format and an order sentence."""

word_lists = st.lists(st.lists(st.sampled_from("abcd"), max_size=7), min_size=1, max_size=6)
"""Small corpora of tokenized documents over a four-word vocabulary (some documents empty)."""


def simple_rule_input(
    words: list[int], letters: str = "", chars: list[int] | None = None, ratio: float = 0.3
) -> RuleInput:
    """A hand-written rule input: word counts, first letters ("a" each by default), equal keys."""
    n = len(words)
    return RuleInput(words, chars or words, list(letters or "a" * n), [0.5] * n, ratio)

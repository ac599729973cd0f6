"""The one-pass texts of the export equal the rendered segments the counts are taken from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.records import Decoration
from mosaic_core.text.compose import Layout, answer_segments, answer_text, prompt_segments, prompt_text, render
from mosaic_core.text.decoration import BRACKETS, SEPARATORS, TAG_PUNCTUATION, TAG_STYLES, WRAPPER_WORDS, wrapper_tags
from tests.strategies import text

separators = st.sampled_from(SEPARATORS)
wrappers = st.one_of(
    st.none(),
    st.builds(
        wrapper_tags,
        st.integers(0, len(WRAPPER_WORDS) - 1),
        st.integers(0, len(BRACKETS) - 1),
        st.booleans(),
    ),
)
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
layouts = st.builds(
    Layout,
    decorations,
    st.one_of(st.none(), st.just("Wrap every answer.")),
    st.one_of(st.none(), st.just("Answer in this order: 2, 1.")),
)


@settings(max_examples=300, deadline=None)
@given(layout=layouts, texts=st.lists(text, min_size=2, max_size=24), data=st.data())
def test_one_pass_texts_equal_rendered_segments(layout: Layout, texts: list[str], data: st.DataObject) -> None:
    half = len(texts) // 2
    items = data.draw(st.lists(st.integers(0, half - 1), min_size=1, max_size=12, unique=True))
    order = data.draw(st.permutations(range(len(items))))
    kept = order[: data.draw(st.integers(0, len(order)))]
    responses = [(p + 1, half + items[p]) for p in kept]
    assert prompt_text(layout, items, texts) == render(prompt_segments(layout, items), texts)
    assert answer_text(layout, responses, texts) == render(answer_segments(layout, responses), texts)


@settings(max_examples=200, deadline=None)
@given(layout=layouts)
def test_meta_pieces_make_up_head_and_tail(layout: Layout) -> None:
    """The pieces whose counts the engine adds are head and tail, cut only after newline runs."""
    pieces = layout.meta_pieces()
    assert "".join(pieces) == layout.head() + layout.tail()
    for piece in pieces[:-1]:
        assert piece.endswith("\n")
    assert all(piece and not piece[0].isspace() for piece in pieces)

"""The one-pass texts of the export equal the rendered segments the counts are taken from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mosaic_core.text.compose import Layout, answer_segments, answer_text, prompt_segments, prompt_text, render
from tests.strategies import layouts, text


class TestOnePassTexts:
    @settings(max_examples=300, deadline=None)
    @given(layout=layouts, texts=st.lists(text, min_size=2, max_size=24), data=st.data())
    def test_one_pass_texts_equal_rendered_segments(
        self, layout: Layout, texts: list[str], data: st.DataObject
    ) -> None:
        """prompt_text and answer_text give the very text their segments render to."""
        half = len(texts) // 2
        items = data.draw(st.lists(st.integers(0, half - 1), min_size=1, max_size=12, unique=True))
        order = data.draw(st.permutations(range(len(items))))
        kept = order[: data.draw(st.integers(0, len(order)))]
        responses = [(p + 1, half + items[p]) for p in kept]
        assert prompt_text(layout, items, texts) == render(prompt_segments(layout, items), texts)
        assert answer_text(layout, responses, texts) == render(answer_segments(layout, responses), texts)


class TestLayout:
    @settings(max_examples=200, deadline=None)
    @given(layout=layouts)
    def test_meta_pieces_make_up_head_and_tail(self, layout: Layout) -> None:
        """The pieces whose counts the engine adds are head and tail, cut only after newline runs."""
        pieces = layout.meta_pieces()
        assert "".join(pieces) == layout.head() + layout.tail()
        for piece in pieces[:-1]:
            assert piece.endswith("\n")
        assert all(piece and not piece[0].isspace() for piece in pieces)

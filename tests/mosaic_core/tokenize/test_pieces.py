"""Exact piece-wise counting: a source text's tokens beside any decoration literal."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from mosaic_core.tokenize.joined import count_texts
from mosaic_core.tokenize.pieces import SourceCounts
from mosaic_core.tokenize.registry import get_tokenizer
from tests.conftest import TOKENIZERS
from tests.strategies import text

LITERALS_BEFORE = ["", "(1)", "[2]:", "### 3.", "x\n", "(1):\n", "[START]\n", "Do this.\n\n", "Q4\n"]
LITERALS_AFTER = ["", "(2) x", "[END]", "Next.", "**5**."]


class TestSourceCounts:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=60, deadline=None)
    @given(
        body=text,
        lead=st.sampled_from(["", " "]),
        trail=st.sampled_from(["", "\n", "\n\n"]),
        before=st.sampled_from(LITERALS_BEFORE),
        after=st.sampled_from(LITERALS_AFTER),
    )
    def test_piecewise_count_is_exact(
        self, name: str, body: str, lead: str, trail: str, before: str, after: str
    ) -> None:
        """Literal + text + literal counts as the sum of its pieces, as the composer joins them."""
        counter = get_tokenizer(name)
        if lead and (not before or before.endswith("\n")):
            before = "(1)"
        if not lead and before and not before.endswith("\n"):
            before += "\n"
        if not trail:
            after = ""
        sources = SourceCounts(counter, [body], [counter.count(body)])
        piece = sources.count(0, lead, trail)
        if piece is None:  # o200k after a newline with a leading "/": the engine encodes these
            assert counter.slash_merges and body.startswith("/")
        assume(piece is not None)
        total = counter.count(before) + piece + counter.count(after)
        assert total == counter.count(before + lead + body + trail + after)

    @pytest.mark.parametrize("name", TOKENIZERS)
    @pytest.mark.parametrize(
        "body", ["`\u0301'a", "`\u0301''x y", '"Hello" world', "(abc) def", "[x] y", "*\u0301a*", "-\u0300-a b"]
    )
    def test_leading_mark_that_pairs_with_the_space(self, name: str, body: str) -> None:
        """A space before a mark can move the first pre-token boundary; the count stays exact."""
        counter = get_tokenizer(name)
        sources = SourceCounts(counter, [body], [counter.count(body)])
        for trail in ("", "\n", "\n\n"):
            assert sources.count(0, " ", trail) == counter.count(" " + body + trail)
            total = sources.totals(" ", trail)[0]
            assert total in (-1, counter.count(" " + body + trail))

    @pytest.mark.parametrize("name", TOKENIZERS)
    @pytest.mark.parametrize("body", ["a/\n/", "a.\n.", "x\t!", "end;\r\n?", "a /\n//"])
    def test_trailing_punctuation_after_a_line_break(self, name: str, body: str) -> None:
        """A punctuation run after a line break may join it (o200k: "/\\n/"); the count stays exact."""
        counter = get_tokenizer(name)
        sources = SourceCounts(counter, [body], [counter.count(body)])
        for lead in ("", " "):
            for trail in ("", "\n", "\n\n"):
                assert sources.count(0, lead, trail) in (None, counter.count(lead + body + trail))

    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=30, deadline=None)
    @given(bodies=st.lists(text, min_size=1, max_size=12))
    def test_handed_corrections_equal_own(self, name: str, bodies: list[str]) -> None:
        """Counts and corrections handed over by count_texts (as forked workers do) count as a table's own."""
        counter = get_tokenizer(name)
        counts, corrections = count_texts(counter, bodies)
        handed = SourceCounts(counter, bodies, counts, corrections)
        own = SourceCounts(counter, bodies, counter.count_many(bodies))
        for index in range(len(bodies)):
            for lead in ("", " "):
                for trail in ("", "\n", "\n\n"):
                    assert handed.count(index, lead, trail) == own.count(index, lead, trail)

    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=30, deadline=None)
    @given(bodies=st.lists(text, min_size=1, max_size=12))
    @example(bodies=["/usr/bin", "a/b", "/x.", "(abc) d"])
    def test_totals_agree_with_count(self, name: str, bodies: list[str]) -> None:
        """The engine's per-text lists give count() wherever they give a number, and -1 elsewhere."""
        counter = get_tokenizer(name)
        sources = SourceCounts(counter, bodies, counter.count_many(bodies))
        for lead in ("", " "):
            for trail in ("", "\n", "\n\n"):
                totals = sources.totals(lead, trail)
                assert len(totals) == len(bodies)
                for index, total in enumerate(totals):
                    exact = sources.count(index, lead, trail)
                    if total == -1:
                        # left to count(): a real encode, or None (o200k's "/" after a newline)
                        assert exact is None or exact == counter.count(lead + bodies[index] + trail)
                    else:
                        assert total == exact
                    if exact is not None:
                        assert exact == counter.count(lead + bodies[index] + trail)

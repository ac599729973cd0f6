"""Offline vocabularies and exact piece-wise counting."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mosaic_core.errors import UnknownNameError
from mosaic_core.tokenize.joined import count_texts
from mosaic_core.tokenize.pieces import SourceCounts
from mosaic_core.tokenize.registry import available_tokenizers, get_tokenizer
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter
from mosaic_core.tokenize.vocab import BLOB_URLS, ensure_offline_vocabularies
from tests.strategies import text

TOKENIZERS = ["cl100k_base", "o200k_base", "llama3"]


class TestOfflineVocabularies:
    def test_hello_world_ids(self) -> None:
        """cl100k_base encodes "hello world" as tiktoken does online."""
        assert get_tokenizer("cl100k_base").encode("hello world") == [15339, 1917]

    def test_files_pass_tiktoken_hash(self) -> None:
        """The rewritten files carry the sha256 tiktoken expects."""
        folder = ensure_offline_vocabularies()
        expected = {"cl100k_base": "223921b76ee99bde", "o200k_base": "446a9538cb6c348e"}
        for name, url in BLOB_URLS.items():
            data = (folder / hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()).read_bytes()
            assert hashlib.sha256(data).hexdigest().startswith(expected[name])

    def test_registry_lists_names(self) -> None:
        """All three tokenizers are registered."""
        assert set(TOKENIZERS) <= set(available_tokenizers())

    def test_unknown_name_lists_known(self) -> None:
        """An unknown tokenizer names the ones that exist."""
        with pytest.raises(UnknownNameError, match="cl100k_base"):
            get_tokenizer("gpt-17")

    def test_llama3_differs_from_cl100k_on_rare_text(self) -> None:
        """Llama-3 is its own vocabulary, not an alias."""
        llama, cl = get_tokenizer("llama3"), get_tokenizer("cl100k_base")
        assert llama.encoding.n_vocab > cl.encoding.n_vocab


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
            return
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


class TestJoinedCounting:
    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=60, deadline=None)
    @given(bodies=st.lists(text | st.sampled_from(["/usr/bin", " lead", "x\ud800y", "é.", "?", "a/"]), max_size=30))
    def test_counts_equal_one_encode_per_text(self, name: str, bodies: list[str]) -> None:
        """Counts from joined encodes equal a real encode of each text, whatever its neighbours."""
        counter = get_tokenizer(name)
        counts, corrections = count_texts(counter, bodies)
        assert counts == [counter.count(body) for body in bodies]
        if corrections is not None:
            lazy = SourceCounts(counter, bodies, counts)
            eager = SourceCounts(counter, bodies, counts, corrections)
            for index in range(len(bodies)):
                assert eager.count(index, " ", "\n") == lazy.count(index, " ", "\n")

    @pytest.mark.parametrize("name", TOKENIZERS)
    @settings(max_examples=40, deadline=None)
    @given(bodies=st.lists(text, min_size=1, max_size=30))
    def test_joined_counts_are_exact_where_given(self, name: str, bodies: list[str]) -> None:
        """Every count the joined encode gives is count(text + newline); -1 only where it cannot tell."""
        counter = get_tokenizer(name)
        for body, joined in zip(bodies, counter.count_joined(bodies), strict=True):
            assert joined == -1 or joined == counter.count(body + "\n")

    def test_slash_after_punctuation_is_left_to_encode(self) -> None:
        """o200k joins "?\\n/" into one pre-token: both texts at that joint are not taken from the joined encode."""
        counter = get_tokenizer("o200k_base")
        assert counter.count_joined(["Why?", "/usr", "done"])[:2] == [-1, -1]

    def test_token_lengths_without_the_private_vocabulary(self) -> None:
        """If tiktoken stops exposing its ranks, decoding every id gives the same byte lengths."""
        counter = get_tokenizer("cl100k_base")

        class Bare:
            """The encoding's public face only."""

            _pat_str = counter.encoding._pat_str
            max_token_value = counter.encoding.max_token_value
            decode_single_token_bytes = staticmethod(counter.encoding.decode_single_token_bytes)

        bare = TiktokenCounter("bare", Bare())  # type: ignore[arg-type]
        expected = counter.token_lengths()
        assert bare.token_lengths()[: len(expected)].tolist() == expected.tolist()
        assert expected[counter.encode("hello")[0]] == len(b"hello")

"""Offline vocabularies, rewritten from the quicktok wheel into tiktoken's format."""

from __future__ import annotations

import hashlib

from mosaic_core.tokenize.registry import get_tokenizer
from mosaic_core.tokenize.vocab import BLOB_URLS, ensure_offline_vocabularies, tiktoken_text


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

    def test_llama3_differs_from_cl100k_on_rare_text(self) -> None:
        """Llama-3 is its own vocabulary, not an alias."""
        llama, cl = get_tokenizer("llama3"), get_tokenizer("cl100k_base")
        assert llama.encoding.n_vocab > cl.encoding.n_vocab

    def test_text_format_is_ordered_by_rank(self) -> None:
        """tiktoken's format: base64 token, space, rank, one line each, in rank order."""
        assert tiktoken_text([(b"b", 1), (b"a", 0)]) == b"YQ== 0\nYg== 1\n"

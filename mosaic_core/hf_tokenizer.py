"""Local Hugging Face tokenizers (``hf:/path/to/tokenizer.json``) as token counters.

A ``tokenizer.json`` can hold any model, normalizer and pre-tokenizer, so the
joint analysis of ``tokenizers.py`` does not carry over: the counter says
``additive = False`` and every count is a real encode. Nothing is downloaded;
the file must be on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tokenizers import Tokenizer

from mosaic_core.errors import ConfigError
from mosaic_core.tokenizers import TiktokenCounter

__all__ = ["HfCounter", "load_hf_tokenizer"]


class HfCounter(TiktokenCounter):
    """A ``tokenizers.Tokenizer`` behind the counter interface the engine uses.

    It subclasses ``TiktokenCounter`` only so that the tokenizer registry, which
    is typed on that class, can hold it; it shares no tiktoken state (there is no
    ``encoding``). Special tokens (BOS, EOS) are never added, as with tiktoken's
    ``encode_ordinary``.
    """

    def __init__(self, name: str, tokenizer: Tokenizer) -> None:
        self.name = name
        self.tokenizer = tokenizer
        self.slash_merges = False
        self.additive = False
        self._literals = {}

    def __repr__(self) -> str:
        return f"HfCounter(name={self.name!r})"

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self.tokenizer.encode(text, add_special_tokens=False).ids
        return ids

    def count(self, text: str) -> int:
        return len(self.encode(text))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(found.ids) for found in self.tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def count_literal(self, text: str) -> int:
        """Count a decoration string, remembering the answer."""
        cached = self._literals.get(text)
        if cached is None:
            cached = self.count(text)
            self._literals[text] = cached
        return cached

    def first_pretoken(self, text: str) -> str:
        """The text up to the end of its first pre-token ("" without a pre-tokenizer)."""
        splitter = self.tokenizer.pre_tokenizer
        if splitter is None:
            return ""
        pieces = splitter.pre_tokenize_str(text)
        return text[: pieces[0][1][1]] if pieces else ""


def load_hf_tokenizer(path: Path) -> TiktokenCounter:
    """Load a ``tokenizer.json`` (or a folder holding one) as a counter named ``hf:<path>``.

    >>> load_hf_tokenizer(Path("/no/such/tokenizer.json"))
    Traceback (most recent call last):
    ...
    mosaic_core.errors.ConfigError: no tokenizer file at /no/such/tokenizer.json; give the path of a local ...
    """
    file = path / "tokenizer.json" if path.is_dir() else path
    if not file.is_file():
        raise ConfigError(f"no tokenizer file at {file}; give the path of a local tokenizer.json")
    try:
        tokenizer = Tokenizer.from_file(str(file))
    except Exception as exc:  # the Rust side raises a bare Exception for every parse problem
        raise ConfigError(f"{file} is not a valid Hugging Face tokenizer.json ({exc})") from None
    return HfCounter(f"hf:{path}", tokenizer)

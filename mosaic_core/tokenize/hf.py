"""Local Hugging Face tokenizers (``hf:/path/to/tokenizer.json``) as token counters.

A ``tokenizer.json`` can hold any model, normalizer and pre-tokenizer, so the
joint analysis of ``pieces.py`` does not carry over: the counter says
``additive = False`` and every count is a real encode. Nothing is downloaded;
the file must be on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tokenizers import Tokenizer

from mosaic_core.errors import ConfigError

__all__ = ["HfCounter", "load_hf_tokenizer"]


class HfCounter:
    """A ``tokenizers.Tokenizer`` as a ``TokenCounter`` whose pieces do not add up.

    Special tokens (BOS, EOS) are never added, as with tiktoken's ``encode_ordinary``.
    """

    additive = False

    def __init__(self, name: str, tokenizer: Tokenizer) -> None:
        self.name = name
        self.tokenizer = tokenizer
        self._literals: dict[str, int] = {}

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


def load_hf_tokenizer(path: Path) -> HfCounter:
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

"""The tiktoken family (cl100k, o200k, Llama-3) as counters whose pieces add up."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import regex
import tiktoken
import tiktoken.load

from mosaic_core.errors import ConfigError
from mosaic_core.tokenize.counter import UNKNOWN
from mosaic_core.tokenize.vocab import LLAMA3_SHA256, ensure_offline_vocabularies, llama3_vocab_path

__all__ = ["TiktokenCounter", "llama3", "openai"]

_LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(254)]


LONG_TEXT = 1 << 22
"""Characters past which a text is counted on its own, through a numpy array of ids."""


@dataclass(eq=False)
class TiktokenCounter:
    """A tiktoken encoding with a cache for repeated decoration strings.

    >>> from mosaic_core.tokenize.registry import get_tokenizer
    >>> get_tokenizer("cl100k_base").count("hello world")
    2
    """

    name: str
    encoding: tiktoken.Encoding
    slash_merges: bool = False
    """o200k's punctuation pre-token also swallows ``/`` after newlines."""
    additive: bool = True
    _literals: dict[str, int] = field(default_factory=dict, repr=False)
    _pattern: regex.Pattern[str] = field(init=False, repr=False)
    _token_lengths: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._pattern = regex.compile(self.encoding._pat_str)

    def encode(self, text: str) -> list[int]:
        return self.encoding.encode_ordinary(text)

    def count(self, text: str) -> int:
        if len(text) > LONG_TEXT:  # a numpy array of ids: 4 bytes a token, not a Python int each
            try:
                return len(self.encoding.encode_to_numpy(text, disallowed_special=()))
            except UnicodeEncodeError:
                pass
        return len(self.encoding.encode_ordinary(text))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        encode = self.encoding.encode_ordinary
        return [len(encode(text)) for text in texts]

    def count_joined(self, texts: Sequence[str]) -> list[int]:
        """``count(text + "\\n")`` of every text, from one encode of them all joined; UNKNOWN where it cannot tell.

        A newline then a non-space character is a pre-token boundary (module docstring), so the
        encode of the joined texts is the texts' own encodes one after another: the tokens' byte
        lengths show where each text ends. This saves the cost of a call per text. Both texts at a
        joint that is not such a boundary (the second starts with whitespace, or with "/" under
        o200k) are left UNKNOWN, as is any text whose end does not fall between two tokens.
        """
        if not texts:
            return []
        if any(len(text) > LONG_TEXT for text in texts):  # counted alone (``count``): its token arrays are large
            short = [i for i, text in enumerate(texts) if len(text) <= LONG_TEXT]
            found = [UNKNOWN] * len(texts)
            for i, value in zip(short, self.count_joined([texts[i] for i in short]), strict=True):
                found[i] = value
            return found
        try:
            sizes = [len(text) if text.isascii() else len(text.encode("utf-8")) for text in texts]
            ids = self.encoding.encode_to_numpy("\n".join(texts) + "\n", disallowed_special=())
        except UnicodeEncodeError:  # lone surrogates: tiktoken would encode a repaired text
            return [UNKNOWN] * len(texts)
        token_ends = np.cumsum(self.token_lengths()[ids])
        text_ends = np.cumsum(np.array(sizes, dtype=np.int64) + 1)
        if token_ends[-1] != text_ends[-1]:  # not expected: the tokens always spell the text back
            return [UNKNOWN] * len(texts)
        last_tokens = np.searchsorted(token_ends, text_ends)  # the token that ends each text
        counts = np.diff(last_tokens, prepend=-1)
        unsure = token_ends[last_tokens] != text_ends
        unsure[:-1] |= np.array(
            [not text[0:1].strip() or (self.slash_merges and text[0] == "/") for text in texts[1:]], dtype=bool
        )
        unsure[1:] |= unsure[:-1].copy()
        counts[unsure] = UNKNOWN
        result: list[int] = counts.tolist()
        return result

    def token_lengths(self) -> np.ndarray:
        """Bytes of every token, by id."""
        if self._token_lengths is None:
            # tiktoken keeps the vocabulary in a private field; decoding every id is the slow way round.
            ranks: dict[bytes, int] | None = getattr(self.encoding, "_mergeable_ranks", None)
            if ranks is None:
                top = self.encoding.max_token_value + 1
                ranks = {}
                for token in range(top):
                    with contextlib.suppress(KeyError):
                        ranks[self.encoding.decode_single_token_bytes(token)] = token
            lengths = np.zeros(max(ranks.values()) + 1, dtype=np.int64)
            lengths[np.fromiter(ranks.values(), np.int64, len(ranks))] = np.fromiter(
                map(len, ranks), np.int64, len(ranks)
            )
            self._token_lengths = lengths
        return self._token_lengths

    def count_literal(self, text: str) -> int:
        """Count a decoration string, remembering the answer."""
        cached = self._literals.get(text)
        if cached is None:
            cached = len(self.encoding.encode_ordinary(text))
            self._literals[text] = cached
        return cached

    def first_pretoken(self, text: str) -> str:
        found = self._pattern.match(text)
        return found.group() if found else ""

    def splits_at(self, text: str, position: int) -> bool:
        """Whether a pre-token of ``text`` ends exactly at ``position``."""
        for found in self._pattern.finditer(text):
            if found.end() >= position:
                return found.end() == position
        return False


def openai(name: str, slash_merges: bool = False) -> TiktokenCounter:
    """One of OpenAI's encodings, from the offline vocabularies."""
    ensure_offline_vocabularies()
    return TiktokenCounter(name, tiktoken.get_encoding(name), slash_merges=slash_merges)


def llama3() -> TiktokenCounter:
    """Meta's Llama-3 encoding, rebuilt offline (``vocab.py``)."""
    path = llama3_vocab_path()
    ranks = tiktoken.load.load_tiktoken_bpe(str(path), expected_hash=LLAMA3_SHA256)
    if len(ranks) != 128000:
        raise ConfigError(f"the Llama-3 vocabulary at {path} has {len(ranks)} tokens, expected 128000")
    specials = {token: 128000 + i for i, token in enumerate(_LLAMA3_SPECIALS)}
    encoding = tiktoken.Encoding("llama3", pat_str=_LLAMA3_PATTERN, mergeable_ranks=ranks, special_tokens=specials)
    return TiktokenCounter("llama3", encoding)

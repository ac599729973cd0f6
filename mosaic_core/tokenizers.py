"""Token counters, looked up by name in one registry.

Counting a mosaic exactly must not mean re-tokenizing it: the text of a mosaic
is built from pieces whose counts are known (each source text is tokenized once
per tokenizer, each decoration string once per run). For the tiktoken family
the count of a concatenation is the sum of the counts of its pieces, as long as
every joint is one of the two kinds the composer produces:

* a decoration string ending in a non-space character, then ``" " + text``;
* a decoration string ending in a newline, then text that starts with a
  non-space character;

and every source text carries the newline run that follows it. The
pre-tokenizer regexes of cl100k, o200k and Llama-3 never join a newline to a
following non-space character, nor a non-space character to a following space,
so those joints are pre-token boundaries. What is left is local: a leading space
may merge into the first pre-token of the text, and a trailing newline run may
merge into its last one (punctuation absorbs newlines). ``SourceCounts`` works
those two corrections out per text, falling back to a real encode where the
analysis does not apply. ``tests/mosaic_core/test_tokenizers.py`` checks the
arithmetic against real encodes on adversarial text.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import regex
import tiktoken
import tiktoken.load

from mosaic_core.errors import ConfigError, UnknownNameError
from mosaic_core.vocab import LLAMA3_SHA256, ensure_offline_vocabularies, llama3_vocab_path

__all__ = [
    "Corrections",
    "SourceCounts",
    "TiktokenCounter",
    "TokenCounter",
    "available_tokenizers",
    "concat_counts",
    "count_texts",
    "get_tokenizer",
    "register_tokenizer",
]

ensure_offline_vocabularies()

_LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(254)]


class TokenCounter(Protocol):
    """What the engine and the statistics need from a tokenizer."""

    name: str
    additive: bool
    """True when piece-wise counting (see the module docstring) is exact."""

    def count(self, text: str) -> int: ...

    def count_many(self, texts: Sequence[str]) -> list[int]: ...

    def count_literal(self, text: str) -> int: ...


@dataclass(eq=False)
class TiktokenCounter:
    """A tiktoken encoding with a cache for repeated decoration strings.

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
        return len(self.encoding.encode_ordinary(text))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        encode = self.encoding.encode_ordinary
        return [len(encode(text)) for text in texts]

    def count_joined(self, texts: Sequence[str]) -> list[int]:
        """``count(text + "\\n")`` of every text, from one encode of them all joined; -1 where it cannot tell.

        A newline then a non-space character is a pre-token boundary (module docstring), so the
        encode of the joined texts is the texts' own encodes one after another: the tokens' byte
        lengths show where each text ends. This saves the cost of a call per text. Both texts at a
        joint that is not such a boundary (the second starts with whitespace, or with "/" under
        o200k) are left at -1, as is any text whose end does not fall between two tokens.
        """
        if not texts:
            return []
        try:
            sizes = [len(text) if text.isascii() else len(text.encode("utf-8")) for text in texts]
            ids = self.encoding.encode_to_numpy("\n".join(texts) + "\n", disallowed_special=())
        except UnicodeEncodeError:  # lone surrogates: tiktoken would encode a repaired text
            return [-1] * len(texts)
        token_ends = np.cumsum(self.token_lengths()[ids])
        text_ends = np.cumsum(np.array(sizes, dtype=np.int64) + 1)
        if token_ends[-1] != text_ends[-1]:  # not expected: the tokens always spell the text back
            return [-1] * len(texts)
        last_tokens = np.searchsorted(token_ends, text_ends)  # the token that ends each text
        counts = np.diff(last_tokens, prepend=-1)
        unsure = token_ends[last_tokens] != text_ends
        unsure[:-1] |= np.array(
            [not text[0:1].strip() or (self.slash_merges and text[0] == "/") for text in texts[1:]], dtype=bool
        )
        unsure[1:] |= unsure[:-1].copy()
        counts[unsure] = -1
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


_UNSET = object()
Corrections = tuple[list[object], list[object], list[object]]


def concat_counts(
    parts: Iterable[tuple[list[int], Corrections | None]],
) -> tuple[list[int], Corrections | None]:
    """The ``count_texts`` results of consecutive chunks, as one (corrections None if any chunk has none)."""
    counts: list[int] = []
    corrections: Corrections | None = ([], [], [])
    for part, fixes in parts:
        counts += part
        if fixes is None or corrections is None:
            corrections = None
            continue
        for whole, piece in zip(corrections, fixes, strict=True):
            whole.extend(piece)
    return counts, corrections


def count_texts(counter: TiktokenCounter, texts: Sequence[str]) -> tuple[list[int], Corrections | None]:
    """Token counts of ``texts`` and their corrections (see ``SourceCounts``), worked out together.

    Where the pieces add up, the counts come from joined encodes: ``count(text + "\\n")`` less the
    newline's correction; the rest are encoded one by one.

    >>> count_texts(get_tokenizer("cl100k_base"), ["Hello world", "Say hi."])[0]
    [2, 3]
    """
    if not counter.additive or not all(texts):  # the engine encodes whole mosaics; or nothing to correct
        return counter.count_many(texts), None
    corrections = SourceCounts(counter, texts, []).corrections()
    counts: list[int] = []
    for start in range(0, len(texts), 4096):
        counts += counter.count_joined(texts[start : start + 4096])
    newline = corrections[1]
    for index, joined in enumerate(counts):
        delta = newline[index]
        if joined < 0 or delta is None:
            counts[index] = counter.count(texts[index])
        else:
            counts[index] = joined - delta  # type: ignore[operator]
    return counts, corrections


class SourceCounts:
    """Exact counts of ``lead + text + trail`` for many texts, without re-encoding.

    ``lead`` is ``""`` or ``" "``; ``trail`` is ``""``, ``"\\n"`` or ``"\\n\\n"``. The
    corrections are worked out on first use of each text and kept in lists.
    """

    def __init__(
        self,
        counter: TiktokenCounter,
        texts: Sequence[str],
        counts: Sequence[int],
        corrections: Corrections | None = None,
    ) -> None:
        self.counter = counter
        self.texts = texts
        self.counts = counts
        size = len(texts)
        self._exact: dict[tuple[int, str, str], int] = {}
        if corrections is None:
            corrections = ([_UNSET] * size, [_UNSET] * size, [_UNSET] * size)
        self._lead, self._newline, self._blank = corrections
        self._totals: dict[tuple[str, str], list[int]] = {}
        self._columns: dict[str, np.ndarray] = {}
        """Counts and corrections as numpy columns, for ``totals``."""

    def corrections(self) -> Corrections:
        """Work out every text's corrections now (e.g. before forking workers that would each redo them)."""
        for index in range(len(self.texts)):
            if self._lead[index] is _UNSET:
                self._lead_delta(index)
            if self._newline[index] is _UNSET:
                self._trail_deltas(index)
        return self._lead, self._newline, self._blank

    def _lead_delta(self, index: int) -> int | None:
        """count(" " + text) - count(text), or None when only a real encode can tell."""
        text = self.texts[index]
        first = text[0]
        delta: int | None
        if not first.isascii() or first == "'" or first.isspace():
            delta = None
        elif first.isdigit():
            delta = self.counter.count_literal(" ")
        else:
            head = self.counter.first_pretoken(text)
            if len(head) == len(text):
                delta = None  # head and tail overlap: let a real encode decide
            elif not first.isalpha() and not self.counter.splits_at(" " + text, len(head) + 1):
                # A leading mark such as "(" or "`" may pair with the space instead, moving the
                # first boundary (o200k: " `\u0301'" is one pre-token, "`\u0301" alone another).
                delta = None
            else:
                delta = self.counter.count_literal(" " + head) - self.counter.count_literal(head)
        self._lead[index] = delta
        return delta

    @staticmethod
    def _tail_piece(text: str) -> str | None:
        """The last pre-token of a text ending in punctuation, where a newline run could merge."""
        start = len(text)
        while start > 0:
            char = text[start - 1]
            if not char.isascii() or char.isalnum() or char.isspace():
                break
            start -= 1
        if start > 0 and not text[start - 1].isascii():
            return None
        if start > 0 and text[start - 1] == " ":
            start -= 1
        return None if start == 0 else text[start:]

    def _trail_deltas(self, index: int) -> None:
        """count(text + "\\n") - count(text) and the same for "\\n\\n"; None when only an encode can tell."""
        text = self.texts[index]
        literal = self.counter.count_literal
        last = text[-1]
        newline: int | None
        blank: int | None
        if last.isascii() and last.isalnum():  # most texts: nothing can merge into the newlines
            newline, blank = literal("\n"), literal("\n\n")
        elif not last.isascii() or (piece := self._tail_piece(text)) is None:
            newline = blank = None
        else:
            base = literal(piece)
            newline, blank = literal(piece + "\n") - base, literal(piece + "\n\n") - base
        self._newline[index], self._blank[index] = newline, blank

    def count(self, index: int, lead: str = "", trail: str = "") -> int | None:
        """Tokens of ``lead + texts[index] + trail``; None if it depends on the left neighbour."""
        total = self.counts[index]
        if lead:
            delta = self._lead[index]
            if delta is _UNSET:
                delta = self._lead_delta(index)
            if delta is None:
                return self._exact_count(index, lead, trail)
            total += delta  # type: ignore[operator]
        elif self.counter.slash_merges and self.texts[index][0] == "/":
            return None
        if trail:
            if self._newline[index] is _UNSET:
                self._trail_deltas(index)
            delta = (self._newline if trail == "\n" else self._blank)[index]
            if delta is None:
                return self._exact_count(index, lead, trail)
            total += delta  # type: ignore[operator]
        return total

    def totals(self, lead: str, trail: str) -> list[int]:
        """``count(i, lead, trail)`` for every text at once, -1 where ``count`` itself must be asked.

        The engine reads these lists in its inner loop; they are worked out once per
        ``(lead, trail)`` with numpy and shared by every run over these texts.
        """
        found = self._totals.get((lead, trail))
        if found is None:
            found = self._totals[(lead, trail)] = self._vector_totals(lead, trail)
        return found

    def _vector_totals(self, lead: str, trail: str) -> list[int]:
        if not self._columns:
            self.corrections()
            unknown = -(1 << 40)  # stands for None: any sum holding it stays negative
            for name, deltas in (("", self.counts), (" ", self._lead), ("\n", self._newline), ("\n\n", self._blank)):
                self._columns[name] = np.array([unknown if d is None else d for d in deltas], dtype=np.int64)
            if self.counter.slash_merges:  # "/" after a newline joins it: count() gives None
                self._columns["/"] = np.array([text[0] == "/" for text in self.texts], dtype=bool)
        total = self._columns[""].copy()
        if lead:
            total += self._columns[lead]
        if trail:
            total += self._columns[trail]
        total[total < 0] = -1
        if not lead and self.counter.slash_merges:
            total[self._columns["/"]] = -1
        result: list[int] = total.tolist()
        return result

    def _exact_count(self, index: int, lead: str, trail: str) -> int:
        key = (index, lead, trail)
        found = self._exact.get(key)
        if found is None:
            found = self.counter.count(lead + self.texts[index] + trail)
            self._exact[key] = found
        return found


_REGISTRY: dict[str, Callable[[], TiktokenCounter]] = {}
_LOADED: dict[str, TiktokenCounter] = {}
_LOCK = threading.Lock()


def register_tokenizer(name: str, factory: Callable[[], TiktokenCounter]) -> None:
    """Make a tokenizer available under ``name``."""
    _REGISTRY[name] = factory


def available_tokenizers() -> list[str]:
    """Names that ``get_tokenizer`` accepts (besides ``hf:/path/to/tokenizer.json``)."""
    return sorted(_REGISTRY)


def get_tokenizer(name: str) -> TiktokenCounter:
    """Return the (shared, cached) counter registered under ``name``.

    >>> get_tokenizer("cl100k_base").encode("hello world")
    [15339, 1917]
    """
    with _LOCK:
        if name in _LOADED:
            return _LOADED[name]
        if name.startswith("hf:"):
            from mosaic_core.hf_tokenizer import load_hf_tokenizer  # noqa: PLC0415

            counter = load_hf_tokenizer(Path(name[3:]))
        elif name in _REGISTRY:
            counter = _REGISTRY[name]()
        else:
            raise UnknownNameError("tokenizer", name, [*_REGISTRY, "hf:<path to tokenizer.json>"])
        _LOADED[name] = counter
        return counter


def _openai(name: str, slash_merges: bool = False) -> Callable[[], TiktokenCounter]:
    def build() -> TiktokenCounter:
        return TiktokenCounter(name, tiktoken.get_encoding(name), slash_merges=slash_merges)

    return build


def _llama3() -> TiktokenCounter:
    path = llama3_vocab_path()
    ranks = tiktoken.load.load_tiktoken_bpe(str(path), expected_hash=LLAMA3_SHA256)
    if len(ranks) != 128000:
        raise ConfigError(f"the Llama-3 vocabulary at {path} has {len(ranks)} tokens, expected 128000")
    specials = {token: 128000 + i for i, token in enumerate(_LLAMA3_SPECIALS)}
    encoding = tiktoken.Encoding("llama3", pat_str=_LLAMA3_PATTERN, mergeable_ranks=ranks, special_tokens=specials)
    return TiktokenCounter("llama3", encoding)


register_tokenizer("cl100k_base", _openai("cl100k_base"))
register_tokenizer("o200k_base", _openai("o200k_base", slash_merges=True))
register_tokenizer("llama3", _llama3)

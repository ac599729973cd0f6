"""Source records prepared for the engine: texts, token counts and rule features, once.

Building a ``SourceTable`` tokenizes every source once per tokenizer; the engine,
the statistics and the app all reuse it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mosaic_core.errors import DatasetError
from mosaic_core.records import SourceRecord
from mosaic_core.rules.features import (
    alternatives,
    char_readings,
    cjk_char_readings,
    first_letter,
    spaced_word_readings,
    word_count,
    word_readings,
)
from mosaic_core.text.compose import paragraphed
from mosaic_core.text.decoration import text_clashes
from mosaic_core.text.language import detect_languages, settle
from mosaic_core.tokenize.counter import TokenCounter
from mosaic_core.tokenize.joined import concat_counts, count_texts
from mosaic_core.tokenize.parallel import count_in_parallel
from mosaic_core.tokenize.pieces import Corrections, SourceCounts
from mosaic_core.tokenize.registry import get_tokenizer

__all__ = ["Readings", "SourceTable", "dataset_fingerprint"]


def dataset_fingerprint(records: Sequence[SourceRecord]) -> str:
    """A sha256 over ids and texts: the cache key of a dataset.

    >>> len(dataset_fingerprint([SourceRecord("a", "b", "", "c")]))
    64
    """
    digest = hashlib.sha256()
    for record in records:
        for part in (record.id, record.prompt_text, record.response_text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
    return digest.hexdigest()


@dataclass(eq=False)
class SourceTable:
    """Texts at indices ``0..n-1`` are instructions, ``n..2n-1`` responses."""

    records: Sequence[SourceRecord]
    counter: TokenCounter
    texts: list[str]
    counts: list[int]
    corrections: Corrections | None = field(default=None, repr=False)
    sources: SourceCounts = field(init=False)
    ids: list[str] = field(init=False)
    lengths: list[int] = field(init=False)
    """Characters of every text, in the layout of ``texts``."""
    words: list[int] = field(init=False)
    """Words of every instruction (the rules' word counts)."""
    letters: list[str] = field(init=False)
    """First character of every instruction if it is a letter, lower-cased, or ""."""
    _readings: dict[str, dict[int, tuple[int, ...] | None]] = field(init=False, repr=False)
    _languages: list[str] | None = field(default=None, init=False, repr=False)
    _no_space: dict[int, int] = field(default_factory=dict, init=False, repr=False)
    _clashes: list[int] | None = field(default=None, init=False, repr=False)
    _paragraphs: list[bool] | None = field(default=None, init=False, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)
    """What runs over this table work out once (``generate/sources.py``), shared with forked workers."""
    main_language: str | None = field(default=None, init=False, repr=False)
    """The dataset's main language where it was settled elsewhere (a Ray block's whole dataset)."""

    def __post_init__(self) -> None:
        self.sources = SourceCounts(self.counter, self.texts, self.counts, self.corrections)
        self.ids = [record.id for record in self.records]
        self.lengths = [len(text) for text in self.texts]
        prompts = self.texts[: len(self.records)]
        self.words = [word_count(p) for p in prompts]
        self.letters = [first_letter(p) for p in prompts]
        self._readings = {unit: {} for unit in _READERS}

    def set_languages(self, languages: list[str], main: str | None = None) -> None:
        """Languages settled elsewhere (``text/language.py``), with the dataset's main language if known."""
        if len(languages) != len(self.records):
            raise ValueError("one language per record")
        self._languages, self.main_language = languages, main or None

    @property
    def languages(self) -> list[str]:
        """The detected language of every record ("" where undetermined; ``text/language.py``), on first use."""
        if self._languages is None:
            self._languages = detect_languages([record.language_text for record in self.records])
        return self._languages

    def readings(self, index: int, unit: str) -> tuple[int, ...] | None:
        """The other reasonable counts of instruction ``index`` in ``unit`` (words, chars or cjk_chars), None
        where every reading agrees with the first (worked out on first use)."""
        known = self._readings[unit]
        if index in known:
            return known[index]
        counts = _READERS[unit](self.texts[index])
        found = known[index] = None if counts.count(counts[0]) == len(counts) else counts[1:]
        return found

    def readings_of(self, positions: Sequence[int], chars: str = "chars", words: str = "words") -> Readings:
        """The other readings of these instructions' sizes, worked out only if a size rule asks.

        ``chars``: ``cjk_chars`` reads characters as Chinese and Japanese may count them (with or without
        punctuation too); ``spaced`` reads words as a sentence that states whitespace pieces does, with and
        without lone signs; ``exact`` (for either unit) has no other reading: the sentence states its unit.
        """
        return Readings(self, positions, chars, words)

    def no_space_chars(self, positions: Sequence[int]) -> list[int]:
        """Characters of these instructions, white space left out (a pack's exact ``char_unit``)."""
        found = self._no_space
        sizes = []
        for index in positions:
            size = found.get(index)
            if size is None:
                size = found[index] = len("".join(self.texts[index].split()))
            sizes.append(size)
        return sizes

    @property
    def clashes(self) -> list[int]:
        """Per record, the numbering styles that could be misread beside its instruction or response, as bits
        (``clashing_styles``), and ``STARTS_BLOCK`` if either opens with a Markdown block (on first use)."""
        if self._clashes is None:
            n, texts = len(self.records), self.texts
            self._clashes = [text_clashes(texts[i]) | text_clashes(texts[n + i]) for i in range(n)]
        return self._clashes

    @property
    def paragraphs(self) -> list[bool]:
        """Per record, whether its instruction (with its input) holds a blank line (``paragraphed``), on first use."""
        if self._paragraphs is None:
            self._paragraphs = [paragraphed(text) for text in self.texts[: len(self.records)]]
        return self._paragraphs

    @property
    def size(self) -> int:
        return len(self.records)

    @classmethod
    def from_counts(cls, records: Sequence[SourceRecord], counter: TokenCounter, counts: list[int]) -> SourceTable:
        """A table whose token counts were computed elsewhere (``counts`` in the ``texts`` layout)."""
        texts = [r.prompt_text for r in records] + [r.response_text for r in records]
        return cls(records, counter, texts, counts)

    @classmethod
    def build(
        cls,
        records: Sequence[SourceRecord],
        tokenizer: str | TokenCounter,
        progress: Callable[[int, int], None] | None = None,
        workers: int = 1,
        languages: bool = False,
    ) -> SourceTable:
        """Tokenize every source once; ``progress(done, total)`` is called along the way.

        ``workers`` > 1 forks that many processes (only from a single-threaded program). ``languages``:
        the run will ask each record's language, so the workers detect it as they count.
        """
        counter = get_tokenizer(tokenizer) if isinstance(tokenizer, str) else tokenizer
        texts = [r.prompt_text for r in records] + [r.response_text for r in records]
        for position, text in enumerate(texts):
            if not text:
                record = records[position % len(records)]
                raise DatasetError(f"record {record.id!r} has an empty instruction or response")
        labels = clashes = None
        if workers > 1 and len(texts) >= 20_000:
            heard = [record.language_text for record in records] if languages else []
            counted = count_in_parallel(counter, texts, workers, heard, marks=True)
            counts, corrections, labels, clashes = counted.counts, counted.corrections, counted.labels, counted.clashes
            if progress is not None:
                progress(len(texts), len(texts))
        else:
            step = 4096

            def chunks() -> Iterator[tuple[list[int], Corrections | None]]:
                for start in range(0, len(texts), step):
                    yield count_texts(counter, texts[start : start + step])
                    if progress is not None:
                        progress(min(start + step, len(texts)), len(texts))

            counts, corrections = concat_counts(chunks())
        table = cls(records, counter, texts, counts, corrections)
        if labels:
            table.set_languages(settle(labels))
        if clashes is not None:  # each text's, from the workers: a record's are its two texts' together
            n = len(records)
            table._clashes = [clashes[i] | clashes[n + i] for i in range(n)]
        return table


_READERS = {
    "words": word_readings,
    "spaced": spaced_word_readings,
    "chars": char_readings,
    "cjk_chars": cjk_char_readings,
}
_WIDTHS = {kind: len(reader("a")) - 1 for kind, reader in _READERS.items()}
"""How many other readings each reader gives."""


class Readings(Mapping[str, Sequence[Sequence[int]]]):
    """The other readings of the items' sizes (``rules/features.py``), looked up only if a size rule asks."""

    __slots__ = ("chars", "positions", "table", "words")

    def __init__(
        self, table: SourceTable, positions: Sequence[int], chars: str = "chars", words: str = "words"
    ) -> None:
        self.table, self.positions, self.chars, self.words = table, positions, chars, words

    def __getitem__(self, unit: str) -> list[list[int]]:
        if unit not in ("words", "chars"):
            raise KeyError(unit)
        kind = self.chars if unit == "chars" else self.words
        if kind == "exact":
            return []
        readings = self.table.readings
        per_item = [readings(i, kind) for i in self.positions]
        if all(sizes is None for sizes in per_item):
            return []  # every item reads one way: nothing else to compare
        first = self.table.words if unit == "words" else self.table.lengths
        width = _WIDTHS[kind]
        return alternatives([sizes or (first[i],) * width for i, sizes in zip(self.positions, per_item, strict=True)])

    def __iter__(self) -> Iterator[str]:
        return iter(("words", "chars"))

    def __len__(self) -> int:
        return 2

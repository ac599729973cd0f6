"""The features of an instruction that size and letter rules compare, under every reasonable reading.

A size rule must give the same answer however a reader counts, so each
instruction is measured six ways for words (whitespace pieces, runs of letters
and digits, or pieces that hold a letter or digit; the whole text or its first
line, that is without the input that follows it) and four ways for characters
(with or without white space; whole text or first line). Chinese and Japanese count characters (字数,
文字数) and may or may not count punctuation, so there each is measured six ways
(``cjk_char_readings``). The first of each is the one a rule's sentence names;
a rule applies only when all agree. Where a pack's sentences state the unit
(every built-in pack does: ``word_unit``, ``char_unit``), that count decides,
and words are read another way only without lone signs, or with each Han
character and kana as a word (``spaced_word_readings``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "alternatives",
    "char_readings",
    "cjk_char_readings",
    "first_letter",
    "spaced_word_readings",
    "word_count",
    "word_readings",
]

_HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ALNUM_RUNS = re.compile(f"[{_HAN_KANA}]|[^\\W_{_HAN_KANA}]+")
"""Runs of letters and digits; each Han character or kana one word, as word counters count Chinese and Japanese."""
_HAN_KANA_SEARCH = re.compile(f"[{_HAN_KANA}]")
_OTHER_SPACE = re.compile(r"[^\S \n]")
"""White space other than a space or a line break: a tab, a no-break space, a carriage return."""
_SPACES_AND_BREAKS = re.compile(r"[ \n]+")


def first_letter(text: str) -> str:
    """The first character of ``text``, lower-cased, if it is a letter; else "".

    An instruction that opens with a quote, a digit or a bracket has no first letter a reader
    would agree on, so alphabetical rules leave it alone; they also leave alone a letter that is
    not in the alphabet of the meta-instruction's language (``RuleInput.alphabet``).

    >>> first_letter("Quick brown"), first_letter('"Quick" brown'), first_letter("Écris"), first_letter("Опиши")
    ('q', '', 'é', 'о')
    """
    first = text[:1]
    return first.lower() if first.isalpha() else ""


_CHUNK = 1 << 20


def word_count(text: str) -> int:
    """Words as whitespace-separated pieces (a long text in chunks, so its words are never all held at once).

    >>> word_count("Sum 2 and 3."), word_count("ab " * 400_000 + "c"), word_count("x" * 3_000_000)
    (4, 400001, 1)
    """
    if len(text) <= _CHUNK:
        return len(text.split())
    total = 0
    joined = False  # the previous chunk ended inside a word
    for start in range(0, len(text), _CHUNK):
        chunk = text[start : start + _CHUNK]
        total += len(chunk.split())
        if joined and not chunk[0].isspace():
            total -= 1  # one word cut in two at the chunk boundary
        joined = not chunk[-1].isspace()
    return total


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _no_space(text: str) -> int:
    return len("".join(text.split()))


def _lettered(pieces: list[str]) -> int:
    """Whitespace pieces that hold a letter or digit (a lone "-", "?" or "»" does not)."""
    return sum(1 for piece in pieces if _ALNUM_RUNS.search(piece))


def _word_counts(text: str) -> tuple[int, int, int]:
    pieces = text.split()
    return len(pieces), len(_ALNUM_RUNS.findall(text)), _lettered(pieces)


def word_readings(text: str) -> tuple[int, ...]:
    r"""Words as whitespace pieces, as letter-and-digit runs, as pieces that hold a letter or digit (a lone
    "-" or "=" no word); then all three for the first line only.

    Chinese and Japanese put no spaces between words: there each character counts as one in the second
    reading, so a Chinese instruction in an English mosaic never passes for a one-word one.

    >>> word_readings('String s = "Hi";\nin Java')
    (6, 5, 5, 4, 3, 3)
    >>> word_readings("写一首诗 about autumn")
    (3, 6, 3, 3, 6, 3)
    """
    whole = _word_counts(text)
    if "\n" not in text:  # most instructions: one line, no input
        return (*whole, *whole)
    return (*whole, *_word_counts(_first_line(text)))


def spaced_word_readings(text: str) -> tuple[int, int, int, int]:
    r"""Words as whitespace pieces, with lone signs and without them (a piece without a letter or digit); then,
    where Chinese or Japanese is written, each Han character or kana as a word; then, word for word as the
    sentences say it, runs of characters between spaces or line breaks (a tab or a no-break space inside a
    run then splits nothing).

    The unit sentences state for languages that space their words (a pack's ``word_unit``); French
    sets "?", ":" and "»" apart with spaces, Russian its dashes, and a reader may not count those. A
    Chinese sentence is one whitespace piece, yet no reader takes it for one word: an English mosaic
    with a Chinese item never orders it by its spaces. A table pasted with tabs is many words to one
    reader and few to another, so only an order both give stands.

    >>> spaced_word_readings("Qui a écrit « Les Misérables » ?"), spaced_word_readings("x = 5")
    ((8, 5, 5, 8), (3, 2, 2, 3))
    >>> spaced_word_readings("写一首诗 about autumn"), spaced_word_readings("name\tage\nAda\t36 \t ")
    ((3, 3, 6, 3), (4, 4, 4, 2))
    """
    pieces = text.split()
    lettered = _lettered(pieces)
    cjk = len(_ALNUM_RUNS.findall(text)) if _HAN_KANA_SEARCH.search(text) else lettered
    if _OTHER_SPACE.search(text) is None:
        return len(pieces), lettered, cjk, len(pieces)
    literal = sum(1 for run in _SPACES_AND_BREAKS.split(text) if run and not run.isspace())
    return len(pieces), lettered, cjk, literal


def char_readings(text: str) -> tuple[int, int, int, int]:
    r"""Characters with and without white space; then both for the first line only.

    >>> char_readings("ab c\nd")
    (6, 4, 4, 3)
    """
    whole = len(text), _no_space(text)
    if "\n" not in text:
        return (*whole, *whole)
    first = _first_line(text)
    return (*whole, len(first), _no_space(first))


def _no_punct(text: str) -> int:
    return sum(1 for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


def cjk_char_readings(text: str) -> tuple[int, ...]:
    r"""Characters with white space, without it, and without punctuation either; then all three for the first line.

    >>> cjk_char_readings("写一首诗，关于秋天。\n秋天")
    (13, 12, 10, 10, 10, 8)
    """
    whole = len(text), _no_space(text), _no_punct(text)
    if "\n" not in text:
        return (*whole, *whole)
    first = _first_line(text)
    return (*whole, len(first), _no_space(first), _no_punct(first))


def alternatives(per_item: Sequence[Sequence[int]]) -> list[list[int]]:
    """Per-item alternative readings turned into one list of sizes per reading, as rules compare them.

    >>> alternatives([(6, 5, 4), (2, 2, 2)])
    [[6, 2], [5, 2], [4, 2]]
    """
    return [list(column) for column in zip(*per_item, strict=True)]

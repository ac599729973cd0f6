"""Exact token counts of pieces, without re-tokenizing whole mosaics.

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
analysis does not apply. ``tests/mosaic_core/tokenize/test_pieces.py`` checks the
arithmetic against real encodes on adversarial text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mosaic_core.tokenize.counter import UNKNOWN, TokenCounter
from mosaic_core.tokenize.tiktoken_counter import TiktokenCounter

__all__ = ["Corrections", "SourceCounts"]

Corrections = tuple[list[int | None], list[int | None], list[int | None]]
"""Per text: the count change of a leading space, a trailing newline, a trailing blank line; None where only
a real encode can tell."""


class SourceCounts:
    """Exact counts of ``lead + text + trail`` for many texts, without re-encoding.

    ``lead`` is ``""`` or ``" "``; ``trail`` is ``""``, ``"\\n"`` or ``"\\n\\n"``. The
    corrections are worked out on first use of each text and kept in lists.
    """

    def __init__(
        self,
        counter: TokenCounter,
        texts: Sequence[str],
        counts: Sequence[int],
        corrections: Corrections | None = None,
    ) -> None:
        self.counter = counter
        self.texts = texts
        self.counts = counts
        self._exact: dict[tuple[int, str, str], int] = {}
        self._totals: dict[tuple[str, str], list[int]] = {}
        self._columns: dict[str, np.ndarray] = {}
        """Counts and corrections as numpy columns, for ``totals``."""
        self._pieces = counter if isinstance(counter, TiktokenCounter) and counter.additive else None
        if corrections is None:
            corrections = self._work_out() if self._pieces is not None else ([], [], [])
        self._lead, self._newline, self._blank = corrections

    @property
    def corrections(self) -> Corrections:
        return self._lead, self._newline, self._blank

    def _work_out(self) -> Corrections:
        """Every text's corrections (only for a counter whose pieces add up).

        One pass with the answers kept by first pre-token and by last punctuation run: most texts
        share them ("Write", "Explain", "."), so few need counting.
        """
        counter = self._pieces
        assert counter is not None  # noqa: S101  (only called for additive counters)
        literal, first_pretoken, splits_at = counter.count_literal, counter.first_pretoken, counter.splits_at
        space, newline, blank = literal(" "), literal("\n"), literal("\n\n")
        by_dot = (literal(".\n") - literal("."), literal(".\n\n") - literal("."))
        by_head: dict[str, int] = {}
        by_tail: dict[str, tuple[int, int]] = {}
        leads: list[int | None] = []
        newlines: list[int | None] = []
        blanks: list[int | None] = []
        for text in self.texts:
            first = text[0]
            lead: int | None = None
            if not first.isascii() or first == "'" or first.isspace():
                pass
            elif first.isdigit():
                lead = space
            else:
                head = first_pretoken(text)
                if len(head) == len(text):
                    pass  # head and tail overlap: let a real encode decide
                elif not first.isalpha() and not splits_at(" " + text, len(head) + 1):
                    # A leading mark such as "(" or "`" may pair with the space instead, moving the
                    # first boundary (o200k: " `\u0301'" is one pre-token, "`\u0301" alone another).
                    pass
                elif (lead := by_head.get(head)) is None:
                    lead = by_head[head] = literal(" " + head) - literal(head)
            leads.append(lead)
            last = text[-1]
            if last.isascii() and last.isalnum():  # most texts: nothing can merge into the newlines
                newlines.append(newline)
                blanks.append(blank)
            elif last == "." and text[-2:-1].isalnum() and text[-2].isascii():
                newlines.append(by_dot[0])  # the commonest end by far: a full stop after a word
                blanks.append(by_dot[1])
            elif not last.isascii() or (piece := _tail_piece(text)) is None:
                newlines.append(None)
                blanks.append(None)
            else:
                found = by_tail.get(piece)
                if found is None:
                    base = literal(piece)
                    found = by_tail[piece] = (literal(piece + "\n") - base, literal(piece + "\n\n") - base)
                newlines.append(found[0])
                blanks.append(found[1])
        return leads, newlines, blanks

    def count(self, index: int, lead: str = "", trail: str = "") -> int | None:
        """Tokens of ``lead + texts[index] + trail``; None if it depends on the left neighbour."""
        total = self.counts[index]
        if self._pieces is None:
            return self._exact_count(index, lead, trail)
        if lead:
            delta = self._lead[index]
            if delta is None:
                return self._exact_count(index, lead, trail)
            total += delta
        elif self._pieces.slash_merges and self.texts[index][0] == "/":
            return None
        if trail:
            delta = (self._newline if trail == "\n" else self._blank)[index]
            if delta is None:
                return self._exact_count(index, lead, trail)
            total += delta
        return total

    def totals(self, lead: str, trail: str) -> list[int]:
        """``count(i, lead, trail)`` for every text at once, UNKNOWN where ``count`` itself must be asked.

        The engine reads these lists in its inner loop; they are worked out once per
        ``(lead, trail)`` with numpy and shared by every run over these texts.
        """
        found = self._totals.get((lead, trail))
        if found is None:
            found = self._totals[(lead, trail)] = self._vector_totals(lead, trail)
        return found

    def _vector_totals(self, lead: str, trail: str) -> list[int]:
        columns = self._columns
        if not columns:
            columns[""] = np.array(self.counts, dtype=np.int64)
            for name, deltas in ((" ", self._lead), ("\n", self._newline), ("\n\n", self._blank)):
                columns[name] = np.array([0 if d is None else d for d in deltas], dtype=np.int64)
                columns[name + "?"] = np.array([d is None for d in deltas], dtype=bool)
            pieces = self._pieces
            if pieces is not None and pieces.slash_merges:  # "/" after a newline joins it: count() gives None
                columns["/?"] = np.array([text[0] == "/" for text in self.texts], dtype=bool)
        total = columns[""].copy()
        unknown = np.zeros(len(total), dtype=bool)
        if lead:
            total += columns[lead]
            unknown |= columns[lead + "?"]
        elif "/?" in columns:
            unknown |= columns["/?"]
        if trail:
            total += columns[trail]
            unknown |= columns[trail + "?"]
        total[unknown] = UNKNOWN
        result: list[int] = total.tolist()
        return result

    def _exact_count(self, index: int, lead: str, trail: str) -> int:
        key = (index, lead, trail)
        found = self._exact.get(key)
        if found is None:
            found = self.counter.count(lead + self.texts[index] + trail)
            self._exact[key] = found
        return found


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
    elif start > 0 and text[start - 1].isspace():
        return None  # o200k's punctuation pre-token runs on over newlines ("/\n/"): only an encode can tell
    return None if start == 0 else text[start:]

"""What chat sites leave at the end of a turn copied from their page, and how a run may take it off.

ShareGPT-style dumps carry the page's own words after the user's text: a version counter ("2 / 2"),
the labels of buttons ("Share Prompt", "Translate now"). They are not the user's words. Finding
turns always reads past them (``conversation.py``); taking them off the text is a choice of the run
(``--chat-leftovers strip``), counted in the load report, because it changes the data.
"""

from __future__ import annotations

import re

__all__ = ["SITE_WORDS", "strip_leftovers"]

SITE_WORDS = ("Share Prompt", "Copy to Clipboard", "Translate now", "지금 번역하기")
"""Labels of chat-site buttons found glued to the end of copied turns."""

_COUNTER = (
    r"(?:(?<=[^\W\d_]{2})|(?<=[.?!:;)\]\u200b]))\d{1,3} / \d{1,3}"  # glued to a word or a sentence: "ls1 / 1"
    r"|(?:(?<=[.?!:;)\]]\s)|(?<=\n)|^)(?P<n>\d{1,3}) / (?P=n)"  # a line or sentence of its own: "done. 2 / 2"
)
_LEFTOVER = re.compile(
    r"(?:[\s\u200b]*(?:" + _COUNTER + "|" + "|".join(map(re.escape, SITE_WORDS)) + r"|\+→))+[\s\u200b]*$"
)


_TAIL = 200
_ENDS = (*"0123456789→", *SITE_WORDS)
_LOOK_CLOSER = frozenset("0123456789→\u200b" + "".join(word[-1] for word in SITE_WORDS))
"""Last characters worth a closer look: most texts end otherwise, and are returned at once."""


def strip_leftovers(text: str) -> str:
    """``text`` without what chat sites leave at its end, or ``text`` itself where nothing is left there.

    A version counter is taken only where it cannot be the user's: glued to the word (of two letters or more)
    or the sentence before it, or, both numbers equal, after a line break or the end of a sentence ("What is
    2 / 2" keeps its fraction, "x = a1 / 2" its variable).

    >>> [strip_leftovers(text) for text in ("cd Desktop1 / 1", "Is it?\\n\\n 지금 번역하기", "What is 2 / 2")]
    ['cd Desktop', 'Is it?', 'What is 2 / 2']
    """
    last = text[-1:]
    if not last or (last not in _LOOK_CLOSER and not last.isspace()):
        return text
    bare = text.rstrip()
    while bare.endswith("\u200b"):  # a zero-width space, which is not white space to str.strip
        bare = bare[:-1].rstrip()
    if not bare.endswith(_ENDS):
        return text
    found = _LEFTOVER.search(bare, max(0, len(bare) - _TAIL))  # leftovers are short: a long text costs nothing
    return text if found is None else bare[: found.start()]

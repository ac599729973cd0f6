"""Instructions that speak to the whole conversation rather than to their own task.

"From now on, answer as a pirate", "Ignore all previous instructions", "...
Do you understand?", a bare "continue": in a chat each is a turn about the
turns around it. Numbered among other instructions, it would reach past its own
number, over the other instructions and the meta-instruction, so the mosaic
would read two ways (does "from now on" hold for instruction 3?). The engine
keeps such records out of mosaics (``conversation_items: apart``, listed in
the manifest with the words found) unless the recipe mixes them in.

Each pack lists its language's words (``conversation`` in ``text/packs/*.json``):
patterns found anywhere in the instruction, endings, whole instructions, patterns
found in its opening sentence (the first line's first ``_OPENING`` characters),
where "the above passage" can only point before the item, and patterns that close
an instruction with no input ("Caption the following photo."): in a mosaic the next
instruction is what follows it. Three more read the answer: its opening, where it
only waits for the user's text ("Please provide the article."), or shows the item
leans on what the record does not hold, an earlier turn ("I apologize for the
confusion.") or a text never given ("You haven't provided any code."); and a short
answer's last sentence, which asks for that text ("…Please provide the transcript.").
English is read in every record, since it turns up in data of any language. Of the
instruction, only its own words are read, not its input (it may be a chat log).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from functools import cache

from mosaic_core.text.leftovers import SITE_WORDS
from mosaic_core.text.pack import Pack

__all__ = ["CLOSING_TAIL", "conversation_phrases"]

_SEPARATOR = "\x00"
_END_MARKS = " \t\r\n.!?…,:;。！？，：；、\"'“”»«)"
_LONGEST = 60
_OPENING = 200
_CLOSING = 100
_ANSWER_LONGEST = 400
_ANSWER_OPENING = 100
CLOSING_TAIL = "[\\s.:?!…。：？！]*(?=\x00)"
"""What may follow a closing pattern up to the end of the instruction (the separator after each text joined)."""
_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])")  # where one sentence ends and the next begins
_SENTENCE_END = re.compile(r"[.!?;:]\s|[。！？；：]")
_SITE_WORDS = tuple(word.lower() for word in SITE_WORDS)
_LEFTOVERS = re.compile(r"(?:\s*(?:\d+ / \d+|" + "|".join(map(re.escape, _SITE_WORDS)) + r"|\+?→))+\s*$")
"""What chat sites leave at the end of a turn copied from their page (a page counter "2 / 2", "Share Prompt",
a translate button): read past it, so that "continue please+→" is still a bare "continue please". More
leniently than ``strip_leftovers`` takes them off the text: here a counter after a word ("continue 1 / 1") is
read past too, since only finding turns depends on it."""
_LEFTOVER_ENDS = (*"0123456789→ \n", *_SITE_WORDS)


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[Finder, ...]:
    return tuple(Finder(pattern) for pattern in patterns)


class Finder:
    r"""A pattern's ``finditer``, fast where it opens with ``\b``.

    Python's re looks for a pattern's literal opening in C, but tries a leading ``\b`` at every position of
    the text: over a dataset's instructions joined, ``\bjust (?:acknowledge|confirm)\b`` takes 40 times as
    long as ``just (?:acknowledge|confirm)\b``. So the rest is searched for and the boundary checked here;
    the matches are the same, as a test holds.

    >>> [m.group() for m in Finder(r"\bsay (?:hi|yes)").finditer("essay hi, say yes")]
    ['say yes']
    """

    __slots__ = ("rest", "whole")

    def __init__(self, pattern: str) -> None:
        self.whole = re.compile(pattern)
        bounded = pattern.startswith("\\b") and not _branches(pattern[2:])
        self.rest = re.compile(pattern[2:]) if bounded else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The matches ``re.finditer`` gives, in a list."""
        if self.rest is None:
            return list(self.whole.finditer(text))
        found = []
        search, position = self.rest.search, 0
        while (match := search(text, position)) is not None:
            start = match.start()
            if match.end() == start:  # where a match may be empty, re's rules for the next one apply
                return list(self.whole.finditer(text))
            if _is_word(text, start - 1) != _is_word(text, start):
                found.append(match)
                position = match.end()
            else:
                position = start + 1
        return found


def _is_word(text: str, index: int) -> bool:
    """Whether ``text[index]`` is a character ``\\w`` matches (none outside the text)."""
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return char.isalnum() or char == "_"


def _branches(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside any group or character class (two patterns, not one)."""
    depth, index, in_class = 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":  # a "]" first in a class is a literal
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


def conversation_phrases(
    instructions: Sequence[str],
    languages: Sequence[str],
    packs: Mapping[str, Pack],
    every: str = "en",
    open_ended: Sequence[bool] | None = None,
    answers: Sequence[str] | None = None,
) -> list[str]:
    """Per instruction, the words by which it speaks to the whole conversation ("" where it does not).

    ``languages[i]`` names the pack instruction i is read with, besides ``every``'s (read for all).
    ``open_ended[i]``: instruction i has no input, so words that close it pointing to a text after it point
    to nothing of its own (None: no instruction is read so). ``answers[i]``: the response to instruction i,
    found when it only waits for the user's text ("Please provide the article."): the instruction set up a
    later turn; or when it takes up an earlier turn or says the text is missing ("I apologize for the
    confusion.", "You haven't provided any code."): the instruction leans on what the record does not hold
    (None: no answer is read).

    >>> from mosaic_core.text.templates import builtin_library
    >>> packs = builtin_library().packs
    >>> texts = ["From now on, answer as a pirate.", "Name a colour.", "继续", "Ist das klar?", "Sum up the above."]
    >>> conversation_phrases(texts, ["en", "en", "zh", "de", "en"], packs)
    ['from now on', '', '继续', 'ist das klar', 'the above']
    >>> conversation_phrases(["Caption the following photo.", "Caption the following photo."], ["en"] * 2, packs,
    ...                      open_ended=[True, False])
    ['the following photo', '']
    """
    found = [""] * len(instructions)
    groups: dict[str, list[int]] = {every: list(range(len(instructions)))} if every in packs else {}
    for position, language in enumerate(languages):
        if language != every and language in packs:
            groups.setdefault(language, []).append(position)
    for language, positions in groups.items():
        _search([instructions[p].lower() for p in positions], positions, packs[language], found, open_ended, answers)
    return found


def _search(
    texts: list[str],
    positions: list[int],
    pack: Pack,
    found: list[str],
    open_ended: Sequence[bool] | None,
    answers: Sequence[str] | None = None,
) -> None:
    """Mark ``found[positions[i]]`` for every text the pack's words find (texts lower-cased)."""
    anywhere, endings, whole, opening, closing, waiting, leaning, asking = pack.conversation
    if anywhere:
        # One pass of each pattern over all the texts joined: far fewer calls than a search per text.
        joined = _SEPARATOR.join(texts)
        starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
        for pattern in _compiled(anywhere):
            for match in pattern.finditer(joined):
                phrase = match.group()
                index = bisect.bisect_right(starts, match.start()) - 1
                if _SEPARATOR not in phrase and not found[positions[index]]:
                    found[positions[index]] = phrase[:_LONGEST]
    if opening:
        _search_openings(texts, positions, opening, found)
    if closing and open_ended is not None:
        _search_closings(texts, positions, closing, open_ended, found)
    if (waiting or leaning or asking) and answers is not None:
        replies = [answers[p] for p in positions]
        if waiting:
            _search_answers(replies, positions, waiting, found, _ANSWER_LONGEST)
        if leaning:
            _search_answers(replies, positions, leaning, found)
        if asking:
            _search_last_sentences(replies, positions, asking, found)
    if endings or whole:
        ends, alone = tuple(endings), frozenset(whole)
        for index, text in enumerate(texts):
            position = positions[index]
            if found[position]:
                continue
            # Most texts end otherwise, and skip the search for what a chat site leaves.
            bare = (_LEFTOVERS.sub("", text) if text.endswith(_LEFTOVER_ENDS) else text).strip(_END_MARKS)
            if bare in alone:
                found[position] = bare[:_LONGEST]
            elif ends and bare.endswith(ends):
                found[position] = _ending(bare, ends, pack.has_words)


def _search_answers(
    answers: list[str], positions: list[int], patterns: tuple[str, ...], found: list[str], longest: int = 0
) -> None:
    """Mark the items whose answer opens with one of ``patterns``: an answer that only waits for the user's text
    ("Sure! Please provide the article.", "Acknowledged."; read only in answers of at most ``longest``
    characters), or one that takes up an earlier turn or says the text is missing ("I apologize for the
    confusion. Here is…", "You haven't provided any code."; ``longest`` 0: any answer, from its first
    ``_ANSWER_OPENING`` characters). Either way, the instruction leans on what the mosaic does not hold."""
    matcher = _matcher(patterns)
    for answer, position in zip(answers, positions, strict=True):
        if found[position]:
            continue
        if longest:
            if len(answer) > longest and len(answer.strip()) > longest:
                continue
            opening = answer.strip().lower()
        else:
            opening = answer.lstrip()[:_ANSWER_OPENING].lower()
        match = matcher.match(opening)
        if match is not None:
            found[position] = f"answer: {match.group().strip()}"[:_LONGEST]


def _search_last_sentences(
    answers: list[str], positions: list[int], patterns: tuple[str, ...], found: list[str]
) -> None:
    """Mark the items whose short answer closes on a one-line sentence that opens with one of ``patterns``: it
    asks for the user's text ("Sure, I can do that. Please provide me with the transcript.")."""
    matcher = _matcher(patterns)
    for answer, position in zip(answers, positions, strict=True):
        text = answer.strip()
        if found[position] or len(text) > _ANSWER_LONGEST:
            continue
        last = _LAST_SENTENCE.split(text.lower())[-1]
        if "\n" not in last and matcher.match(last) is not None:
            found[position] = f"answer: {last}"[:_LONGEST]


@cache
def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """The patterns as one, tried in their order: one call per answer."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _search_openings(texts: list[str], positions: list[int], patterns: tuple[str, ...], found: list[str]) -> None:
    """Mark the texts whose opening sentence holds one of ``patterns`` (its first line, at most ``_OPENING``
    characters, up to the first sentence end). Like ``anywhere``, each pattern runs once over all the
    openings joined; a match of one word ("above", after a lookbehind) is shown with the word before it."""
    heads = [text[:_OPENING].partition("\n")[0] for text in texts]
    joined = _SEPARATOR.join(heads)
    starts = list(itertools.accumulate((len(head) + 1 for head in heads), initial=0))
    for pattern in _compiled(patterns):
        for match in pattern.finditer(joined):
            index = bisect.bisect_right(starts, match.start()) - 1
            begin = match.start()
            if found[positions[index]] or _SENTENCE_END.search(joined, starts[index], begin):
                continue
            if " " not in match.group() and begin > starts[index] and joined[begin - 1] == " ":  # the word before
                begin = max(joined.rfind(" ", starts[index], begin - 1) + 1, starts[index])
            found[positions[index]] = joined[begin : match.end()][:_LONGEST]


def _search_closings(
    texts: list[str], positions: list[int], patterns: tuple[str, ...], open_ended: Sequence[bool], found: list[str]
) -> None:
    """Mark the texts with no input that close with one of ``patterns``, only end marks after it (each text's
    last ``_CLOSING`` characters, joined as ``anywhere``'s are)."""
    chosen = [i for i, position in enumerate(positions) if open_ended[position] and not found[position]]
    tails = [texts[i].rstrip()[-_CLOSING:] for i in chosen]
    joined = _SEPARATOR.join(tails) + _SEPARATOR
    starts = list(itertools.accumulate((len(tail) + 1 for tail in tails), initial=0))
    for pattern in _compiled(tuple(pattern + CLOSING_TAIL for pattern in patterns)):
        for match in pattern.finditer(joined):
            position = positions[chosen[bisect.bisect_right(starts, match.start()) - 1]]
            if not found[position]:
                found[position] = match.group().rstrip(_END_MARKS)[:_LONGEST]


def _ending(text: str, ends: tuple[str, ...], spaced: bool) -> str:
    """The ending ``text`` closes with, where it is whole words ("" if only part of a word is)."""
    for end in ends:
        if text.endswith(end) and (not spaced or len(text) == len(end) or not text[-len(end) - 1].isalnum()):
            return end
    return ""

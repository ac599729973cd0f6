"""A template pack: one language's meta-instruction sentences and what its sentences need to be read.

A pack is data, one JSON file per language in ``text/packs/`` (the format is in
``docs/template_packs.md``). Besides its templates it says how its language
writes the values a rule names (lists of numbers, the noun, plural forms), which
rules mean something in it (alphabetical order only where the script has one,
word counts only where words are separated by spaces), the cue words that
let the checker hold a sentence's declared place and claims to its words, and
the words by which an instruction speaks to the whole conversation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mosaic_core.errors import TemplateError
from mosaic_core.rules.registry import RULES

__all__ = ["CUE_KINDS", "REFERENCE_COUNTS", "Pack", "plural_category"]

CUE_KINDS = ("before", "after", "all", "given_order", "plural", "answers", "each", "rest", "classes")
"""What cues reveal: the two places a sentence can point to, and the seven claims (``text/meaning.py``)."""
_UNITS = ("words", "chars")
_TALK = ("anywhere", "ending", "whole", "opening", "closing", "waiting", "leaning", "asking")
REFERENCE_COUNTS = {
    "format.wrapper": 30,
    "format.plain": 7,
    "permute.fix": 7,
    "permute.reverse": 7,
    "permute.alphabetical": 8,
    "permute.reverse_alphabetical": 8,
    "permute.shortest_words": 7,
    "permute.longest_words": 5,
    "permute.shortest_chars": 8,
    "permute.longest_chars": 8,
    "permute.odd_first": 9,
    "permute.even_first": 9,
    "maskout.fix": 9,
    "maskout.longest_words": 7,
    "maskout.shortest_words": 6,
    "maskout.odd": 11,
    "maskout.even": 10,
}
"""Sentences per family in the reference script (spec section 2): the least every pack must have."""


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category of a whole number in a pack's language.

    >>> [plural_category("ru", n) for n in (1, 2, 5, 11, 21, 22)]
    ['one', 'few', 'many', 'many', 'one', 'few']
    >>> plural_category("en", 1), plural_category("fr", 0), plural_category("zh", 1)
    ('one', 'one', 'other')
    """
    language = language.split("-", 1)[0]  # a script (zh-Hant) writes the language's numbers as it does
    if language in ("zh", "ja"):
        return "other"
    if language == "ru":
        if count % 10 == 1 and count % 100 != 11:
            return "one"
        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            return "few"
        return "many"
    if language == "fr":
        return "one" if count in (0, 1) else "other"
    return "one" if count == 1 else "other"


@dataclass(frozen=True, slots=True)
class Pack:
    """One language's conventions; its templates live in the ``TemplateLibrary``."""

    language: str
    name: str
    sentence_end: str = "."
    terminals: str = ".!?"
    alphabet: str = "abcdefghijklmnopqrstuvwxyz"
    """Lower-case letters in alphabetical order; empty where the script has no alphabetical order."""
    size_units: tuple[str, ...] = _UNITS
    word_unit: str = ""
    """``spaces``: every sentence of the word families states this unit (any run of characters between white
    space, in the instruction and its input), so rules count it, and apply only where a lone sign (a piece
    without a letter or digit, as French spaces "?" apart) left uncounted would not change the answer; empty:
    they apply only where every reasonable reading of "words" agrees."""
    char_unit: str = ""
    """``no_space``: every sentence of the character families states this exact unit (all characters of the
    instruction and its input, punctuation included, white space not), so rules count it alone; empty: they
    apply only where every reasonable reading of "characters" agrees (``rules/features.py``)."""
    list_sep: str = ", "
    list_last: str = " and "
    order_sep: str = ", "
    noun_one: str = "instruction"
    noun_other: str = "instructions"
    cues: Mapping[str, re.Pattern[str] | None] | None = None
    conversation: tuple[tuple[str, ...], ...] = ((), (), (), (), (), (), (), ())
    """How an instruction in this language speaks to the whole conversation (``text/conversation.py``): patterns
    found anywhere, endings, whole instructions, patterns found at its opening, patterns that close an
    instruction with no input by pointing to a text after it, patterns of an answer that only waits for the
    user's text ("Please provide the article."), and patterns of an answer that takes up an earlier turn or
    says the text is missing ("I apologize for the confusion.", "You haven't provided any code."), and patterns
    of a short answer's last sentence that asks for the user's text ("…Please provide me with the transcript.");
    all lower case."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], compile_words: bool = True) -> Pack:
        """A pack from its file's JSON, checked field by field.

        ``compile_words`` False leaves the conversation patterns to be compiled where a run reads them
        (``text/conversation.py``): the shipped packs, whose every pattern a test compiles, load that way, and
        a run compiles only the languages it meets, once (about 0.3 s less at every start).
        """
        try:
            language = str(data["language"])
            listing = dict(data.get("list") or {})
            noun = dict(data.get("noun") or {})
            units = tuple(str(u) for u in data.get("size_units", _UNITS))
            talk = dict(data.get("conversation") or {})
            if set(talk) - set(_TALK):
                raise TemplateError(f"pack {language!r}: conversation holds only {', '.join(_TALK)}")
            conversation = tuple(tuple(str(p) for p in talk.get(part) or ()) for part in _TALK)
            if compile_words:
                for part in (0, 3, 4, 5, 6, 7):
                    for pattern in conversation[part]:
                        re.compile(pattern)  # matched against lower-cased text, so in lower case (escapes aside)
            if any(re.sub(r"\\.", "", p) != re.sub(r"\\.", "", p).lower() for part in conversation for p in part):
                raise TemplateError(f"pack {language!r}: write the conversation words in lower case")
            cues: dict[str, re.Pattern[str] | None] = {}
            for kind, patterns in dict(data.get("cues") or {}).items():
                if kind not in CUE_KINDS:
                    raise TemplateError(f"pack {language!r}: unknown cue kind {kind!r}; known: {', '.join(CUE_KINDS)}")
                joined = "|".join(f"(?:{p})" for p in patterns)
                cues[kind] = re.compile(joined, re.IGNORECASE) if patterns else None
            pack = cls(
                language=language,
                name=str(data.get("name", language)),
                sentence_end=str(data.get("sentence_end", ".")),
                terminals=str(data.get("terminals", ".!?")),
                alphabet=str(data.get("alphabet", "")),
                size_units=units,
                char_unit=str(data.get("char_unit", "")),
                word_unit=str(data.get("word_unit", "")),
                list_sep=str(listing.get("sep", ", ")),
                list_last=str(listing.get("last", " and ")),
                order_sep=str(data.get("order_sep", ", ")),
                noun_one=str(noun.get("one", "")),
                noun_other=str(noun.get("other", "")),
                cues=cues,
                conversation=conversation,
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise TemplateError(f"template pack {data.get('language', '?')!r} is malformed: {exc}") from None
        if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?", pack.language):
            raise TemplateError(
                f"pack language {pack.language!r} must be a two- or three-letter code, with a script if need be "
                "(zh-Hant)"
            )
        if len(pack.sentence_end) != 1 or pack.sentence_end not in pack.terminals:
            raise TemplateError(f"pack {language!r}: sentence_end must be one of its terminals")
        if set(units) - set(_UNITS) or "chars" not in units:
            raise TemplateError(f"pack {language!r}: size_units must hold 'chars' and may hold 'words'")
        if pack.char_unit not in ("", "no_space"):
            raise TemplateError(f"pack {language!r}: char_unit is 'no_space' or absent, not {pack.char_unit!r}")
        if pack.word_unit not in ("", "spaces"):
            raise TemplateError(f"pack {language!r}: word_unit is 'spaces' or absent, not {pack.word_unit!r}")
        if len(set(pack.alphabet)) != len(pack.alphabet) or pack.alphabet != pack.alphabet.lower():
            raise TemplateError(f"pack {language!r}: the alphabet must list distinct lower-case letters")
        return pack

    # -- what rules mean in this language ------------------------------------------------------

    @property
    def has_words(self) -> bool:
        return "words" in self.size_units

    def uses_family(self, family: str) -> bool:
        """Whether the language has this family at all (no alphabetical order without an alphabet, and so on).

        >>> Pack("zh", "中文", alphabet="", size_units=("chars",)).uses_family("permute.longest_words")
        False
        """
        rule = RULES.get(family)
        if rule is None:  # a format family: every language has them
            return True
        if rule.letters:
            return bool(self.alphabet)
        return rule.unit != "words" or self.has_words

    # -- how this language writes a rule's values ---------------------------------------------

    def join(self, numbers: Sequence[int]) -> str:
        """Numbers as a list in prose.

        >>> Pack("en", "English").join([2]), Pack("en", "English").join([1, 3, 6])
        ('2', '1, 3 and 6')
        """
        text = [str(number) for number in numbers]
        if len(text) <= 2:
            return self.list_last.join(text)
        return self.list_sep.join(text[:-1]) + self.list_last + text[-1]

    def order(self, numbers: Sequence[int]) -> str:
        return self.order_sep.join(str(number) for number in numbers)

    def noun(self, count: int) -> str:
        return self.noun_one if count == 1 else self.noun_other

    def values(self, names: Sequence[str], order: Sequence[int], masked: Sequence[int]) -> dict[str, str]:
        """The values of a rule's placeholders for this answer (0-based positions), written in this language.

        >>> Pack("en", "English").values(("m", "noun"), (0, 2), (1,))
        {'m': '1', 'noun': 'instruction'}
        """
        found: dict[str, str] = {}
        for name in names:
            if name == "order":
                found[name] = self.order([p + 1 for p in order])
            elif name == "positions":
                found[name] = self.join([p + 1 for p in masked])
            elif name == "m":
                found[name] = str(len(masked))
            elif name == "noun":
                found[name] = self.noun(len(masked))
        return found

    # -- what a sentence's words reveal -------------------------------------------------------

    def cue(self, kind: str, text: str) -> bool:
        pattern = (self.cues or {}).get(kind)
        return bool(pattern and pattern.search(text))

    def sentence_problem(self, text: str) -> str | None:
        """Why ``text`` is not one well-formed sentence in this language, or None."""
        if text != text.strip() or "  " in text:
            return "has stray whitespace"
        if not text.isprintable():
            return "must be printable, on one line"
        if not text.endswith(self.sentence_end):
            return f"must end with {self.sentence_end!r}"
        if any(mark in text[:-1] for mark in self.terminals):
            return "must be one sentence: no sentence end before its last character"
        first = text[0]
        if not first.isalpha():
            return "must begin with a letter"
        if first.lower() != first.upper() and not first.isupper():
            return "must begin with a capital letter"
        return None

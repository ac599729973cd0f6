"""The decoration layer's building blocks: numbering tags, wrappers, layouts.

These are short markers rather than sentences, so they live here as typed
constants. None of them contains ``/`` or starts or ends with whitespace, which
the exact token arithmetic in ``tokenize/pieces.py`` relies on.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = [
    "BRACKETS",
    "CHAT_TOKENS",
    "DRAWN_STYLES",
    "SEPARATORS",
    "STARTS_BLOCK",
    "TAG_PUNCTUATION",
    "TAG_STYLES",
    "TASK_STYLE",
    "WRAPPER_WORDS",
    "clashing_styles",
    "looks_numbered",
    "number_tag",
    "numbering_problem",
    "starts_block",
    "tag_style_for",
    "wrapper_tags",
]

# Around the 1-based number; "{n}" alone is the bare number the reference never produced.
TAG_STYLES: tuple[str, ...] = (
    "{n}",
    "({n})",
    "[{n}]",
    "<{n}>",
    "### {n}",
    "|{n}|",
    "#{n}",
    "{{{n}}}",
    "**{n}**",
    "Q{n}",
    "<<{n}>>",
    "Task {n}",
)
DRAWN_STYLES = len(TAG_STYLES)
"""A mosaic draws its numbering among these styles; those appended below stand in for one (``tag_style_for``)."""
_TASK_LABELS = {
    "zh": "任务{n}",
    "ja": "タスク{n}",
    "es": "Tarea {n}",
    "fr": "Tâche {n}",
    "de": "Aufgabe {n}",
    "ru": "Задание {n}",
}
"""Never drawn: "Task {n}" in the languages of the built-in packs."""
TAG_STYLES += tuple(_TASK_LABELS.values())
_BARE, _TASK, _STAND_IN = TAG_STYLES.index("{n}"), TAG_STYLES.index("Task {n}"), TAG_STYLES.index("[{n}]")
TASK_STYLE = _TASK
"""The one drawn style that follows the mosaic's language ("Task n", "Aufgabe n"), not only its items."""
_TASK_IN = {language: TAG_STYLES.index(label) for language, label in _TASK_LABELS.items()}
_NUMBERED_LINE = re.compile(r"^[ \t]*[0-9]+[.:]?(?:[ \t]|$)", re.MULTILINE)
_SHAPES = {style: TAG_STYLES[style].format(n="\0").split("\0") for style in range(len(TAG_STYLES)) if style != _BARE}
"""Each style's text before and after its number ("{{{n}}}" is "{" and "}")."""
_STYLE_LINES = {
    style: re.compile(f"^[ \t]*{re.escape(before)}[0-9]+{re.escape(after)}", re.MULTILINE)
    for style, (before, after) in _SHAPES.items()
}
_LEADS = "|".join(sorted({re.escape(before) for before, _ in _SHAPES.values()}, key=len, reverse=True))
_TAGGED_LINE = re.compile(rf"^[ \t]*(?:{_LEADS})[0-9]", re.MULTILINE)
_ANY_LINE = re.compile(rf"^[ \t]*(?:([0-9]+[.:]?(?:[ \t]|$))|(?:{_LEADS})[0-9])", re.MULTILINE)
"""A line that starts like a bare number (group 1) or like another style's tag: one scan finds the first."""
_BLOCK_START = re.compile(r"(?: {0,3}(?:```|~~~|\||#{1,6}(?:[ \t]|$)|[-*+][ \t]|[0-9]{1,9}[.)](?:[ \t]|$)|>)| {4}|\t)")
STARTS_BLOCK = 1 << len(TAG_STYLES)
"""The bit (beside ``clashing_styles``' own) of a text that opens a Markdown block: its tag must end its line."""
_STAND_INS = tuple(TAG_STYLES.index(s) for s in ("[{n}]", "<<{n}>>", "### {n}", "{{{n}}}", "({n})", "<{n}>", "|{n}|"))
"""Where the drawn numbering could be misread, the first of these that could not stands in."""
TAG_PUNCTUATION: tuple[str, ...] = ("", ".", ":")
"""Drawn after the tag; a word label takes its own (``number_tag``)."""
_WORD_LABELS = frozenset(TAG_STYLES.index(s) for s in ("Q{n}", "Task {n}", *_TASK_LABELS.values()))
_FULL_WIDTH = frozenset(TAG_STYLES.index(_TASK_LABELS[language]) for language in ("zh", "ja"))

WRAPPER_WORDS: tuple[tuple[str, str], ...] = (
    ("START", "END"),
    ("OPEN", "CLOSE"),
    ("BEGIN", "FINISH"),
    ("ANSWER", "DONE"),
    ("RESPONSE", "END RESPONSE"),
    ("IN", "OUT"),
    ("FROM", "TO"),
    ("HEAD", "TAIL"),
    ("FIRST", "LAST"),
    ("ENTER", "EXIT"),
    ("ON", "OFF"),
    ("REPLY", "REPLY END"),
    ("GO", "STOP"),
    ("UP", "DOWN"),
    ("OUTPUT", "END OUTPUT"),
    ("ALPHA", "OMEGA"),
    ("SOA", "EOA"),
    ("PART", "PART END"),
    ("LEFT", "RIGHT"),
)

BRACKETS: tuple[str, ...] = (
    "[{w}]",
    "<{w}>",
    "<|{w}|>",
    "**{w}**",
    "{{{w}}}",
    "(({w}))",
    "#{w}#",
    "@{w}@",
    "=={w}==",
    "<<{w}>>",
    "[[{w}]]",
    "|{w}|",
    "__{w}__",
    "~{w}~",
    "${w}$",
    "%{w}%",
    "&{w}&",
    "^{w}^",
    "+{w}+",
    "-{w}-",
    "*{w}*",
    "::{w}::",
    "[#{w}#]",
    "<!{w}!>",
    "{{{{{w}}}}}",
    "[*{w}*]",
    "(<{w}>)",
    "!{w}!",
    "`{w}`",
)

SEPARATORS: tuple[str, ...] = ("\n", "\n\n")


def looks_numbered(text: str) -> bool:
    """Whether a bare-number tag could be misread beside ``text``: a line of it starts the way such a tag
    does ("1. Service", "3 colors"), or the text itself starts with a digit ("7 3, 7, 19" after the tag "7").

    >>> looks_numbered("Rate these:\\n1. Service"), looks_numbered("3, 7, 19"), looks_numbered("In 1990 and 2000.")
    (True, True, False)
    """
    return text[:1].isdigit() or _NUMBERED_LINE.search(text) is not None


def clashing_styles(text: str) -> int:
    """The numbering styles that could be misread beside ``text``, as bits (bit s: ``TAG_STYLES[s]``): a line
    of it starts the way such a tag does ("(2) Preheat the oven" for ``(n)``; for the bare number,
    ``looks_numbered``).

    >>> [TAG_STYLES[s] for s in range(len(TAG_STYLES)) if clashing_styles("Steps:\\n(1) Mix\\nQ2 sales") >> s & 1]
    ['({n})', 'Q{n}']
    >>> clashing_styles("Rate these:\\n1. Service") == 1 << TAG_STYLES.index("{n}"), clashing_styles("In (1990).")
    (True, 0)
    """
    found = 1 << _BARE if text[:1].isdigit() else 0
    first = _ANY_LINE.search(text) if "\n" in text else _ANY_LINE.match(text)
    if first is None:
        return found
    if first.group(1) is not None:  # a numbered line; a tag-like one may follow
        found |= 1 << _BARE
        if _TAGGED_LINE.search(text, first.end()) is None:
            return found
    elif _NUMBERED_LINE.search(text, first.end()):
        found |= 1 << _BARE
    for style, pattern in _STYLE_LINES.items():
        if pattern.search(text):
            found |= 1 << style
    return found


def starts_block(text: str) -> bool:
    """Whether ``text`` opens with a Markdown block (a code fence, table row, heading, list item, quote or indented
    code), which a number tag on the same line would break ("(2) ```python" is no fence).

    >>> starts_block("```python\\nprint(1)\\n```"), starts_block("1. Heat\\n2. Alien"), starts_block("#1 fan")
    (True, True, False)
    """
    return _BLOCK_START.match(text) is not None


def tag_style_for(drawn: int, language: str, clashing: int) -> int:
    """The numbering a mosaic uses: the drawn style, unless it could be misread there.

    "Task" is English, so a mosaic in another language takes that language's word (a bracketed
    number if it has none here). A style that an item's own lines could be taken for (bit set in
    ``clashing``, from ``clashing_styles``: "1. Service" for the bare number, "(2) Mix" for ``(n)``)
    gives way to the first stand-in that none could.

    >>> [TAG_STYLES[tag_style_for(s, lang, c)] for s, lang, c in [(0, "en", 1), (11, "de", 0), (2, "en", 4)]]
    ['[{n}]', 'Aufgabe {n}', '<<{n}>>']
    >>> tag_style_for(0, "en", 0), tag_style_for(11, "en", 1), tag_style_for(11, "xx", 0)
    (0, 11, 2)
    """
    style = _TASK_IN.get(language, _STAND_IN) if drawn == _TASK and language != "en" else drawn
    if not clashing >> style & 1:
        return style
    return next((other for other in _STAND_INS if not clashing >> other & 1), _STAND_INS[-1])


def numbering_problem(style: int, language: str, texts: list[str]) -> str | None:
    """What makes a mosaic's numbering misleading (``tag_style_for``'s rules), or None; ``texts``: those it shows.

    >>> numbering_problem(0, "en", ["Rate:\\n1. Service"])
    'a bare number tags the items, but a text starts, or has a line that starts, like one'
    >>> numbering_problem(11, "fr", [])
    'an English "Task" label in fr'
    """
    clashing = 0
    for text in texts:
        clashing |= clashing_styles(text)
    if clashing >> style & 1:
        if style == _BARE:
            return "a bare number tags the items, but a text starts, or has a line that starts, like one"
        return f"the items are tagged {TAG_STYLES[style].format(n='n')!r}, but a text has a line that starts like one"
    if style == _TASK and language != "en":
        return f'an English "Task" label in {language}'
    if style in _TASK_IN.values() and _TASK_IN.get(language) != style:
        return f"the label {TAG_STYLES[style].format(n='')!r} is not {language}'s"
    return None


@cache
def number_tag(style: int, punctuation: str, number: int) -> str:
    """The numbering marker for a 1-based ``number`` (without the following space or newline).

    A word label never runs into the item's first word ("Task 1 Write"): without punctuation it takes a
    colon, and the Chinese and Japanese labels take the full-width colon whatever was drawn.

    >>> number_tag(1, ".", 3), number_tag(TAG_STYLES.index("Task {n}"), "", 2)
    ('(3).', 'Task 2:')
    >>> number_tag(TAG_STYLES.index("任务{n}"), ".", 1), number_tag(TAG_STYLES.index("Q{n}"), ".", 4)
    ('任务1：', 'Q4.')
    """
    if style in _WORD_LABELS:
        punctuation = "：" if style in _FULL_WIDTH else punctuation or ":"
    return TAG_STYLES[style].format(n=number) + punctuation


CHAT_TOKENS = frozenset(
    [
        "<|start|>",
        "<|end|>",
        "<|message|>",
        "<|channel|>",
        "<|return|>",
        "<|call|>",
        "<|user|>",
        "<|assistant|>",
        "<|system|>",
        "<|endoftext|>",
        "<|im_start|>",
        "<|im_end|>",
        "<|eot_id|>",
    ]
)
"""Special tokens of common chat formats (Phi-3, gpt-oss, ChatML, Llama 3): a tokenizer that has one reads the
text as that token, so a wrapper must never spell one (an end of turn in the middle of an answer)."""


@cache
def wrapper_tags(words: int, bracket: int, lowercase: bool) -> tuple[str, str]:
    """The begin and end tags of a wrapper, never one a reader or a tokenizer could take for something else.

    Lower-case START/END in ``<|x|>`` spell chat special tokens, so they stay upper-case; a word in
    braces (``{reply}``, ``{{open}}``) reads as a placeholder of a template nobody filled, so braces
    give way to square brackets.

    >>> wrapper_tags(0, 0, False), wrapper_tags(0, 2, True), wrapper_tags(1, 4, True)
    (('[START]', '[END]'), ('<|START|>', '<|END|>'), ('[open]', '[close]'))
    """
    begin, end = WRAPPER_WORDS[words]
    style = BRACKETS[bracket]
    if style.startswith("{"):
        style = BRACKETS[0]
    if lowercase and not {style.format(w=begin.lower()), style.format(w=end.lower())} & CHAT_TOKENS:
        begin, end = begin.lower(), end.lower()
    return style.format(w=begin), style.format(w=end)

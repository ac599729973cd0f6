"""The decoration layer's building blocks: numbering tags and layouts (wrappers: ``text/wrappers.py``).

These are short markers rather than sentences, so they live here as typed
constants. None of them contains ``/`` or starts or ends with whitespace, which
the exact token arithmetic in ``tokenize/pieces.py`` relies on.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = [
    "DRAWN_STYLES",
    "LANGUAGE_STYLES",
    "LETTERED_STYLES",
    "SEPARATORS",
    "STARTS_BLOCK",
    "TAG_PUNCTUATION",
    "TAG_STYLES",
    "clashing_styles",
    "looks_numbered",
    "number_tag",
    "numbering_problem",
    "starts_block",
    "tag_newline_for",
    "tag_style_for",
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
    "zh": "指令{n}",
    "ja": "指示{n}",
    "es": "Instrucción {n}",
    "fr": "Consigne {n}",
    "de": "Anweisung {n}",
    "ru": "Задание {n}",
}
"""Never drawn: "Task {n}" in the languages of the built-in packs, in the noun their sentences use."""
TAG_STYLES += tuple(_TASK_LABELS.values())
_BARE, _TASK, _STAND_IN = TAG_STYLES.index("{n}"), TAG_STYLES.index("Task {n}"), TAG_STYLES.index("[{n}]")
_Q, _HEADING = TAG_STYLES.index("Q{n}"), TAG_STYLES.index("### {n}")
LETTERED_STYLES = frozenset(s for s, form in enumerate(TAG_STYLES) if any(c.isalpha() for c in form.format(n="")))
"""Styles whose tag holds letters ("Q1", "Task 1"): beside them, "the first letter of each instruction" could be
read as the tag's, so the alphabetical rules stay away (``generate/choose.py``)."""
LANGUAGE_STYLES = frozenset((_TASK, _Q))
"""The drawn styles that follow the mosaic's language ("Task n", "Anweisung n"), not only its items."""
_TASK_IN = {language: TAG_STYLES.index(label) for language, label in _TASK_LABELS.items()}
_TASK_IN["zh-Hant"] = _TASK_IN["zh"]  # Traditional Chinese writes 指令 as Simplified does
_NUMBERED_LINE = re.compile(r"^[ \t]*[0-9]+(?:[.:)](?![0-9])|[ \t]|$)", re.MULTILINE)
"""A line that starts like a bare number tag, or a list number: "1. Service", "3 colors", "1) Mix", "3.”Song”"
(not a decimal or a time: "3.14", "12:30")."""
_SHAPES = {style: TAG_STYLES[style].format(n="\0").split("\0") for style in range(len(TAG_STYLES)) if style != _BARE}
"""Each style's text before and after its number ("{{{n}}}" is "{" and "}")."""
_STYLE_LINES = {
    style: re.compile(f"^[ \t]*{re.escape(before)}[0-9]+{re.escape(after)}", re.MULTILINE)
    for style, (before, after) in _SHAPES.items()
}
_LEADS = "|".join(sorted({re.escape(before) for before, _ in _SHAPES.values()}, key=len, reverse=True))
_TAGGED_LINE = re.compile(rf"^[ \t]*(?:{_LEADS})[0-9]", re.MULTILINE)
_ANY_LINE = re.compile(rf"^[ \t]*(?:([0-9]+(?:[.:)](?![0-9])|[ \t]|$))|(?:{_LEADS})[0-9])", re.MULTILINE)
"""A line that starts like a bare number (group 1) or like another style's tag: one scan finds the first."""
_BLOCK_START = re.compile(r"(?: {0,3}(?:```|~~~|\||#{1,6}(?:[ \t]|$)|[-*+][ \t]|[0-9]{1,9}[.)](?:[ \t]|$)|>)| {4}|\t)")
_CODE_WORDS = re.compile(
    r"""(?:(?:import|from)\ [A-Za-z_][\w.]*(?:\ import\ |\ as\ |\s*$|\s*;|,)
    |(?:async\ )?def\ \w+\s*\(|class\ \w+\s*[:({<]|\"\"\"|\'\'\'|\^[\[(\\\w]
    |\#include\b|\#define\b|\#!/|<\?php|<\?xml|<!DOCTYPE|<!--
    |(?:(?:Public|Private)\ )?(?:Sub|Function)\ \w+\s*\(|Dim\ \w+\ As\b
    |(?:SELECT|INSERT\ INTO|UPDATE|DELETE\ FROM|CREATE\ (?:TABLE|DATABASE|INDEX|VIEW|PROCEDURE|FUNCTION)
        |ALTER\ TABLE|DROP\ TABLE)\s
    |function\s*[\w$]*\s*\(|(?:const|let|var)\ [\w$]+\s*=
    |(?:public|private|protected)\ (?:static\ |final\ |abstract\ )*(?:class|void|int|String|static|boolean|double
        |interface)\b
    |package\ [\w.]+;|using\ [\w.]+;|(?:int|void)\ main\s*\(
    |(?:print|printf|console\.log|System\.out\.println|echo)\s*\(|(?:for|while|if)\s*\(|for\ \w+\ in[ ])""",
    re.VERBOSE | re.MULTILINE,
)
"""A first line that opens with a keyword of code ("def area(w, h):", "SELECT * FROM t;", "import numpy as np")."""
_CODE_SHAPES = re.compile(
    r"""(?:<[A-Za-z][\w:.-]*(?:\s[^>\n]*)?/?>
    |(?=[^\n{]{0,100}\{[\ \t]*$)[.\#]?[A-Za-z][\w-]*+
        (?:(?:[\ \t]*+[>+~,][\ \t]*+|[\ \t]++)[.\#:]?[A-Za-z][\w-]*+|[.\#:][A-Za-z][\w-]*+){0,8}+[\ \t]*+\{[\ \t]*$
    |(?:[A-Z][\w.]*|int|bool|boolean|float|double|char|long|short|void|string|auto|unsigned)(?:<[^>\n]*>)?(?:\[\])*
        \ +[A-Za-z_]\w*(?:\ *(?:=(?!=)|;)|\()
    |\{\s*(?:$|")|\[\s*\{|\w+\s*=\s*(?:\[|\{|\(|lambda\b|\d|"|')|[\w.]+\(.*\)\s*;?\s*$)""",
    re.VERBOSE | re.MULTILINE,
)
"""A first line shaped like code: an element ("<item id='x'/>"), a CSS rule ("h1 {"), a typed declaration ("String s =
f(x);"), an assignment, a call, "{". Broad on purpose (a tag on its own line costs nothing beside a formula); tried
only where the line's start holds a sign code needs (``_SHAPE_SIGN``), which keeps prose cheap."""
_SHAPE_SIGN = re.compile(r"[^\n{=(;<\[]{0,160}[{=(;<\[]")
STARTS_BLOCK = 1 << len(TAG_STYLES)
"""The bit (beside ``clashing_styles``' own) of a text that opens a Markdown block or a line of code: its tag must
end its line."""
_STAND_INS = tuple(TAG_STYLES.index(s) for s in ("[{n}]", "<<{n}>>", "### {n}", "{{{n}}}", "({n})", "<{n}>", "|{n}|"))
"""Where the drawn numbering could be misread, the first of these that could not stands in."""
TAG_PUNCTUATION: tuple[str, ...] = ("", ".", ":")
"""Drawn after the tag; a word label takes its own (``number_tag``)."""
_WORD_LABELS = frozenset(TAG_STYLES.index(s) for s in ("Q{n}", "Task {n}", *_TASK_LABELS.values()))
_FULL_WIDTH = frozenset(TAG_STYLES.index(_TASK_LABELS[language]) for language in ("zh", "ja"))
_SPACED_COLON = TAG_STYLES.index(_TASK_LABELS["fr"])
"""French sets a space before a colon: "Consigne 1 :"."""

SEPARATORS: tuple[str, ...] = ("\n", "\n\n")


def looks_numbered(text: str) -> bool:
    """Whether a bare-number tag could be misread beside ``text``: a line of it starts the way such a tag
    does ("1. Service", "3 colors"), or the text itself starts with a digit ("7 3, 7, 19" after the tag "7").

    >>> looks_numbered("Rate these:\\n1. Service"), looks_numbered("3, 7, 19"), looks_numbered("In 1990 and 2000.")
    (True, True, False)
    >>> looks_numbered("Best:\\n1) Endurance"), looks_numbered("Songs:\\n3.”Speak Now”"), looks_numbered("Pi:\\n3.14")
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


def text_clashes(text: str) -> int:
    """``clashing_styles`` of one text, with ``STARTS_BLOCK`` if it opens with a block (a record's marks are
    its instruction's and response's together).

    >>> text_clashes("```python\\nprint(1)\\n```") == STARTS_BLOCK, text_clashes("Hi.")
    (True, 0)
    """
    return clashing_styles(text) | (STARTS_BLOCK if starts_block(text) else 0)


def starts_block(text: str) -> bool:
    """Whether ``text`` opens with a Markdown block (a code fence, table row, heading, list item, quote or indented
    code) or a line of code, which a number tag on the same line would break ("(2) ```python" is no fence, and
    "Q1: import nltk" no line to copy).

    >>> starts_block("```python\\nprint(1)\\n```"), starts_block("1. Heat\\n2. Alien"), starts_block("#1 fan")
    (True, True, False)
    >>> [starts_block(t) for t in ("def add(a, b):\\n    return a + b", "SELECT name FROM users;", "import nltk")]
    [True, True, True]
    >>> code = ["String s = f(x);", "bool isAnagram(string a)", '<item id="x"/>', ".main-text {", "Sub Sum()"]
    >>> [starts_block(t) for t in code]
    [True, True, True, True, True]
    >>> [starts_block(t) for t in ("Define a function.", "Select the odd one out.", "Important: read this.")]
    [False, False, False]
    """
    if _BLOCK_START.match(text) is not None or _CODE_WORDS.match(text) is not None:
        return True
    return _SHAPE_SIGN.match(text) is not None and _CODE_SHAPES.match(text) is not None


def tag_newline_for(style: int, drawn: bool, clashing: int) -> bool:
    """Whether the number tag ends its line: as drawn, unless an item opens a Markdown block or a line of code
    (``STARTS_BLOCK`` in ``clashing``: a tag on that line would break it), or the tag is a Markdown heading
    ("### 4. The logo I designed…" would make the item's first line a heading) or a Chinese or Japanese label
    (nothing follows "指令1：" on its line; a space after a full-width colon is no Chinese or Japanese).

    >>> tag_newline_for(TAG_STYLES.index("### {n}"), False, 0), tag_newline_for(1, False, STARTS_BLOCK)
    (True, True)
    >>> tag_newline_for(1, False, 1 << 1), tag_newline_for(1, True, 0), tag_newline_for(_TASK_IN["zh"], False, 0)
    (False, True, True)
    """
    return drawn or style == _HEADING or style in _FULL_WIDTH or clashing & STARTS_BLOCK > 0


def tag_style_for(drawn: int, language: str, clashing: int) -> int:
    """The numbering a mosaic uses: the drawn style, unless it could be misread there.

    "Task" is English, so a mosaic in another language takes that language's word (a bracketed
    number if it has none here); so does "Q" (a question, in English). A style that an item's
    own lines could be taken for (bit set in ``clashing``, from ``clashing_styles``: "1. Service" for
    the bare number, "(2) Mix" for ``(n)``) gives way to the first stand-in that none could.

    >>> [TAG_STYLES[tag_style_for(s, lang, c)] for s, lang, c in [(0, "en", 1), (11, "de", 0), (2, "en", 4)]]
    ['[{n}]', 'Anweisung {n}', '<<{n}>>']
    >>> tag_style_for(0, "en", 0), tag_style_for(11, "en", 1), tag_style_for(11, "xx", 0)
    (0, 11, 2)
    >>> [TAG_STYLES[tag_style_for(9, lang, 0)] for lang in ("en", "zh", "es", "xx")]
    ['Q{n}', '指令{n}', 'Instrucción {n}', 'Q{n}']
    """
    if drawn == _TASK and language != "en":
        style = _TASK_IN.get(language, _STAND_IN)
    elif drawn == _Q and language != "en":
        style = _TASK_IN.get(language, _Q)
    else:
        style = drawn
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
    if style == _Q and language in _TASK_IN:
        return f'an English "Q" label in {language}'
    if style in _TASK_IN.values() and _TASK_IN.get(language) != style:
        return f"the label {TAG_STYLES[style].format(n='')!r} is not {language}'s"
    return None


@cache
def number_tag(style: int, punctuation: str, number: int) -> str:
    """The numbering marker for a 1-based ``number`` (without the following space or newline).

    A word label takes a colon whatever was drawn: without one it runs into the item's first word ("Task 1
    Write"), and with a full stop into a number ("Instrucción 4. 5 kilómetros"). Chinese and Japanese take
    the full-width colon, French sets a space before it.

    >>> task, q = TAG_STYLES.index("Task {n}"), TAG_STYLES.index("Q{n}")
    >>> number_tag(1, ".", 3), number_tag(task, "", 2), number_tag(q, ".", 4)
    ('(3).', 'Task 2:', 'Q4:')
    >>> number_tag(TAG_STYLES.index("指令{n}"), ".", 1), number_tag(TAG_STYLES.index("Consigne {n}"), ".", 2)
    ('指令1：', 'Consigne 2 :')
    """
    if style in _WORD_LABELS:
        punctuation = "：" if style in _FULL_WIDTH else " :" if style == _SPACED_COLON else ":"
    return TAG_STYLES[style].format(n=number) + punctuation

"""The decoration layer's building blocks: numbering tags, wrappers, layouts.

These are short markers rather than sentences, so they live here as typed
constants. None of them contains ``/`` or starts or ends with whitespace, which
the exact token arithmetic in ``tokenize/pieces.py`` relies on.
"""

from __future__ import annotations

from functools import cache

__all__ = ["BRACKETS", "SEPARATORS", "TAG_PUNCTUATION", "TAG_STYLES", "WRAPPER_WORDS", "number_tag", "wrapper_tags"]

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
TAG_PUNCTUATION: tuple[str, ...] = ("", ".", ":")

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


@cache
def number_tag(style: int, punctuation: str, number: int) -> str:
    """The numbering marker for a 1-based ``number`` (without the following space or newline).

    >>> number_tag(1, ".", 3)
    '(3).'
    """
    return TAG_STYLES[style].format(n=number) + punctuation


@cache
def wrapper_tags(words: int, bracket: int, lowercase: bool) -> tuple[str, str]:
    """The begin and end tags of a wrapper.

    >>> wrapper_tags(0, 0, False)
    ('[START]', '[END]')
    """
    begin, end = WRAPPER_WORDS[words]
    if lowercase:
        begin, end = begin.lower(), end.lower()
    return BRACKETS[bracket].format(w=begin), BRACKETS[bracket].format(w=end)

"""Wrappers: the begin and end tags a format sentence asks each answer to be enclosed in.

Short markers, not sentences, so typed constants like the numbering in ``decoration.py``. None contains
``/`` or starts or ends with whitespace, which the exact token arithmetic in ``tokenize/pieces.py`` relies on.
"""

from __future__ import annotations

from functools import cache

__all__ = ["BRACKETS", "CHAT_TOKENS", "WRAPPER_WORDS", "wrapper_tags"]

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

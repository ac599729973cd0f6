"""Turn positions and decorations into text: the one place mosaic text is assembled.

A mosaic is laid out as a list of segments: literal decoration strings, and
references to source texts ``(index, lead, trail)`` meaning
``lead + texts[index] + trail``. The same list gives the text (``render``) and
its exact token count (``count``), so the two cannot drift apart.

Layout (``|`` marks the place of a segment boundary)::

    [outer meta + sep]  [format meta + sep]  tag1| I1 + sep| tag2| I2 ...| [format meta] [sep + outer meta]
    rtag(a)| Ra + "\\n\\n"| rtag(b)| Rb ...          (no wrapper)
    open "\\n" rtag(a)| Ra + "\\n"| close "\\n\\n" open "\\n" rtag(b)| Rb + "\\n"| close   (wrapper)

A wrapper holds the whole response, its number tag included, so that a sentence saying "begin each answer
with {open}" is true of the text: the number inside is the first thing after the begin tag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mosaic_core.records import Decoration
from mosaic_core.text.decoration import number_tag
from mosaic_core.tokenize.pieces import SourceCounts

__all__ = [
    "Layout",
    "Segment",
    "answer_segments",
    "answer_text",
    "count",
    "paragraphed",
    "prompt_segments",
    "prompt_text",
    "render",
    "set_apart",
]

Segment = str | tuple[int, str, str]


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class Layout:
    """A decoration with its meta-instruction sentences filled in."""

    decoration: Decoration
    format_meta: str | None
    outer_meta: str | None

    def tag(self, number: int) -> str:
        deco = self.decoration
        return number_tag(deco.tag_style, deco.tag_punct, number)

    @property
    def lead(self) -> str:
        return "" if self.decoration.tag_newline else " "

    @property
    def tag_end(self) -> str:
        return "\n" if self.decoration.tag_newline else ""

    def head_pieces(self) -> list[str]:
        """Literal text before the first tag: sentences, each with the newline run that ends it."""
        deco = self.decoration
        pieces = []
        if self.outer_meta and deco.outer_before:
            pieces.append(self.outer_meta + deco.outer_sep)
        if self.format_meta and deco.format_before:
            pieces.append(self.format_meta + deco.format_sep)
        return pieces

    def last_trail(self) -> str:
        """Newlines after the last instruction."""
        deco = self.decoration
        if self.format_meta and not deco.format_before:
            return deco.format_sep
        if self.outer_meta and not deco.outer_before:
            return deco.outer_sep
        return ""

    def tail_pieces(self) -> list[str]:
        """Literal text after the last instruction's trailing newlines, cut after each newline run."""
        deco = self.decoration
        fmt = self.format_meta if self.format_meta and not deco.format_before else None
        outer = self.outer_meta if self.outer_meta and not deco.outer_before else None
        if fmt and outer:
            return [fmt + deco.outer_sep, outer]
        return [fmt] if fmt else [outer] if outer else []

    def head(self) -> str:
        return "".join(self.head_pieces())

    def tail(self) -> str:
        return "".join(self.tail_pieces())

    def meta_pieces(self) -> list[str]:
        """``head()`` and ``tail()`` cut after each newline run, so their tokens are the pieces' tokens.

        Each cut is a newline run followed by a sentence, a pre-token boundary (see ``tokenize/pieces.py``).
        The format sentence recurs across mosaics; cut apart from the order sentence, its count stays cached.
        """
        return self.head_pieces() + self.tail_pieces()

    def answer_open(self, number: int) -> str:
        """Literal before a response's text: the wrapper's begin tag on a line of its own if any, then the
        response's number tag (and its newline); the text's ``lead`` follows."""
        return self.opening() + self.tag(number) + self.tag_end

    def opening(self) -> str:
        """The wrapper's begin tag on a line of its own, or nothing without a wrapper."""
        wrapper = self.decoration.wrapper
        return "" if wrapper is None else wrapper[0] + "\n"


_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def paragraphed(text: str) -> bool:
    """Whether a text holds a blank line: a sentence after it, set apart by one, would read as its next paragraph.

    So where the last instruction is ``paragraphed``, the sentences stand before the instructions
    (``generate/sentences.py``), and the verifier holds a mosaic to that (``verify/prompt.py``).

    >>> paragraphed("Summarize this.\\nThe text."), paragraphed("Summarize this.\\n \\nThe text.")
    (False, True)
    """
    return _BLANK_LINE.search(text) is not None


def set_apart(deco: Decoration, format_meta: str | None, outer_meta: str | None) -> Decoration:
    """The decoration with a blank line between the last instruction and a sentence that follows it.

    One newline would let the sentence read as part of the last instruction (or of its input), and so
    change, say, which instruction is longest; before the instructions, the first tag sets it apart. A
    blank line sets it apart only from a last instruction that has none of its own (``paragraphed``).

    >>> deco = Decoration(0, "", False, "\\n", None, "f", False, "\\n", True, "\\n")
    >>> set_apart(deco, "Answer each.", None).format_sep
    '\\n\\n'
    """
    if format_meta is not None and not deco.format_before:
        return deco if deco.format_sep == "\n\n" else replace(deco, format_sep="\n\n")
    if outer_meta is not None and not deco.outer_before:
        return deco if deco.outer_sep == "\n\n" else replace(deco, outer_sep="\n\n")
    return deco


def prompt_segments(layout: Layout, instructions: Sequence[int]) -> list[Segment]:
    """Segments of the prompt; ``instructions`` are text indices in position order."""
    deco = layout.decoration
    style, punct, sep = deco.tag_style, deco.tag_punct, deco.inst_sep
    lead, tag_end = layout.lead, layout.tag_end
    segments: list[Segment] = []
    for number, index in enumerate(instructions, start=1):
        segments.append(number_tag(style, punct, number) + tag_end)
        segments.append((index, lead, sep))
    if segments:
        segments[0] = layout.head() + segments[0]  # type: ignore[operator]
        segments[-1] = (instructions[-1], lead, layout.last_trail())
    tail = layout.tail()
    if tail:
        segments.append(tail)
    return segments


def answer_segments(layout: Layout, responses: Sequence[tuple[int, int]]) -> list[Segment]:
    """Segments of the answer; ``responses`` are (1-based number, text index) in answer order."""
    segments: list[Segment] = []
    if not responses:
        return segments
    deco = layout.decoration
    style, punct, tag_end, lead = deco.tag_style, deco.tag_punct, layout.tag_end, layout.lead
    wrapper = deco.wrapper
    if wrapper is None:
        for number, index in responses:
            segments.append(number_tag(style, punct, number) + tag_end)
            segments.append((index, lead, "\n\n"))
        segments[-1] = (responses[-1][1], lead, "")
        return segments
    pending, opening = "", layout.opening()
    for number, index in responses:
        segments.append(pending + opening + number_tag(style, punct, number) + tag_end)
        segments.append((index, lead, "\n"))
        pending = wrapper[1] + "\n\n"
    segments.append(wrapper[1])
    return segments


def prompt_text(layout: Layout, instructions: Sequence[int], texts: Sequence[str]) -> str:
    """``render(prompt_segments(layout, instructions), texts)`` in one pass (the export's hot path)."""
    deco = layout.decoration
    style, punct, sep = deco.tag_style, deco.tag_punct, deco.inst_sep
    lead, tag_end = layout.lead, layout.tag_end
    parts = [layout.head()]
    for number, index in enumerate(instructions, start=1):
        parts += (number_tag(style, punct, number), tag_end, lead, texts[index], sep)
    if instructions:
        parts[-1] = layout.last_trail()
    parts.append(layout.tail())
    return "".join(parts)


def answer_text(layout: Layout, responses: Sequence[tuple[int, int]], texts: Sequence[str]) -> str:
    """``render(answer_segments(layout, responses), texts)`` in one pass (the export's hot path)."""
    if not responses:
        return ""
    deco = layout.decoration
    style, punct, tag_end, lead = deco.tag_style, deco.tag_punct, layout.tag_end, layout.lead
    wrapper = deco.wrapper
    parts: list[str] = []
    if wrapper is None:
        for number, index in responses:
            parts += (number_tag(style, punct, number), tag_end, lead, texts[index], "\n\n")
        parts.pop()
    else:
        opening, close = layout.opening(), wrapper[1] + "\n\n"
        for number, index in responses:
            parts += (opening, number_tag(style, punct, number), tag_end, lead, texts[index], "\n", close)
        parts[-1] = wrapper[1]
    return "".join(parts)


def render(segments: Sequence[Segment], texts: Sequence[str]) -> str:
    return "".join([s if s.__class__ is str else s[1] + texts[s[0]] + s[2] for s in segments])  # type: ignore[index]


def count(segments: Sequence[Segment], sources: SourceCounts) -> int:
    """Exact token count of ``render(segments)`` without encoding it (when the tokenizer allows)."""
    counter = sources.counter
    if not counter.additive:
        return counter.count(render(segments, sources.texts))
    total = 0
    for segment in segments:
        if isinstance(segment, str):
            total += counter.count_literal(segment) if segment else 0
        else:
            part = sources.count(*segment)
            if part is None:
                return counter.count(render(segments, sources.texts))
            total += part
    return total

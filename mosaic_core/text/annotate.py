"""Split a mosaic's text back into labelled pieces, guided by its plan.

The preview colours each source item and highlights meta-instructions; the
verifier uses the same reading to take the instruction texts out of a prompt.
Reading checks every decoration literal, so a text that does not follow its
plan raises ``LayoutMismatch``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mosaic_core.errors import MosaicError
from mosaic_core.records import Mosaic, Plan
from mosaic_core.text.compose import Layout
from mosaic_core.text.templates import TemplateLibrary

__all__ = ["Annotated", "LayoutMismatch", "Piece", "annotate", "plan_layout", "read_answer", "read_prompt"]


class LayoutMismatch(MosaicError):
    """The text does not follow the layout its plan describes."""


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    kind: str
    """``meta``, ``number``, ``wrapper``, ``source`` or ``space``."""
    item: int | None = None
    """0-based position of the source item, for ``number``/``wrapper``/``source``."""


@dataclass(frozen=True, slots=True)
class Annotated:
    prompt: list[Piece]
    answer: list[Piece]

    def instructions(self) -> list[str]:
        return [p.text for p in self.prompt if p.kind == "source"]


def plan_layout(plan: Plan, library: TemplateLibrary) -> Layout:
    """The layout a plan describes, with its meta-instructions rendered."""
    deco = plan.decoration
    format_meta = None
    if deco.format_template is not None:
        template = library.get(deco.format_template)
        if template.language != plan.language:
            raise LayoutMismatch(f"template {template.id} is in {template.language!r}, the mosaic in {plan.language!r}")
        one = 1 if plan.k - len(plan.masked) == 1 else None  # one answer asked for: the sentence's form for one
        if deco.wrapper is not None:
            if template.family != "format.wrapper":
                raise LayoutMismatch(f"template {template.id} does not name wrapper tags")
            format_meta = template.render(one, open=deco.wrapper[0], close=deco.wrapper[1])
        else:
            format_meta = template.render(one)
    outer_meta = None
    if plan.rule is not None:
        if plan.outer_template is None:
            raise LayoutMismatch("a rule without a template")
        template = library.get(plan.outer_template)
        if template.family != plan.rule:
            raise LayoutMismatch(f"template {template.id} belongs to {template.family}, not {plan.rule}")
        if template.language != plan.language:
            raise LayoutMismatch(f"template {template.id} is in {template.language!r}, the mosaic in {plan.language!r}")
        outer_meta = template.render(len(plan.masked) or None, **dict(plan.values))
    return Layout(deco, format_meta, outer_meta)


class _Reader:
    """Walks a text, expecting literals and taking runs of known length."""

    def __init__(self, text: str, what: str) -> None:
        self.text, self.what, self.at = text, what, 0
        self.pieces: list[Piece] = []

    def expect(self, literal: str, kind: str, where: str, item: int | None = None) -> None:
        if not self.text.startswith(literal, self.at):
            found = self.text[self.at : self.at + len(literal) + 10]
            raise LayoutMismatch(f"{self.what}: expected {literal!r} {where}, found {found!r}")
        if literal:
            self.pieces.append(Piece(literal, kind, item))
        self.at += len(literal)

    def take(self, length: int, where: str, item: int) -> str:
        if self.at + length > len(self.text):
            raise LayoutMismatch(f"{self.what}: ends inside {where}")
        piece = self.text[self.at : self.at + length]
        self.pieces.append(Piece(piece, "source", item))
        self.at += length
        return piece

    def finish(self) -> list[Piece]:
        if self.at != len(self.text):
            raise LayoutMismatch(f"{self.what}: unexpected text after the end: {self.text[self.at : self.at + 30]!r}")
        return self.pieces


def _meta_block(reader: _Reader, meta: str | None, sep: str, before: bool, where: str) -> None:
    if meta and before:
        reader.expect(meta, "meta", where)
        reader.expect(sep, "space", where)


def read_prompt(prompt: str, plan: Plan, layout: Layout) -> list[Piece]:
    """Pieces of a prompt; raises ``LayoutMismatch`` where it leaves the layout."""
    deco = plan.decoration
    reader = _Reader(prompt, "prompt")
    _meta_block(reader, layout.outer_meta, deco.outer_sep, deco.outer_before, "before the instructions")
    _meta_block(reader, layout.format_meta, deco.format_sep, deco.format_before, "before the instructions")
    last = plan.k - 1
    for position, length in enumerate(plan.instruction_chars):
        number = position + 1
        reader.expect(
            layout.tag(number) + layout.tag_end + layout.lead,
            "number",
            f"as the number of instruction {number}",
            position,
        )
        reader.take(length, f"instruction {number}", position)
        trail = deco.inst_sep if position < last else layout.last_trail()
        reader.expect(trail, "space", f"after instruction {number}")
    if layout.format_meta and not deco.format_before:
        reader.expect(layout.format_meta, "meta", "after the instructions")
        if layout.outer_meta and not deco.outer_before:
            reader.expect(deco.outer_sep, "space", "after the instructions")
    if layout.outer_meta and not deco.outer_before:
        reader.expect(layout.outer_meta, "meta", "after the instructions")
    return reader.finish()


def read_answer(answer: str, plan: Plan, layout: Layout, order: tuple[int, ...]) -> list[Piece]:
    """Pieces of an answer that gives the responses at ``order``, and nothing else."""
    reader = _Reader(answer, "answer")
    wrapper = plan.decoration.wrapper
    last = len(order) - 1
    for j, position in enumerate(order):
        number = position + 1
        where = f"before the answer to {number}"
        if wrapper is not None:
            reader.expect(wrapper[0] + "\n", "wrapper", where, position)
        reader.expect(layout.tag(number) + layout.tag_end + layout.lead, "number", where, position)
        reader.take(plan.response_chars[position], f"the answer to instruction {number}", position)
        if wrapper is None:
            reader.expect("\n\n" if j < last else "", "space", f"after the answer to {number}")
        else:
            reader.expect("\n" + wrapper[1], "wrapper", f"closing the answer to {number}", position)
            reader.expect("\n\n" if j < last else "", "space", f"after the answer to {number}")
    return reader.finish()


def annotate(mosaic: Mosaic, library: TemplateLibrary, order: tuple[int, ...] | None = None) -> Annotated:
    """Labelled pieces of prompt and answer; ``order`` overrides the plan's answer order.

    Raises ``LayoutMismatch`` when the text does not follow the plan.
    """
    plan = mosaic.plan
    if len(plan.instruction_chars) != plan.k or len(plan.response_chars) != plan.k:
        raise LayoutMismatch("the plan's lengths do not match its sources")
    if plan.strategy == "plain":
        if len(mosaic.prompt) != plan.instruction_chars[0] or len(mosaic.answer) != plan.response_chars[0]:
            raise LayoutMismatch("a plain sample differs from its source")
        return Annotated([Piece(mosaic.prompt, "source", 0)], [Piece(mosaic.answer, "source", 0)])
    layout = plan_layout(plan, library)
    prompt = read_prompt(mosaic.prompt, plan, layout)
    answer = read_answer(mosaic.answer, plan, layout, plan.order if order is None else order)
    return Annotated(prompt, answer)

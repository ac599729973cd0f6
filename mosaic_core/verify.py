"""Check that a mosaic's answer is exactly what its meta-instruction demands.

The verifier reads the prompt with the plan's layout, takes the instruction
texts out of it, works out the rule's answer order (or mask) again from those
texts, and then requires the answer to be, byte for byte, the responses in that
order with their numbering and wrappers, and nothing else. It also checks the
recorded token counts and the budget with a real encode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mosaic_core.compose import Layout
from mosaic_core.errors import MosaicError
from mosaic_core.records import Mosaic, Plan, SourceRecord
from mosaic_core.rules import RULES, RuleInput, join_numbers
from mosaic_core.sources import first_letter
from mosaic_core.templates import TemplateLibrary
from mosaic_core.tokenizers import TiktokenCounter

__all__ = ["Verdict", "verify_mosaic"]


@dataclass
class Verdict:
    ok: bool = True
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> Verdict:
        self.ok = False
        self.problems.append(problem)
        return self


class _Reader:
    """Walks a text, expecting literals and taking runs of known length."""

    def __init__(self, text: str, what: str) -> None:
        self.text, self.what, self.at = text, what, 0

    def expect(self, literal: str, where: str) -> None:
        if not self.text.startswith(literal, self.at):
            found = self.text[self.at : self.at + len(literal) + 10]
            raise _Mismatch(f"{self.what}: expected {literal!r} {where}, found {found!r}")
        self.at += len(literal)

    def take(self, length: int, where: str) -> str:
        if self.at + length > len(self.text):
            raise _Mismatch(f"{self.what}: ends inside {where}")
        piece = self.text[self.at : self.at + length]
        self.at += length
        return piece

    def finish(self) -> None:
        if self.at != len(self.text):
            raise _Mismatch(f"{self.what}: unexpected text after the end: {self.text[self.at : self.at + 30]!r}")


class _Mismatch(Exception):
    pass


def _layout(plan: Plan, library: TemplateLibrary) -> Layout:
    deco = plan.decoration
    format_meta = None
    if deco.format_template is not None:
        template = library.get(deco.format_template)
        if deco.wrapper is not None:
            if template.family != "format.wrapper":
                raise _Mismatch(f"template {template.id} does not name wrapper tags")
            format_meta = template.render(open=deco.wrapper[0], close=deco.wrapper[1])
        else:
            format_meta = template.render()
    outer_meta = None
    if plan.rule is not None:
        if plan.outer_template is None:
            raise _Mismatch("a rule without a template")
        template = library.get(plan.outer_template)
        if template.family != plan.rule:
            raise _Mismatch(f"template {template.id} belongs to {template.family}, not {plan.rule}")
        outer_meta = template.render(**dict(plan.values))
    return Layout(deco, format_meta, outer_meta)


def _read_prompt(prompt: str, plan: Plan, layout: Layout) -> list[str]:
    reader = _Reader(prompt, "prompt")
    reader.expect(layout.head(), "before the instructions")
    texts: list[str] = []
    last = plan.k - 1
    for position, length in enumerate(plan.instruction_chars):
        reader.expect(
            layout.tag(position + 1) + layout.tag_end + layout.lead, f"as the number of instruction {position + 1}"
        )
        texts.append(reader.take(length, f"instruction {position + 1}"))
        reader.expect(
            plan.decoration.inst_sep if position < last else layout.last_trail(), f"after instruction {position + 1}"
        )
    reader.expect(layout.tail(), "after the instructions")
    reader.finish()
    return texts


def _expected_positions(
    plan: Plan, instructions: Sequence[str], verdict: Verdict
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    n = plan.k
    if plan.rule is None:
        return tuple(range(n)), ()
    rule = RULES.get(plan.rule)
    if rule is None:
        verdict.fail(f"unknown rule {plan.rule!r}")
        return plan.order, plan.masked
    values = dict(plan.values)
    if plan.rule in ("permute.fix", "maskout.fix"):
        # The draw behind a fixed order or mask is random; check the plan is one and the sentence names it.
        if plan.rule == "permute.fix":
            if sorted(plan.order) != list(range(n)) or plan.masked:
                verdict.fail("the fixed order is not a permutation of the instructions")
            if values.get("order") != ", ".join(str(p + 1) for p in plan.order):
                verdict.fail("the order named in the meta-instruction differs from the answer's order")
            return plan.order, ()
        if not 1 <= len(plan.masked) <= max(n // 2, 1):
            verdict.fail("the fixed mask hides too many or too few instructions")
        if values.get("positions") != join_numbers([p + 1 for p in plan.masked]):
            verdict.fail("the instructions named in the meta-instruction differ from the masked ones")
        kept = tuple(p for p in range(n) if p not in set(plan.masked))
        return kept, plan.masked
    size = len(plan.masked) if plan.masked else 1
    data = RuleInput(
        words=[len(t.split()) for t in instructions],
        chars=[len(t) for t in instructions],
        letters=[first_letter(t) for t in instructions],
        keys=[0.0] * n,
        mask_ratio=(size + 0.5) / n,
    )
    outcome = rule.apply(data)
    if outcome is None:
        verdict.fail(f"{plan.rule} has no single correct answer for these instructions")
        return plan.order, plan.masked
    if "m" in values and values["m"] != str(len(outcome.masked)):
        verdict.fail("the number of instructions to ignore differs from the meta-instruction")
    return outcome.order, outcome.masked


def _expected_answer(layout: Layout, plan: Plan, answer: str, order: Sequence[int]) -> None:
    reader = _Reader(answer, "answer")
    wrapper = plan.decoration.wrapper
    last = len(order) - 1
    for j, position in enumerate(order):
        number = position + 1
        reader.expect(layout.answer_open(number) + ("" if wrapper else layout.lead), f"before the answer to {number}")
        reader.take(plan.response_chars[position], f"the answer to instruction {number}")
        if wrapper is None:
            reader.expect("\n\n" if j < last else "", f"after the answer to {number}")
        else:
            reader.expect("\n" + wrapper[1] + ("\n\n" if j < last else ""), f"closing the answer to {number}")
    reader.finish()


def verify_mosaic(
    mosaic: Mosaic,
    library: TemplateLibrary,
    counter: TiktokenCounter | None = None,
    max_tokens: int | None = None,
    sources: Mapping[str, SourceRecord] | None = None,
) -> Verdict:
    """Every check on one mosaic; ``counter``/``max_tokens`` add the token checks.

    ``sources`` (id to record) also checks that the texts are the sources' own.
    """
    verdict = Verdict()
    plan = mosaic.plan
    if len(plan.instruction_chars) != plan.k or len(plan.response_chars) != plan.k:
        return verdict.fail("the plan's lengths do not match its sources")
    if plan.strategy == "plain":
        if len(mosaic.prompt) != plan.instruction_chars[0] or len(mosaic.answer) != plan.response_chars[0]:
            verdict.fail("a plain sample differs from its source")
        return verdict
    try:
        layout = _layout(plan, library)
        instructions = _read_prompt(mosaic.prompt, plan, layout)
        order, masked = _expected_positions(plan, instructions, verdict)
        if tuple(order) != tuple(plan.order) or tuple(masked) != tuple(plan.masked):
            verdict.fail(
                f"{plan.rule}: the plan's order {plan.order} / mask {plan.masked} is not the rule's {order} / {masked}"
            )
        _expected_answer(layout, plan, mosaic.answer, order)
    except _Mismatch as exc:
        return verdict.fail(str(exc))
    except MosaicError as exc:
        return verdict.fail(str(exc))
    if plan.rule is not None and plan.k < 2:
        verdict.fail("an order or mask rule on a single instruction")
    if sources is not None:
        for position, source_id in enumerate(plan.source_ids):
            record = sources.get(source_id)
            if record is None:
                verdict.fail(f"source {source_id!r} is not in the source dataset")
            elif instructions[position] != record.prompt_text:
                verdict.fail(f"instruction {position + 1} is not the text of source {source_id!r}")
    if counter is not None:
        prompt_tokens, answer_tokens = counter.count(mosaic.prompt), counter.count(mosaic.answer)
        if (prompt_tokens, answer_tokens) != (plan.prompt_tokens, plan.answer_tokens):
            verdict.fail(
                f"recorded tokens {plan.prompt_tokens}+{plan.answer_tokens}, real {prompt_tokens}+{answer_tokens}"
            )
        if max_tokens is not None and prompt_tokens + answer_tokens > max_tokens:
            verdict.fail(f"{prompt_tokens + answer_tokens} tokens, over the budget of {max_tokens}")
    return verdict

"""Check that a mosaic's prompt reads one way and its answer is exactly that reading.

The verifier reads the prompt with the plan's layout, takes the instruction
texts out of it, works out the rule's answer order (or mask) again from those
texts, and then requires the answer to be, byte for byte, the responses in that
order with their numbering and wrappers, and nothing else; a size or letter rule
must give the same answer under every reasonable way of counting, or under the
unit its pack's sentences state (``rules/features.py``). The prompt's
own sentences are checked by ``prompt.py`` (no clash, right place, agreement).
It also checks the recorded token counts and the budget with a real encode.
Every problem is named by its check (``prompt.CHECKS``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mosaic_core.errors import MosaicError
from mosaic_core.records import Mosaic, Plan, SourceRecord
from mosaic_core.rules.base import RuleInput
from mosaic_core.rules.features import (
    alternatives,
    char_readings,
    cjk_char_readings,
    first_letter,
    spaced_word_readings,
    word_readings,
)
from mosaic_core.rules.registry import RULES
from mosaic_core.text.annotate import annotate, plan_layout, read_answer, read_prompt
from mosaic_core.text.decoration import TAG_STYLES, numbering_problem, starts_block, tag_newline_for
from mosaic_core.text.templates import TemplateLibrary
from mosaic_core.tokenize.counter import TokenCounter
from mosaic_core.verify.prompt import prompt_problems

__all__ = ["Verdict", "verify_mosaic"]


@dataclass
class Verdict:
    """The outcome of every check on one mosaic: each problem under the name of its check."""

    ok: bool = True
    problems: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """The check behind each problem, in the same order (names from ``prompt.CHECKS``)."""

    def fail(self, problem: str, check: str = "answer") -> Verdict:
        self.ok = False
        self.problems.append(problem)
        self.failed.append(check)
        return self


def _expected_positions(
    plan: Plan, instructions: Sequence[str], verdict: Verdict, library: TemplateLibrary
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    n = plan.k
    if plan.rule is None:
        return tuple(range(n)), ()
    rule = RULES.get(plan.rule)
    if rule is None:
        verdict.fail(f"unknown rule {plan.rule!r}")
        return plan.order, plan.masked
    values = dict(plan.values)
    pack = library.pack(plan.language)
    if values != pack.values(rule.placeholders, plan.order, plan.masked):
        verdict.fail(f"the values the meta-instruction names ({values}) are not the plan's, written in {pack.name}")
    if rule.check_drawn is not None:
        # The draw behind a fixed order or mask is random: check the plan is one and the sentence names it.
        for problem in rule.check_drawn(n, plan.order, plan.masked):
            verdict.fail(problem)
        return plan.order, plan.masked
    size = len(plan.masked) if plan.masked else 1
    words = [word_readings(t) for t in instructions]
    chars = [(char_readings if pack.has_words else cjk_char_readings)(t) for t in instructions]
    if pack.char_unit:  # the sentences state the unit: white space left out, all else counted
        chars = [(len("".join(t.split())),) for t in instructions]
    data = RuleInput(
        words=[w[0] for w in words],
        chars=[c[0] for c in chars],
        letters=[first_letter(t) for t in instructions],
        keys=[0.0] * n,
        mask_ratio=(size + 0.5) / n,
        alphabet=pack.alphabet,
        units=pack.size_units,
    )
    if not pack.uses_family(plan.rule):
        verdict.fail(f"{plan.rule} has no meaning in {pack.name}", "one_reading")
    outcome = rule.apply(data)
    if outcome is None:
        verdict.fail(f"{plan.rule} has no single correct answer for these instructions")
        return plan.order, plan.masked
    other_chars = [] if pack.char_unit else alternatives([c[1:] for c in chars])
    if pack.word_unit:  # the sentence states the unit; lone signs may still be read as no word
        other_words = alternatives([spaced_word_readings(t)[1:] for t in instructions])
    else:
        other_words = alternatives([w[1:] for w in words])
    data.readings = {"words": other_words, "chars": other_chars}
    if rule.apply(data) is None:
        verdict.fail(f"{plan.rule} gives another answer when words or characters are counted otherwise", "one_reading")
    if "m" in values and values["m"] != str(len(outcome.masked)):
        verdict.fail("the number of instructions to ignore differs from the meta-instruction")
    return outcome.order, outcome.masked


def verify_mosaic(
    mosaic: Mosaic,
    library: TemplateLibrary,
    counter: TokenCounter | None = None,
    max_tokens: int | None = None,
    sources: Mapping[str, SourceRecord] | None = None,
) -> Verdict:
    """Every check on one mosaic; ``counter``/``max_tokens`` add the token checks.

    ``sources`` (id to record) also checks that the texts, instructions and answers, are the sources' own.
    """
    verdict = Verdict()
    plan = mosaic.plan
    if len(plan.instruction_chars) != plan.k or len(plan.response_chars) != plan.k:
        return verdict.fail("the plan's lengths do not match its sources", "layout")
    instructions: list[str] = []
    try:
        if plan.strategy == "plain":
            annotate(mosaic, library)
            return verdict
        layout = plan_layout(plan, library)
        instructions = [p.text for p in read_prompt(mosaic.prompt, plan, layout) if p.kind == "source"]
    except MosaicError as exc:
        return verdict.fail(str(exc), "layout")
    for check, problem in prompt_problems(plan, layout, library, instructions[-1] if instructions else ""):
        verdict.fail(problem, check)
    try:
        order, masked = _expected_positions(plan, instructions, verdict, library)
        if tuple(order) != tuple(plan.order) or tuple(masked) != tuple(plan.masked):
            verdict.fail(
                f"{plan.rule}: the plan's order {plan.order} / mask {plan.masked} is not the rule's {order} / {masked}"
            )
        answered = [p.text for p in read_answer(mosaic.answer, plan, layout, tuple(order)) if p.kind == "source"]
    except MosaicError as exc:
        return verdict.fail(str(exc), "answer")
    numbering = numbering_problem(plan.decoration.tag_style, plan.language, instructions + answered)
    if numbering is not None:
        verdict.fail(numbering, "numbering")
    if not plan.decoration.tag_newline and any(map(starts_block, instructions + answered)):
        verdict.fail("a text opens a Markdown block or a line of code on the line of its number tag", "numbering")
    if tag_newline_for(plan.decoration.tag_style, False, 0) and not plan.decoration.tag_newline:
        tag = TAG_STYLES[plan.decoration.tag_style].format(n="n")
        verdict.fail(f"a {tag!r} tag shares its line with the text; it ends its line (tag_newline_for)", "numbering")
    if plan.rule is not None and plan.k < 2:
        verdict.fail("an order or mask rule on a single instruction")
    if sources is not None:
        for position, source_id in enumerate(plan.source_ids):
            record = sources.get(source_id)
            if record is None:
                verdict.fail(f"source {source_id!r} is not in the source dataset", "sources")
            elif instructions[position] != record.prompt_text:
                verdict.fail(f"instruction {position + 1} is not the text of source {source_id!r}", "sources")
        for position, text in zip(order, answered, strict=True):
            record = sources.get(plan.source_ids[position])
            if record is not None and text != record.response_text:
                verdict.fail(
                    f"the answer to instruction {position + 1} is not the response of source "
                    f"{plan.source_ids[position]!r}",
                    "sources",
                )
    if counter is not None:
        prompt_tokens, answer_tokens = counter.count(mosaic.prompt), counter.count(mosaic.answer)
        if (prompt_tokens, answer_tokens) != (plan.prompt_tokens, plan.answer_tokens):
            verdict.fail(
                f"recorded tokens {plan.prompt_tokens}+{plan.answer_tokens}, real {prompt_tokens}+{answer_tokens}",
                "tokens",
            )
        context = sum(counter.count(text) for text in (mosaic.system, mosaic.tools) if text)
        spent = prompt_tokens + answer_tokens + context  # the budget counts the system prompt and tools too
        if max_tokens is not None and spent > max_tokens:
            verdict.fail(f"{spent} tokens, over the budget of {max_tokens}", "budget")
    return verdict

"""The sentences of a mosaic as it stands: which ones, in its language, each placed where its words let it stand.

The format sentence was drawn with the draft (in the run's main language, for
several items); here it is drawn again where the items call for another
language or for the singular, or where a mask leaves one instruction to
answer, and written in its form for one answer where one is asked for. After a last
instruction of several paragraphs, every sentence whose words allow it stands
before the instructions (``text/compose.py``, ``paragraphed``).
The order or mask sentence is the drawn template of the rule the items took,
with the rule's values written the pack's way.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mosaic_core.rules.base import Outcome
from mosaic_core.rules.registry import RULES
from mosaic_core.text.compose import Layout, set_apart
from mosaic_core.text.meaning import compatible

if TYPE_CHECKING:
    from mosaic_core.generate.draft import Draft

__all__ = ["lay_out"]


def lay_out(draft: Draft, rule: str | None, outcome: Outcome, language: str) -> tuple[Layout, str | None]:
    """The draft's layout for ``rule`` and its ``outcome`` in ``language``, and the order or mask template's id."""
    deco, format_meta = draft.decoration, draft.format_meta
    run = draft.run
    costs = run.costs
    n = len(draft.items)
    single = n == 1
    one_left = not single and n - len(outcome.masked) == 1  # a mask leaves one instruction to answer
    # After a last instruction of several paragraphs, a sentence would read as one more: it stands before.
    apart = run.paragraphs[draft.items[-1]]
    family = draft.format_family
    chosen = deco.format_template
    again = single or language != draft.language or (apart and costs.after(chosen))
    if family is not None and (again or one_left):
        strategy, draw = draft.strategy, draft.format_draw
        if again:
            chosen = costs.format_choice(family, strategy, single, draw, language, before=apart)
        if one_left and chosen is not None and not compatible(run.library.get(chosen).claims_for(1), "maskout", n, 1):
            # It speaks of several answers, or of each, with no form for one: drawn again among those that fit.
            chosen = costs.format_choice(family, strategy, False, draw, language, one_answer=True, before=apart)
        # Where one answer is asked for, a sentence speaks in its form for one ("begin your answer with").
        format_meta = costs.format_parts(chosen, deco.wrapper, single or one_left)[0]
        if chosen != deco.format_template:
            deco = replace(deco, format_template=chosen)
    format_before = costs.placed(deco.format_template, deco.format_before or apart)
    if rule is None:
        if format_before != deco.format_before:
            deco = replace(deco, format_before=format_before)
        return Layout(set_apart(deco, format_meta, None), format_meta, None), None
    choices = costs.sentences(language, rule, n, one_left)
    template_id = choices[int(draft.template_draw * len(choices))]
    template = run.library.get(template_id)
    outer_before = costs.placed(template_id, deco.outer_before or apart)
    if format_before != deco.format_before or outer_before != deco.outer_before:
        deco = replace(deco, format_before=format_before, outer_before=outer_before)
    pack = run.library.pack(language)
    outcome.values = values = pack.values(RULES[rule].placeholders, outcome.order, outcome.masked)
    sentence = template.render(len(outcome.masked) or None, **values)
    return Layout(set_apart(deco, format_meta, sentence), format_meta, sentence), template_id

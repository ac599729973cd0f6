"""Checks that a prompt reads one way only: no clash, each sentence in its place, counts that agree.

The answer checks (``mosaic.py``) hold the answer to the plan; these hold the
prompt's own words to what its templates declare (``text/meaning.py``). Each
problem is reported under the name of its check.
"""

from __future__ import annotations

from mosaic_core.records import Plan
from mosaic_core.rules.registry import RULES
from mosaic_core.text.compose import Layout, paragraphed
from mosaic_core.text.decoration import LETTERED_STYLES, TAG_STYLES
from mosaic_core.text.meaning import compatible, disagreement, fits_place, highest_named
from mosaic_core.text.templates import TemplateLibrary

__all__ = ["CHECKS", "prompt_problems"]

CHECKS = (
    "layout",
    "language",
    "answer",
    "one_reading",
    "clash",
    "placement",
    "agreement",
    "numbering",
    "sources",
    "tokens",
    "budget",
)
"""Every named check of the verifier, in the order they run."""


def prompt_problems(
    plan: Plan, layout: Layout, library: TemplateLibrary, last_instruction: str = ""
) -> list[tuple[str, str]]:
    """(check, problem) pairs for the prompt's sentences; empty when it reads one way only.

    ``last_instruction``, the text of the prompt's last instruction as read back: no sentence may follow it
    if it holds a blank line, where a sentence would read as its next paragraph.

    >>> from mosaic_core.records import Decoration
    >>> deco = Decoration(0, "", False, "\\n", None, "format.plain.01", False, "\\n", True, "\\n")
    >>> plan = Plan(0, 0, 0, ("a", "b"), 2, "primary", None, None, (0, 1), (), (), deco, (1, 1), (1, 1), 0, 0)
    >>> layout = Layout(deco, "Answer every one of the instructions that follow.", None)
    >>> from mosaic_core.text.templates import builtin_library
    >>> [check for check, _ in prompt_problems(plan, layout, builtin_library())]
    ['placement']
    """
    found: list[tuple[str, str]] = []
    deco = plan.decoration
    if deco.format_template is not None:
        template = library.get(deco.format_template)
        kind = plan.strategy if plan.rule is not None else "format"
        answers = plan.k - len(plan.masked)
        claimed = template.claims_for(answers)
        if not compatible(claimed, kind, plan.k, answers):
            claims = ", ".join(claimed)
            asked = f" with {answers} to answer" if answers != plan.k else ""
            found.append(
                (
                    "clash",
                    f"format sentence {template.id} ({claims}) cannot stand in a {kind} mosaic of {plan.k}{asked}",
                )
            )
        if not fits_place(template.place, deco.format_before):
            where = "before" if deco.format_before else "after"
            found.append(
                (
                    "placement",
                    f"format sentence {template.id} stands {where} the instructions; its words say {template.place}",
                )
            )
    if plan.outer_template is not None:
        template = library.get(plan.outer_template)
        left = plan.k - len(plan.masked)
        if plan.strategy == "maskout" and not compatible(template.claims, "maskout", plan.k, left):
            found.append(
                (
                    "agreement",
                    f"mask sentence {template.id} ({', '.join(template.claims)}) cannot stand with {left} of "
                    f"{plan.k} to answer",
                )
            )
        named = highest_named(template.family, template.forms)
        if named > plan.k:
            found.append(("numbering", f"{template.id} names instruction {named}; the mosaic has {plan.k}"))
        if not fits_place(template.place, deco.outer_before):
            where = "before" if deco.outer_before else "after"
            found.append(
                (
                    "placement",
                    f"{plan.rule} sentence {template.id} stands {where} the instructions; "
                    f"its words say {template.place}",
                )
            )
    rule = RULES.get(plan.rule or "")
    if rule is not None and rule.letters and deco.tag_style in LETTERED_STYLES:
        tag = TAG_STYLES[deco.tag_style].format(n=1)
        found.append(
            ("one_reading", f"{plan.rule} beside the tag {tag!r}: the first letter could be read as the tag's")
        )
    follows = (layout.format_meta and not deco.format_before) or (layout.outer_meta and not deco.outer_before)
    if follows and paragraphed(last_instruction):
        found.append(
            ("placement", "a sentence follows a last instruction of several paragraphs, and reads as one more of them")
        )
    if plan.language not in library.packs:
        found.append(("language", f"the mosaic's language {plan.language!r} has no template pack"))
        return found
    pack = library.pack(plan.language)
    values = dict(plan.values)
    if "noun" in values:
        count = len(plan.masked) if plan.masked else int(values.get("m", "2"))
        if values["noun"] != pack.noun(count):
            found.append(("agreement", f"{count} hidden, but the sentence says {values['noun']!r}"))
    for sentence in (layout.format_meta, layout.outer_meta):
        bad = disagreement(sentence or "", plan.language)
        if bad is not None:
            found.append(("agreement", f"count and noun disagree: {bad!r}"))
    return found

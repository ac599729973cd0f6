"""The exact tally taken from the composer's own segments: the definition ``draft.py``'s running sums follow.

``Draft.tally`` falls back to it where the sums cannot be kept (a tokenizer whose
pieces do not add up, a text whose joints only an encode can tell), and the
reference walk (``reference.py``) takes it after every item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mosaic_core.generate.state import State
from mosaic_core.rules.base import Outcome
from mosaic_core.text.compose import Layout, Segment, answer_segments, count, prompt_segments

if TYPE_CHECKING:
    from mosaic_core.generate.draft import Draft

__all__ = ["composed_tally", "segments"]


def segments(draft: Draft, layout: Layout, outcome: Outcome) -> tuple[list[Segment], list[Segment]]:
    """The prompt's and the answer's segments for the draft's items, the answer in ``outcome``'s order."""
    n = draft.run.table.size
    items = draft.items
    prompt = prompt_segments(layout, items)
    answer = answer_segments(layout, [(p + 1, n + items[p]) for p in outcome.order])
    return prompt, answer


def composed_tally(
    draft: Draft,
    rule: str | None,
    outcome: Outcome,
    layout: Layout,
    template_id: str | None,
    language: str | None = None,
) -> State:
    """Tokens of the mosaic as it would be finished now, counted segment by segment."""
    sources = draft.run.table.sources
    prompt_segs, answer_segs = segments(draft, layout, outcome)
    prompt = count(prompt_segs, sources)
    answer = sizing = count(answer_segs, sources)
    if outcome.masked:  # the budget sizes a mosaic on its unmasked answer
        full = Outcome(tuple(range(len(draft.items))))
        sizing = count(segments(draft, layout, full)[1], sources)
    language = language or draft.run.languages.of_items(draft.items)
    return State(prompt, answer, prompt + sizing, rule, outcome, layout, template_id, language)

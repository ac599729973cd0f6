"""Which rule a mosaic takes: the first in its own shuffled order that has one answer for its items.

Any rule that has one answer is thus first among those that have with equal
chance, whichever others fail (the fair fallback). A rule with no meaning in
the mosaic's language (``Pack.uses_family``: alphabetical order in Chinese,
word counts in Japanese) has no answer there, nor has a rule whose sentences
in that language are all switched off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mosaic_core.rules.base import Outcome, RuleInput
from mosaic_core.rules.registry import RULES
from mosaic_core.text.decoration import LETTERED_STYLES

if TYPE_CHECKING:
    from mosaic_core.generate.draft import Draft
    from mosaic_core.generate.walk import MosaicRun

__all__ = ["first_outcome"]


def first_outcome(run: MosaicRun, draft: Draft, language: str) -> tuple[str | None, Outcome]:
    """The draft's rule and its answer in ``language``; no rule (the items in order) when none applies."""
    items = draft.items
    n = len(items)
    if draft.rules and n >= 2:
        table = run.table
        pack = run.library.pack(language)
        exact = bool(pack.char_unit)
        data = RuleInput(
            words=list(map(table.words.__getitem__, items)),
            chars=table.no_space_chars(items) if exact else list(map(table.lengths.__getitem__, items)),
            # Beside a tag with letters ("Q1"), "the first letter" could be the tag's: no letter rule applies.
            letters=[""] * n
            if draft.decoration.tag_style in LETTERED_STYLES
            else [*map(table.letters.__getitem__, items)],
            keys=draft.keys,
            mask_ratio=draft.mask_ratio,
            readings=table.readings_of(
                items,
                "exact" if exact else "chars" if pack.has_words else "cjk_chars",
                "spaced" if pack.word_unit else "words",
            ),
            alphabet=pack.alphabet,
            units=pack.size_units,
        )
        templates = run.templates
        for name in draft.rules:
            if templates[language, name]:
                result = RULES[name].apply(data)
                if result is not None:
                    return name, result
    return None, Outcome(tuple(range(n)))

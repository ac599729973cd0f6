"""A finished-mosaic candidate, as the tally sees it."""

from __future__ import annotations

from dataclasses import dataclass

from mosaic_core.rules.base import Outcome
from mosaic_core.text.compose import Layout

__all__ = ["State"]


@dataclass(slots=True)  # made once per mosaic; frozen would cost a call per field
class State:
    """A finished-mosaic candidate: its real counts, and the count that sizes it.

    The budget decides how many items a mosaic holds on its unmasked form (every
    response present), so the strategy does not change k; masking then only
    shortens the answer. This also matches the reference's statistics.
    """

    prompt_tokens: int
    answer_tokens: int
    sizing_tokens: int
    rule: str | None
    outcome: Outcome
    layout: Layout
    template_id: str | None
    language: str = "en"

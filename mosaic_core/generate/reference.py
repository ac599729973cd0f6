"""The reference walk: the plain, obviously exact way to grow a mosaic.

It adds one item at a time and, after each, composes the mosaic's segments and
counts them (``composed.composed_tally``), stopping at the first item that would
go over the budget. No running sums and no bounds: this is the definition the
fast walk in ``walk.py``/``draft.py`` must match. A property test holds the two
to byte-identical exports; the reference is too slow for real runs.
"""

from __future__ import annotations

from mosaic_core.generate.composed import composed_tally
from mosaic_core.generate.draft import Draft
from mosaic_core.generate.state import State
from mosaic_core.generate.walk import MosaicRun

__all__ = ["ReferenceRun"]


class ReferenceRun(MosaicRun):
    """A ``MosaicRun`` whose mosaics grow by composing and counting at every step.

    >>> from mosaic_core.config import MosaicConfig
    >>> from mosaic_core.records import SourceRecord
    >>> from mosaic_core.table import SourceTable
    >>> records = [SourceRecord(str(i), f"Say {i}.", "", f"{i}") for i in range(6)]
    >>> table = SourceTable.build(records, "cl100k_base")
    >>> config = MosaicConfig(epochs=1, max_k=3)
    >>> slow, fast = ReferenceRun(table, config), MosaicRun(table, config)
    >>> [m.prompt for m in slow.mosaics()] == [m.prompt for m in fast.mosaics()]
    True
    """

    def grow(self, draft: Draft, order: list[int], position: int) -> State | None:
        budget = self.budget(order[position])
        limit = len(order) - position
        if draft.k_target is not None:
            limit = min(limit, draft.k_target)
        fitted: State | None = None
        while len(draft.items) < limit:
            draft.add(order[position + len(draft.items)])
            rule, outcome = draft.outcome()
            layout, template_id = draft.layout(rule, outcome)
            state = composed_tally(draft, rule, outcome, layout, template_id)
            if state.sizing_tokens > budget:
                draft.drop_last()
                break
            fitted = state
        return fitted

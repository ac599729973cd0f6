"""A set of samples to describe: the original sources, or a mosaic set.

Both kinds carry the same things (prompt and answer texts, a token frame), and
a mosaic set also its plans, so every statistic takes one type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from mosaic_core.config import MosaicConfig
from mosaic_core.records import Mosaic, Plan
from mosaic_core.stats.tokens import mosaic_token_frame, source_token_frame, unusable_count
from mosaic_core.table import SourceTable

__all__ = ["SampleSet"]


@dataclass(frozen=True, eq=False)
class SampleSet:
    """Texts and token counts of one set; ``plans`` only for mosaics.

    >>> from mosaic_core.records import SourceRecord
    >>> table = SourceTable.build([SourceRecord("1", "Say hi.", "", "Hi!")], "cl100k_base")
    >>> SampleSet.from_table(table, max_tokens=2000).tokens["total"].tolist()
    [5]
    """

    name: str
    prompts: Sequence[str]
    answers: Sequence[str]
    tokens: pd.DataFrame
    plans: Sequence[Plan] | None = None
    unusable: int | None = None
    """Sources too long for any mosaic, where known."""
    sources: int | None = None
    """The size of the source set the mosaics were drawn from, where known."""
    config: MosaicConfig | None = None
    """The recipe the mosaics were made with, where known (for configured against realised shares)."""
    languages: Sequence[str] | None = None
    """Per sample: a source's detected language ("" undetermined), or a mosaic's meta-instruction language."""

    @property
    def size(self) -> int:
        return len(self.prompts)

    @classmethod
    def from_table(cls, table: SourceTable, max_tokens: int | None = None) -> SampleSet:
        """The original set, with its counts taken from the table (tokenized once)."""
        frame = source_token_frame(table)
        unusable = None if max_tokens is None else unusable_count(frame["prompt"], frame["answer"], max_tokens)
        n = table.size
        return cls("original", table.texts[:n], table.texts[n:], frame, None, unusable, n, None, table.languages)

    @classmethod
    def from_mosaics(
        cls,
        mosaics: Sequence[Mosaic],
        table: SourceTable | None = None,
        unusable: int | None = None,
        sources: int | None = None,
        config: MosaicConfig | None = None,
    ) -> SampleSet:
        """A mosaic set, its counts read off the plans (with the table: also per component)."""
        plans = [m.plan for m in mosaics]
        return cls(
            "mosaic",
            [m.prompt for m in mosaics],
            [m.answer for m in mosaics],
            mosaic_token_frame(plans, table),
            plans,
            unusable,
            table.size if table is not None and sources is None else sources,
            config,
            [plan.language for plan in plans],
        )

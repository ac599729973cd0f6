"""Which language each mosaic of a run is written in, under the recipe's meta-language policy.

``text/language.py`` detects each record's language; this module turns those
labels into one decision per mosaic, fast enough for the engine's inner loop:
each record gets a small integer vote (-1 when undetermined), and a mosaic's
language is the one its votes share if that language has a pack, else the
dataset's main language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mosaic_core.config import MosaicConfig
from mosaic_core.table import SourceTable
from mosaic_core.text.language import AUTO, UNDETERMINED, main_language
from mosaic_core.text.templates import TemplateLibrary

__all__ = ["Languages"]


@dataclass
class Languages:
    """A run's languages: the policy's decision for any set of items."""

    main: str
    """The fixed language, or under ``auto`` the dataset's main language that has a pack."""
    in_play: list[str]
    """Every language a mosaic of this run may be written in (main first)."""
    fixed: bool = True
    separate: bool = False
    votes: Sequence[int] = ()
    """Per record: the index of its language in ``codes`` (-1: undetermined)."""
    codes: list[str] = field(default_factory=list)
    """Each voted language's pack, or the main language where it has none."""
    group: Sequence[int] = ()
    """Per record: the mosaics it may share; under ``separate`` one group per detected language (undetermined
    records join the main one's), else the index in ``in_play`` of the language its mosaic takes alone."""
    foreign: Sequence[bool] = ()
    """Per record: whether it votes for a language other than the main one (so may take its mosaic there)."""

    @classmethod
    def of(cls, table: SourceTable, config: MosaicConfig, library: TemplateLibrary) -> Languages:
        if config.meta_language != AUTO:
            return cls(config.meta_language, [config.meta_language], foreign=[False] * table.size)
        labels = table.languages
        available = library.languages()
        known = table.main_language
        main = known if known in available else main_language(labels, available)
        seen = sorted({label for label in labels if label != UNDETERMINED})
        index = {label: i for i, label in enumerate(seen)}
        codes = [label if label in available else main for label in seen]
        in_play = [main, *sorted({code for code in codes if code != main})]
        votes = [index.get(label, -1) for label in labels]
        position = {code: i for i, code in enumerate(in_play)}
        separate = config.mixed_languages == "separate"
        group = [position[codes[v]] if v >= 0 else 0 for v in votes]
        foreign = [g != 0 for g in group]
        if separate:  # by detected language, so a language without a pack keeps to itself too (in the main one's)
            own = index.get(main, -1)
            group = [v if v >= 0 else own for v in votes]
        return cls(main, in_play, False, separate, votes, codes, group, foreign)

    def of_items(self, items: Sequence[int]) -> str:
        """The language of a mosaic of these records.

        >>> Languages("en", ["en", "zh"], False, False, [0, 1, -1], ["zh", "en"]).of_items([0, 2])
        'zh'
        """
        if self.fixed:
            return self.main
        votes, shared = self.votes, -1
        for item in items:
            vote = votes[item]
            if vote < 0 or vote == shared:
                continue
            if shared >= 0:
                return self.main  # the items disagree
            shared = vote
        return self.codes[shared] if shared >= 0 else self.main

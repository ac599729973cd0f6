"""Which source items a run may place in mosaics, and why each of the others may not.

Two kinds stay out of every epoch, each listed in the manifest with its reason
(and written as a plain sample under ``keep_unusable``): an item over the
token budget on its own (with the system prompt and tools it would carry), and,
under ``conversation_items: apart``, an item whose instruction speaks to the
whole conversation (``text/conversation.py``), points to a text it does not hold
("the above", or "the following photo" with no input), or starts a later part of
a chat split into parts (its first turn answers turns in another part;
``io/load.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from mosaic_core.config import MosaicConfig
from mosaic_core.generate.languages import Languages
from mosaic_core.generate.report import Unusable
from mosaic_core.table import SourceTable
from mosaic_core.text.conversation import conversation_phrases
from mosaic_core.text.templates import TemplateLibrary

__all__ = ["LATER_PART", "Sources", "context_tokens", "record_contexts", "sort_sources", "talking_items"]

LATER_PART = "(a later part of a split conversation)"
"""What stands for the words found where an item starts a later part of a chat split into parts."""


@dataclass
class Sources:
    usable: list[int]
    """Indices of the items that may join mosaics, in table order."""
    left_out: list[int]
    """Indices of the others, in table order."""
    unusable: list[Unusable]
    """Why each of ``left_out`` is (the same order)."""
    conversation: int = 0
    """How many of them speak to the whole conversation or start a later part of a split chat."""
    context: list[int] | None = None
    """Per item, the tokens of the system prompt and tools a mosaic of it carries (None: no item has any)."""


def sort_sources(table: SourceTable, config: MosaicConfig, languages: Languages, library: TemplateLibrary) -> Sources:
    """The run's usable items and the ones left out, with their reasons."""
    budget, n = config.max_tokens, table.size
    phrases = talking(table, languages, library) if config.conversation_items == "apart" else None
    context = context_tokens(table)
    usable: list[int] = []
    left_out: list[int] = []
    unusable: list[Unusable] = []
    talkers = 0
    counts = table.counts
    for i in range(n):
        bare = counts[i] + counts[n + i]
        if context is not None:
            bare += context[i]
        if bare > budget:
            unusable.append(Unusable.over_budget(table.ids[i], bare, budget, context is not None and context[i] > 0))
        elif phrases is not None and phrases[i]:
            if phrases[i] == LATER_PART:
                unusable.append(Unusable.later_part(table.ids[i], bare))
            else:
                unusable.append(Unusable.conversation(table.ids[i], bare, phrases[i]))
            talkers += 1
        else:
            usable.append(i)
            continue
        left_out.append(i)
    return Sources(usable, left_out, unusable, talkers, context)


def record_contexts(table: SourceTable) -> tuple[list[int], list[tuple[str, str]]]:
    """Each record's context (system prompt and tools) as a small integer, and the contexts themselves; worked
    out once per table (the walk groups by it, the budget counts it)."""
    known = table.memo.get("contexts")
    if known is None:
        index: dict[tuple[str, str], int] = {}
        contexts = [
            index.setdefault((r.system if r.system.strip() else "", r.tools), len(index)) for r in table.records
        ]
        known = table.memo["contexts"] = (contexts, list(index) or [("", "")])
    return known


def context_tokens(table: SourceTable) -> list[int] | None:
    """Per record, the tokens of its system prompt and its tools' JSON text, which a mosaic of it carries and the
    budget counts (None when no record has either). A mosaic carries its first item's, or none
    (``mixed_contexts: mix``), so the first item's is what its budget leaves out."""
    contexts, values = record_contexts(table)
    costs = [sum(table.counter.count(text) for text in value if text) for value in values]
    return [costs[context] for context in contexts] if any(costs) else None


def talking(table: SourceTable, languages: Languages, library: TemplateLibrary) -> list[str]:
    """Per item, the words by which its instruction speaks to the whole conversation ("" for none).

    Worked out once per table and set of packs (forked workers find it done).
    """
    packs = library.packs
    talk = tuple((code, pack.conversation) for code, pack in sorted(packs.items()))
    key = ("conversation", talk, languages.fixed, languages.main, tuple(languages.codes))
    known = table.memo.get(key)
    if known is None:
        if languages.fixed:
            reading = [languages.main] * table.size
        else:
            codes, main = languages.codes, languages.main
            reading = [codes[vote] if vote >= 0 else main for vote in languages.votes]
        instructions = [record.instruction for record in table.records]
        open_ended = [not record.input.strip() for record in table.records]
        answers = [record.response_text for record in table.records]
        known = table.memo[key] = conversation_phrases(
            instructions, reading, packs, open_ended=open_ended, answers=answers
        )
        for index, record in enumerate(table.records):
            if record.metadata.get("part") and not known[index]:
                known[index] = LATER_PART
    return known


def talking_items(table: SourceTable, config: MosaicConfig) -> list[str]:
    """Per item, the words by which it speaks to the whole conversation, read as a run of ``config`` reads
    them (the app's Data page lists what its runs will leave out)."""
    library = config.library()
    return talking(table, Languages.of(table, config, library), library)

"""What a run counts as it goes: mosaics, item slots, and the items it could not use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mosaic_core.config import MosaicConfig
from mosaic_core.records import Plan
from mosaic_core.rules.registry import ORDERED_STRATEGIES

__all__ = ["RunReport", "Unusable", "shares"]


@dataclass(frozen=True, slots=True)
class Unusable:
    """A source item that could not be placed in any mosaic, and why."""

    id: str
    tokens: int
    reason: str
    epoch: int | None = None
    """The epoch whose walk met it; None for an item over the budget on its own (every epoch)."""

    @classmethod
    def over_budget(cls, item_id: str, tokens: int, budget: int, context: bool = False) -> Unusable:
        """An item whose instruction and response alone (and its system prompt and tools) exceed the budget."""
        alone = "with its system prompt and tools" if context else "on its own"
        return cls(item_id, tokens, f"{tokens} tokens {alone}, over the budget of {budget}")

    @classmethod
    def conversation(cls, item_id: str, tokens: int, phrase: str) -> Unusable:
        """An item whose instruction speaks to the whole conversation, or points to a text it does not hold ("the
        above", "the following photo" with no input; ``conversation_items: apart``)."""
        return cls(
            item_id,
            tokens,
            f'speaks to the whole conversation, or to a text it does not hold ("{phrase}"), so it is kept out of '
            "mosaics",
        )

    @classmethod
    def later_part(cls, item_id: str, tokens: int) -> Unusable:
        """The first turn of a later part of a split conversation (``conversation_items: apart``)."""
        return cls(
            item_id,
            tokens,
            "starts a later part of a split conversation, answering turns it does not hold, so it "
            "is kept out of mosaics",
        )

    @classmethod
    def undecorated_only(cls, item_id: str, tokens: int, epoch: int) -> Unusable:
        """An item that fits the budget bare, but not with the numbering and sentences of a mosaic."""
        return cls(item_id, tokens, "fits the budget only without any decoration", epoch)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "tokens": self.tokens, "reason": self.reason, "epoch": self.epoch}


@dataclass
class RunReport:
    """Counts of a run, filled in as mosaics are generated."""

    sources: int = 0
    usable: int = 0
    mosaics: int = 0
    plain_samples: int = 0
    item_slots: int = 0
    unusable: list[Unusable] = field(default_factory=list)
    mosaics_per_epoch: dict[int, int] = field(default_factory=dict)
    strategies: dict[str, int] = field(default_factory=dict)
    """Mosaics per strategy as made (a one-item mosaic or one whose rules all fail is primary or format)."""
    rules: dict[str, int] = field(default_factory=dict)
    """Mosaics per rule as made (after the fair fallback)."""
    languages: dict[str, int] = field(default_factory=dict)
    """Mosaics per language of their meta-instructions."""
    language_rules: dict[str, dict[str, int]] = field(default_factory=dict)
    """Mosaics per rule, in each language."""
    source_languages: dict[str, int] = field(default_factory=dict)
    """Source records per detected language ("" undetermined), where the run detected them (``auto``)."""
    contexts_dropped: int = 0
    """Mosaics whose items' system prompts or tools differed, so carry neither (``mixed_contexts: mix``)."""
    with_system: int = 0
    """Mosaics and plain samples that carry a system prompt."""
    with_tools: int = 0
    """Mosaics and plain samples that carry tool schemas."""
    conversation_items: int = 0
    """Source items kept out of mosaics as speaking to the whole conversation (``conversation_items: apart``)."""

    def count(self, strategy: str, rule: str | None, language: str = "en") -> None:
        self.strategies[strategy] = self.strategies.get(strategy, 0) + 1
        self.languages[language] = self.languages.get(language, 0) + 1
        if rule is not None:
            self.rules[rule] = self.rules.get(rule, 0) + 1
            per = self.language_rules.setdefault(language, {})
            per[rule] = per.get(rule, 0) + 1

    @classmethod
    def from_plans(cls, plans: Iterable[Plan]) -> RunReport:
        """The strategy and rule counts of a set of mosaics (plain samples left out)."""
        report = cls()
        for plan in plans:
            if plan.strategy != "plain":
                report.mosaics += 1
                report.item_slots += plan.k
                report.count(plan.strategy, plan.rule, plan.language)
        return report

    def merge(self, other: RunReport) -> None:
        """Fold in the counts of a part of the run (an epoch made elsewhere)."""
        self.mosaics += other.mosaics
        self.item_slots += other.item_slots
        self.plain_samples += other.plain_samples
        self.contexts_dropped += other.contexts_dropped
        self.with_system += other.with_system
        self.with_tools += other.with_tools
        pairs = [(self.strategies, other.strategies), (self.rules, other.rules), (self.languages, other.languages)]
        pairs += [(self.language_rules.setdefault(lang, {}), theirs) for lang, theirs in other.language_rules.items()]
        for mine, theirs in pairs:
            for name, value in theirs.items():
                mine[name] = mine.get(name, 0) + value

    def notes(self) -> list[str]:
        """What the run's user should hear of its counts (the manifest holds them all)."""
        said = []
        if self.contexts_dropped:
            said.append(
                f"{self.contexts_dropped:,} mosaics joined items with different system prompts or tools, so "
                "carry neither (mixed_contexts: mix)"
            )
        if self.conversation_items:
            said.append(
                f'{self.conversation_items:,} items speak to the whole conversation ("from now on", "ignore the '
                'previous instructions"…), point to a text they do not hold ("the above", "the following photo" '
                "with none) or start a later part of a split chat, and stay out of mosaics (conversation_items: "
                "apart; the manifest lists them)"
            )
        return said

    @property
    def mean_k(self) -> float:
        return self.item_slots / self.mosaics if self.mosaics else 0.0


def shares(config: MosaicConfig, report: RunReport) -> dict[str, Any]:
    """Configured against realised shares of each strategy (of all mosaics) and rule (of its strategy's).

    A one-item mosaic is always primary or format, so order and mask shares fall short of the
    configured ones by about the share of one-item mosaics.
    """
    total_weight = sum(config.mix.values())
    made = max(report.mosaics, 1)
    strategies = {
        name: {
            "configured": round(weight / total_weight, 4),
            "realised": round(report.strategies.get(name, 0) / made, 4),
        }
        for name, weight in config.mix.items()
    }
    library = config.library()
    by_language = {
        language: _rule_shares(config, counts, library.pack(language).uses_family)
        for language, counts in sorted(report.language_rules.items())
    }
    return {"strategies": strategies, "rules": _rule_shares(config, report.rules), "by_language": by_language}


def _rule_shares(
    config: MosaicConfig, counts: dict[str, int], applies: Callable[[str], bool] = lambda name: True
) -> dict[str, dict[str, float]]:
    """Each enabled rule's configured share of its strategy (among the rules that apply) against its realised one."""
    rules: dict[str, dict[str, float]] = {}
    for strategy in ORDERED_STRATEGIES:
        enabled = [n for n in config.enabled_rules(strategy) if applies(n)] if config.mix[strategy] > 0 else []
        with_rule = max(sum(counts.get(name, 0) for name in enabled), 1)
        for name in enabled:
            rules[name] = {
                "configured": round(1 / len(enabled), 4),
                "realised": round(counts.get(name, 0) / with_rule, 4),
            }
    return rules

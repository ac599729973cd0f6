"""What a run counts as it goes: mosaics, item slots, and the items it could not use."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RunReport", "Unusable"]


@dataclass(frozen=True, slots=True)
class Unusable:
    """A source item that could not be placed in any mosaic, and why."""

    id: str
    tokens: int
    reason: str
    epoch: int | None = None
    """The epoch whose walk met it; None for an item over the budget on its own (every epoch)."""

    @classmethod
    def over_budget(cls, item_id: str, tokens: int, budget: int) -> Unusable:
        """An item whose instruction and response alone exceed the budget."""
        return cls(item_id, tokens, f"{tokens} tokens on its own, over the budget of {budget}")

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

    @property
    def mean_k(self) -> float:
        return self.item_slots / self.mosaics if self.mosaics else 0.0

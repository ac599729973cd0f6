"""The two record types: a source pair, and a mosaic with the plan that made it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mosaic_core.errors import DatasetError

__all__ = ["Decoration", "Mosaic", "Plan", "SourceRecord"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One normalized instruction-response pair from a source dataset."""

    id: str
    instruction: str
    input: str = ""
    output: str = ""
    system: str = ""
    category: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """What the loader noticed: ``part`` for a later part of a chat split into parts (``io/load.py``)."""
    tools: str = ""
    """Tool schemas offered to the model, as JSON text ("" when none)."""

    @property
    def prompt_text(self) -> str:
        """The instruction as it appears in a mosaic: instruction, then input on a new line.

        >>> SourceRecord("1", " Sum these ", "2, 3", "5").prompt_text
        'Sum these\\n2, 3'
        """
        instruction = self.instruction.strip()
        extra = self.input.strip()
        return f"{instruction}\n{extra}" if extra else instruction

    @property
    def response_text(self) -> str:
        return self.output.strip()

    @property
    def language_text(self) -> str:
        """The text its language is read from: the instruction alone, which is what a mosaic's sentences
        speak to (an input may be in the language the task is about), or the input where that is all.

        >>> SourceRecord("1", "Translate into English:", "Guten Morgen", "Good morning").language_text
        'Translate into English:'
        """
        return self.instruction.strip() or self.prompt_text


@dataclass(frozen=True, slots=True)
class Decoration:
    """Everything drawn once per mosaic that shapes its text, but not its content."""

    tag_style: int
    tag_punct: str
    tag_newline: bool
    inst_sep: str
    wrapper: tuple[str, str] | None
    format_template: str | None
    format_before: bool
    format_sep: str
    outer_before: bool
    outer_sep: str


@dataclass(frozen=True, slots=True)
class Plan:
    """How a mosaic was made; statistics, the verifier and the manifest read it."""

    seed: int
    epoch: int
    index: int
    source_ids: tuple[str, ...]
    k_target: int | None
    strategy: str
    rule: str | None
    outer_template: str | None
    order: tuple[int, ...]
    masked: tuple[int, ...]
    values: tuple[tuple[str, str], ...]
    decoration: Decoration
    instruction_chars: tuple[int, ...]
    response_chars: tuple[int, ...]
    prompt_tokens: int
    answer_tokens: int
    language: str = "en"
    """The language of its meta-instructions (a template pack's code)."""

    @property
    def k(self) -> int:
        return len(self.source_ids)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.answer_tokens

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written with provenance (spelled out: ``asdict`` is slow here)."""
        deco = self.decoration
        return {
            "seed": self.seed,
            "epoch": self.epoch,
            "index": self.index,
            "source_ids": list(self.source_ids),
            "k_target": self.k_target,
            "strategy": self.strategy,
            "rule": self.rule,
            "outer_template": self.outer_template,
            "order": list(self.order),
            "masked": list(self.masked),
            "values": dict(self.values),
            "decoration": {
                "tag_style": deco.tag_style,
                "tag_punct": deco.tag_punct,
                "tag_newline": deco.tag_newline,
                "inst_sep": deco.inst_sep,
                "wrapper": list(deco.wrapper) if deco.wrapper else None,
                "format_template": deco.format_template,
                "format_before": deco.format_before,
                "format_sep": deco.format_sep,
                "outer_before": deco.outer_before,
                "outer_sep": deco.outer_sep,
            },
            "instruction_chars": list(self.instruction_chars),
            "response_chars": list(self.response_chars),
            "prompt_tokens": self.prompt_tokens,
            "answer_tokens": self.answer_tokens,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Rebuild a plan from its JSON form (as written with provenance)."""
        try:
            deco = dict(data["decoration"])
            wrapper = deco.get("wrapper")
            deco["wrapper"] = tuple(wrapper) if wrapper else None
            return cls(
                seed=int(data["seed"]),
                epoch=int(data["epoch"]),
                index=int(data["index"]),
                source_ids=tuple(str(s) for s in data["source_ids"]),
                k_target=None if data["k_target"] is None else int(data["k_target"]),
                strategy=str(data["strategy"]),
                rule=data["rule"],
                outer_template=data["outer_template"],
                order=tuple(int(p) for p in data["order"]),
                masked=tuple(int(p) for p in data["masked"]),
                values=tuple(sorted((str(k), str(v)) for k, v in dict(data["values"]).items())),
                decoration=Decoration(**deco),
                instruction_chars=tuple(int(c) for c in data["instruction_chars"]),
                response_chars=tuple(int(c) for c in data["response_chars"]),
                prompt_tokens=int(data["prompt_tokens"]),
                answer_tokens=int(data["answer_tokens"]),
                language=str(data.get("language", "en")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(f"the mosaic plan is incomplete or malformed: {exc!r}") from None


@dataclass(frozen=True, slots=True)
class Mosaic:
    """A finished sample: prompt and answer text, and its plan."""

    prompt: str
    answer: str
    plan: Plan
    system: str = ""
    """The system prompt its items share ("" when none, or when they differ under ``mixed_contexts: mix``)."""
    tools: str = ""
    """The tool schemas its items share, as JSON text ("" when none)."""

"""Load a dataset into normalized ``SourceRecord``s, accounting for every row."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.io.guard import finish_interrupted
from mosaic_core.io.readers import iter_rows
from mosaic_core.io.schemas import ColumnMapping, Exchange, Problem, detect_schema, extract, shown
from mosaic_core.io.source import RowError, Source
from mosaic_core.io.turns import Link
from mosaic_core.records import SourceRecord
from mosaic_core.text.leftovers import strip_leftovers

__all__ = ["LEFTOVER_POLICIES", "MULTI_TURN_POLICIES", "Conversation", "LoadReport", "LoadResult", "load_dataset"]

MULTI_TURN_POLICIES = ("first", "skip", "keep")
LEFTOVER_POLICIES = ("keep", "strip")
_EXAMPLES = 3
_PART = re.compile(r".+_([1-9][0-9]*)")
"""A chat record's id that marks a later part of a conversation split into parts (FastChat's ``id_1``,
``id_2``, …): its first turn answers turns that are in another part (``generate/sources.py``)."""


@dataclass
class LoadReport:
    """What happened to every row of a source."""

    source: str
    kind: str = ""
    schema: str = ""
    mapping: dict[str, str | None] | None = None
    rows: int = 0
    loaded: int = 0
    problems: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    system_prompts: int = 0
    tools: int = 0
    """Records that offer the model tool schemas."""
    tool_turns: int = 0
    """Records whose conversation calls a tool (function_call and observation turns)."""
    trimmed_turns: int = 0
    """Conversations whose last question had no answer: that turn is left out."""
    multi_turn: int = 0
    multi_turn_policy: str = "first"
    split: str | None = None
    """The split read, where the input held several."""
    kept_whole: int = 0
    kept_later_parts: int = 0
    """Conversations kept whole that are a later part of a split chat: they begin with turns that answer others."""
    renamed_ids: int = 0
    placeholder_inputs: int = 0
    """Inputs that were a placeholder for none (``<noinput>``), left out of their records."""
    chat_leftovers: int = 0
    """Records whose user text ends with what a chat site left there ("Share Prompt", "2 / 2")."""
    chat_leftovers_policy: str = "keep"
    """``keep`` them as they are, or ``strip`` them (``text/leftovers.py``)."""

    @property
    def skipped(self) -> int:
        return sum(self.problems.values())

    def note(self, code: str, row: int, record_id: str | None, message: str) -> None:
        self.problems[code] = self.problems.get(code, 0) + 1
        shown = self.examples.setdefault(code, [])
        if len(shown) < _EXAMPLES:
            shown.append({"row": row, "id": record_id, "message": message})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "schema": self.schema,
            "mapping": self.mapping,
            "rows": self.rows,
            "loaded": self.loaded,
            "skipped": self.skipped,
            "problems": dict(sorted(self.problems.items())),
            "examples": dict(sorted(self.examples.items())),
            "system_prompts": self.system_prompts,
            "tools": self.tools,
            "tool_turns": self.tool_turns,
            "trimmed_turns": self.trimmed_turns,
            "multi_turn": self.multi_turn,
            "multi_turn_policy": self.multi_turn_policy,
            "split": self.split,
            "kept_whole": self.kept_whole,
            "kept_later_parts": self.kept_later_parts,
            "renamed_ids": self.renamed_ids,
            "placeholder_inputs": self.placeholder_inputs,
            "chat_leftovers": self.chat_leftovers,
            "chat_leftovers_policy": self.chat_leftovers_policy,
        }

    def summary(self) -> str:
        """One line for the CLI.

        >>> LoadReport("x.json", rows=3, loaded=2, problems={"empty_field": 1}).summary()
        'x.json: 2 of 3 records loaded; skipped: empty_field 1'
        """
        text = f"{self.source}: {self.loaded} of {self.rows} records loaded"
        if self.kept_whole:
            text += f" as items, {self.kept_whole} kept whole as conversations"
            if self.kept_later_parts:
                text += f" ({self.kept_later_parts} of them later parts of a split chat, which begin mid-conversation)"
        if self.problems:
            text += "; skipped: " + ", ".join(f"{code} {n}" for code, n in sorted(self.problems.items()))
        if self.placeholder_inputs:
            text += f"; {self.placeholder_inputs} placeholder inputs (<noinput>) left out"
        if self.chat_leftovers:
            done = (
                "taken off" if self.chat_leftovers_policy == "strip" else "kept (--chat-leftovers strip takes it off)"
            )
            text += f'; {self.chat_leftovers} end with what a chat site left ("Share Prompt", "2 / 2"), {done}'
        return text


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation kept whole (policy ``keep``): its turns as (role, text), roles as in ``Exchange.whole``."""

    id: str
    turns: tuple[tuple[str, str], ...]
    system: str = ""
    tools: str = ""
    links: tuple[Link | None, ...] = ()
    """Per turn, what an OpenAI tool turn holds beyond its text: call ids, words beside the calls."""


@dataclass
class LoadResult:
    records: list[SourceRecord]
    report: LoadReport
    conversations: list[Conversation] = field(default_factory=list)
    """Multi-turn conversations, and conversations that call tools, kept whole (policy ``keep``)."""


def _check_mapped(mapping: ColumnMapping, rows: list[Mapping[str, Any]], name: str) -> None:
    """Refuse a mapping that names a column none of the first rows holds: a typo in an optional one ("contxt")
    would otherwise drop that field from every record without a word."""
    seen = {key for row in rows for key in row}
    for role, column in mapping.to_dict().items():
        if column is not None and column not in seen:
            shown = ", ".join(sorted(map(str, seen))[:12]) or "none"
            raise DatasetError(
                f"{name}: --map {role}={column}: no such column in its first {len(rows)} records (columns: {shown})"
            )


def load_dataset(
    source: Source | str | os.PathLike[str],
    mapping: ColumnMapping | None = None,
    on_invalid: str = "skip",
    multi_turn: str = "first",
    progress: Callable[[int, int], None] | None = None,
    chat_leftovers: str = "keep",
) -> LoadResult:
    """Read, detect the schema, normalize; every row ends up loaded or counted.

    >>> import json
    >>> rows = [{"instruction": "Hi", "output": "Hello"}, {"instruction": "", "output": "x"}]
    >>> result = load_dataset(Source.from_bytes("t.json", json.dumps(rows).encode()))
    >>> result.report.summary()
    't.json: 1 of 2 records loaded; skipped: empty_field 1'
    """
    if on_invalid not in ("skip", "fail"):
        raise ConfigError(f"on_invalid must be 'skip' or 'fail', got {on_invalid!r}")
    if multi_turn not in MULTI_TURN_POLICIES:
        raise ConfigError(f"multi_turn must be one of {', '.join(MULTI_TURN_POLICIES)}, got {multi_turn!r}")
    if chat_leftovers not in LEFTOVER_POLICIES:
        raise ConfigError(f"chat_leftovers must be one of {', '.join(LEFTOVER_POLICIES)}, got {chat_leftovers!r}")
    if not isinstance(source, Source):
        source = Source.from_path(source)
    if source.path is not None:  # an export of ours whose run was killed mid-commit is finished first
        finish_interrupted(source.path)
    kind, rows = iter_rows(source, progress)
    report = LoadReport(source.name, kind=kind, multi_turn_policy=multi_turn, split=source.split)
    report.chat_leftovers_policy = chat_leftovers
    report.mapping = mapping.to_dict() if mapping else None
    # Look at up to 50 rows, and past any run of broken lines, to find the schema.
    first_rows: list[tuple[int, Any]] = []
    valid = 0
    for item in rows:
        first_rows.append(item)
        valid += not isinstance(item[1], RowError)
        if valid and len(first_rows) >= 50:
            break
    if not first_rows:
        raise DatasetError(f"{source.name}: holds no records")
    if not valid:
        raise DatasetError(f"{source.name}: no record is valid JSON; {first_rows[0][1].message}")
    if mapping is None:
        report.schema = detect_schema((row for _, row in first_rows if not isinstance(row, RowError)), source.name)
    else:
        report.schema = "columns"
        _check_mapped(mapping, [row for _, row in first_rows if isinstance(row, Mapping)], source.name)
    records: list[SourceRecord] = []
    conversations: list[Conversation] = []
    seen: dict[str, int] = {}
    for number, row in itertools.chain(first_rows, rows):
        report.rows += 1
        got: Exchange | Problem = (
            Problem("broken_json", row.message) if isinstance(row, RowError) else extract(row, report.schema, mapping)
        )
        if isinstance(got, Problem):
            raw = row.get("id") if isinstance(row, dict) else None
            if on_invalid == "fail":
                where = f"record {number}" + (f" (id {shown(raw)})" if raw is not None else "")
                raise DatasetError(f"{source.name}: {where}: {got.message}")
            report.note(got.code, number, None if raw is None else str(raw), got.message)
            continue
        if _leftovers(got, chat_leftovers == "strip", whole=multi_turn == "keep"):
            report.chat_leftovers += 1
        record_id = got.raw_id if got.raw_id is not None else f"row-{number}"
        if record_id in seen:
            report.renamed_ids += 1
            suffix = seen[record_id]
            while f"{record_id}~{suffix}" in seen:
                suffix += 1
            seen[record_id] = suffix + 1
            record_id = f"{record_id}~{suffix}"
        seen.setdefault(record_id, 2)
        if got.system.strip():
            report.system_prompts += 1
        report.tools += bool(got.tools)
        report.tool_turns += got.tool_turns
        report.trimmed_turns += got.trimmed
        report.placeholder_inputs += got.placeholder_input
        if got.turns > 1 or got.first_calls_tool:
            report.multi_turn += got.turns > 1
            if multi_turn == "keep":
                report.kept_whole += 1
                report.kept_later_parts += report.schema in ("sharegpt", "openai") and bool(_PART.fullmatch(record_id))
                conversations.append(Conversation(record_id, got.whole, got.system, got.tools, got.links))
                continue
            if multi_turn == "skip" and got.turns > 1:
                report.note(
                    "multi_turn_skipped", number, record_id, f"{got.turns} exchanges; multi-turn records are skipped"
                )
                continue
            if got.first_calls_tool:
                report.note(
                    "tool_call_first",
                    number,
                    record_id,
                    "the first answer is a tool call, so there is no plain exchange for a mosaic "
                    "(--multi-turn keep keeps such conversations whole)",
                )
                continue
        part = _PART.fullmatch(record_id) if report.schema in ("sharegpt", "openai") else None
        records.append(
            SourceRecord(
                record_id,
                got.instruction,
                got.input,
                got.output,
                got.system,
                got.category,
                metadata={"part": int(part.group(1))} if part else {},
                tools=got.tools,
            )
        )
    report.loaded = len(records)
    if not records and not conversations:
        reasons = ", ".join(f"{code} {n}" for code, n in sorted(report.problems.items())) or "none"
        example = next(iter(report.examples.values()), [{}])[0]
        detail = f"; e.g. record {example.get('row')}: {example.get('message')}" if example else ""
        raise DatasetError(f"{source.name}: no usable records ({reasons}){detail}")
    return LoadResult(records, report, conversations)


def _leftovers(got: Exchange, strip: bool, whole: bool) -> bool:
    """Whether the user's texts of ``got`` that a run uses (its first exchange, or with ``whole`` every turn)
    end with what a chat site left there; with ``strip``, taken off.

    A text that is nothing but such words is kept whole: taking them would leave no instruction.
    """

    def bare(text: str) -> str | None:
        taken = strip_leftovers(text)
        return taken if taken != text and taken.strip() else None

    found = [bare(got.instruction), bare(got.input)]
    if strip:
        got.instruction, got.input = found[0] or got.instruction, found[1] or got.input
    if whole and got.whole:
        turns = [(role, bare(said) if role == "user" else None) for role, said in got.whole]
        found += [taken for _, taken in turns]
        if strip:
            got.whole = tuple((role, taken or said) for (role, said), (_, taken) in zip(got.whole, turns, strict=True))
    return any(taken is not None for taken in found)

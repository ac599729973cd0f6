"""The rows of an export: one fixed set of columns per export, the same in every file type.

A ``RowShape`` is decided once per export, from the record format and what the
source holds: alpaca's ``system`` column only when some record has a system prompt,
``tools`` only when some record offers tools, alpaca's ``history`` only when
whole conversations are kept, OpenAI ``tool_calls`` only when a kept
conversation calls a tool. Every row then has exactly these columns, in this
order, and Parquet and ``hf`` exports declare the same types (``arrow_schema``),
so a JSON export and a Parquet export of one run load in ``datasets`` with equal
features and can be concatenated.

Turns use four roles: ``user``, ``assistant``, ``function_call`` (a tool call,
JSON text ``{"name": ..., "arguments": ...}`` or a list of them) and
``observation`` (what the tool returned). Each format names them its own way:

========== ================ ================================================
format      system           tool turns
========== ================ ================================================
alpaca      ``system``       none: a conversation with tool turns is left out
sharegpt    a system turn    ``function_call`` / ``observation`` turns
messages    a system turn    assistant ``tool_calls`` / ``tool`` turns
prompt_     none             none
completion
========== ================ ================================================

What a format has no place for is counted in ``Losses`` (the manifest's
``export.not_carried``), never dropped without a count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import orjson

from mosaic_core.errors import ConfigError
from mosaic_core.io.turns import TOOL_ROLES, Link

if TYPE_CHECKING:
    import pyarrow as pa

    from mosaic_core.io.load import LoadResult
    from mosaic_core.records import Mosaic

__all__ = ["RECORD_FORMATS", "Losses", "RowShape", "tool_calls"]

RECORD_FORMATS = ("alpaca", "sharegpt", "messages", "prompt_completion")
_ROLES = {"function_call": "assistant", "observation": "tool"}  # OpenAI messages' roles for our tool turns
_SHAREGPT_ROLES = {"user": "human", "assistant": "gpt", "function_call": "function_call", "observation": "observation"}

Turns = tuple[tuple[str, str], ...]


@dataclass
class Losses:
    """What the export's format had no place for, by kind (the manifest's ``export.not_carried``)."""

    counts: Counter[str] = field(default_factory=Counter)

    SAID: ClassVar[dict[str, str]] = {
        "system_prompts": "system prompts are not in the export: the format has no place for them",
        "tools": "tool lists are not in the export: the format has no place for them",
        "conversations_with_tool_turns": "conversations that call tools are left out: alpaca has no place for "
        "tool turns",
        "unreadable_tool_calls": "conversations are left out: a tool call is not JSON with a name",
        "tool_call_ids": "tool turns are written without their call ids: the format has no place for them",
        "words_beside_tool_calls": "assistant words beside a tool call are not in the export: the format has no "
        "place for them",
    }
    """Each kind, said in a sentence (the CLI's notes)."""

    def add(self, kind: str, count: int = 1) -> None:
        if count:
            self.counts[kind] += count

    def to_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


def tool_calls(text: str) -> list[dict[str, Any]] | None:
    """A function-call turn as OpenAI ``tool_calls``, arguments as JSON text (None: not a call we can read).

    >>> tool_calls('{"name": "add", "arguments": {"a": 1}}')
    [{'type': 'function', 'function': {'name': 'add', 'arguments': '{"a":1}'}}]
    """
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    calls = data if isinstance(data, list) else [data]
    found = []
    for call in calls:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            return None
        arguments = call.get("arguments", {})
        if not isinstance(arguments, str):
            arguments = orjson.dumps(arguments).decode()
        found.append({"type": "function", "function": {"name": call["name"], "arguments": arguments}})
    return found or None


@dataclass(frozen=True)
class RowShape:
    """The columns every row of one export has."""

    record_format: str
    provenance: bool = True
    system: bool = False
    tools: bool = False
    history: bool = False
    """alpaca: a ``history`` column of earlier [instruction, response] pairs."""
    tool_calls: bool = False
    """messages: a ``tool_calls`` field on every message (null where a message calls nothing)."""
    call_ids: bool = False
    """messages: calls carry their ``id`` and every message a ``tool_call_id`` (null but on a tool's result)."""

    def __post_init__(self) -> None:
        if self.record_format not in RECORD_FORMATS:
            raise ConfigError(f"unknown record format {self.record_format!r}; known: {', '.join(RECORD_FORMATS)}")

    @classmethod
    def of(cls, record_format: str, provenance: bool, loaded: LoadResult | None = None) -> RowShape:
        """The shape for an export of ``loaded`` (its system prompts, tools and kept conversations)."""
        if loaded is None:
            return cls(record_format, provenance)
        report, conversations = loaded.report, loaded.conversations
        holds = record_format == "alpaca"  # the chat formats open with a system turn instead
        calls = any(role == "function_call" for c in conversations for role, _ in c.turns)
        ids = any(link is not None and link.ids for c in conversations for link in c.links)
        return cls(
            record_format,
            provenance,
            system=holds and report.system_prompts > 0,
            tools=record_format != "prompt_completion" and (report.tools > 0),
            history=record_format == "alpaca" and bool(conversations),
            tool_calls=record_format == "messages" and calls,
            call_ids=record_format == "messages" and calls and ids,
        )

    @property
    def columns(self) -> list[str]:
        """The row's keys, in order.

        >>> RowShape("alpaca", system=True).columns
        ['instruction', 'input', 'output', 'system', 'mosaic']
        """
        first = {
            "alpaca": ["instruction", "input", "output"],
            "sharegpt": ["conversations"],
            "messages": ["messages"],
            "prompt_completion": ["prompt", "completion"],
        }[self.record_format]
        extra = [
            name
            for name, wanted in (
                ("system", self.system),
                ("tools", self.tools),
                ("history", self.history),
                ("mosaic", self.provenance),
            )
            if wanted
        ]
        return first + extra

    def arrow_schema(self) -> pa.Schema:
        """The declared Arrow types of the columns (Parquet and ``hf`` exports)."""
        import pyarrow as pa  # noqa: PLC0415

        text = pa.string()
        message: list[tuple[str, pa.DataType]] = [("role", text), ("content", text)]
        if self.tool_calls:
            function = pa.struct([("name", text), ("arguments", text)])
            call = [("id", text)] if self.call_ids else []
            message.append(("tool_calls", pa.list_(pa.struct([*call, ("type", text), ("function", function)]))))
        if self.call_ids:
            message.append(("tool_call_id", text))
        types: dict[str, pa.DataType] = {
            "conversations": pa.list_(pa.struct([("from", text), ("value", text)])),
            "messages": pa.list_(pa.struct(message)),
            "history": pa.list_(pa.list_(text)),
        }
        return pa.schema([(name, types.get(name, text)) for name in self.columns])

    def row(
        self,
        prompt: str,
        answer: str,
        system: str = "",
        tools: str = "",
        plan: dict[str, Any] | None = None,
        losses: Losses | None = None,
    ) -> dict[str, Any]:
        """One sample: a prompt and its answer (a mosaic or an original record)."""
        return self._row(prompt, answer, (), system, tools, plan, losses)  # type: ignore[return-value]

    def conversation(
        self,
        turns: Turns,
        system: str = "",
        tools: str = "",
        plan: dict[str, Any] | None = None,
        losses: Losses | None = None,
        links: tuple[Link | None, ...] = (),
    ) -> dict[str, Any] | None:
        """A conversation kept whole; None when the format has no place for its tool turns (counted).

        ``links``: per turn, what an OpenAI tool turn held beyond its text (``io/turns.py``): ``messages``
        gives it back; the other formats count what they have no place for.
        """
        lost = losses if losses is not None else Losses()
        row = self._row("", "", turns, system, tools, plan, lost, links)
        if row is not None and self.record_format != "messages":
            lost.add("tool_call_ids", sum(any(link.ids) for link in links if link is not None))
            lost.add("words_beside_tool_calls", sum(bool(link.said) for link in links if link is not None))
        return row

    def mosaic(self, mosaic: Mosaic) -> dict[str, Any]:
        """A mosaic's row (what it cannot carry is counted from the run's report: ``with_system``, ``with_tools``)."""
        plan = mosaic.plan.to_dict() if self.provenance else None
        return self.row(mosaic.prompt, mosaic.answer, mosaic.system, mosaic.tools, plan)

    def _row(
        self,
        prompt: str,
        answer: str,
        turns: Turns,
        system: str,
        tools: str,
        plan: dict[str, Any] | None,
        losses: Losses | None,
        links: tuple[Link | None, ...] = (),
    ) -> dict[str, Any] | None:
        fmt = self.record_format
        pairs = turns or (("user", prompt), ("assistant", answer))
        lost = losses if losses is not None else Losses()
        if turns and fmt == "prompt_completion":
            raise ConfigError("prompt_completion cannot hold a multi-turn conversation; choose another format")
        if turns and fmt == "alpaca" and any(role in TOOL_ROLES for role, _ in turns):
            lost.add("conversations_with_tool_turns")
            return None
        row: dict[str, Any]
        if fmt == "alpaca":
            history = [[pairs[i][1], pairs[i + 1][1]] for i in range(0, len(pairs) - 2, 2)]
            row = {"instruction": pairs[-2][1], "input": "", "output": pairs[-1][1]}
            if history and not self.history:
                raise ConfigError("this export's shape has no history column for a multi-turn conversation")
        elif fmt == "sharegpt":
            first = [{"from": "system", "value": system}] if system.strip() else []
            row = {"conversations": first + [{"from": _SHAREGPT_ROLES[role], "value": t} for role, t in pairs]}
        elif fmt == "messages":
            messages = self._messages(pairs, system, links)
            if messages is None:
                lost.add("unreadable_tool_calls")
                return None
            row = {"messages": messages}
        else:
            row = {"prompt": prompt, "completion": answer}
            lost.add("system_prompts", bool(system.strip()))
            lost.add("tools", bool(tools))
        if self.system:
            row["system"] = system
        elif system.strip() and fmt == "alpaca":
            raise ConfigError("this export's shape has no system column for a system prompt")
        if self.tools:
            row["tools"] = tools or None
        elif tools and fmt != "prompt_completion":
            raise ConfigError("this export's shape has no tools column for a record's tools")
        if self.history:
            row["history"] = history
        if self.provenance:
            row["mosaic"] = orjson.dumps(plan).decode() if plan is not None else None
        return row

    def _messages(self, pairs: Turns, system: str, links: tuple[Link | None, ...]) -> list[dict[str, Any]] | None:
        messages: list[dict[str, Any]] = [{"role": "system", "content": system}] if system.strip() else []
        for position, (turn, said) in enumerate(pairs):
            link = links[position] if position < len(links) else None
            ids = link.ids if link is not None and self.call_ids else ()
            role, text, calls = _ROLES.get(turn, turn), said, None
            if turn == "function_call":
                calls = tool_calls(said)
                if calls is None or not self.tool_calls:
                    return None
                ids = ids if len(ids) == len(calls) else ()
                if self.call_ids:
                    calls = [{"id": (ids[i] or None) if ids else None, **call} for i, call in enumerate(calls)]
                text = link.said if link is not None else ""
            message: dict[str, Any] = {"role": role, "content": text}
            if self.tool_calls:
                message["tool_calls"] = calls
            if self.call_ids:
                message["tool_call_id"] = ids[0] if turn == "observation" and ids else None
            messages.append(message)
        if self.tool_calls and messages[0]["role"] == "system":
            messages[0]["tool_calls"] = None
            if self.call_ids:
                messages[0]["tool_call_id"] = None
        return messages

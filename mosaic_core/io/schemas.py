"""Record schemas: detect them from keys, and turn a row into a ``SourceRecord``.

A schema names the fields it reads. ``detect_schema`` picks the first schema
whose required fields the first rows have; a ``ColumnMapping`` given by the user
overrides detection for anything else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from mosaic_core.errors import DatasetError

__all__ = ["SCHEMAS", "ColumnMapping", "Exchange", "Problem", "detect_schema", "extract", "json_type", "shown"]

SCHEMAS: dict[str, tuple[str, ...]] = {
    "alpaca": ("instruction", "output"),
    "dolly": ("instruction", "response"),
    "sharegpt": ("conversations",),
    "openai": ("messages",),
    "prompt_completion": ("prompt", "completion"),
}
_USER_ROLES = {"human": "user", "user": "user"}
_ASSISTANT_ROLES = {"gpt": "assistant", "assistant": "assistant"}
_SYSTEM_ROLES = {"system"}
# Our four turn roles, by the names ShareGPT (LLaMA-Factory's tool data) and OpenAI messages give them.
_ROLE_NAMES = {
    **_USER_ROLES,
    **_ASSISTANT_ROLES,
    "function_call": "function_call",
    "observation": "observation",
    "tool": "observation",
    "function": "observation",
}
_ANSWERS = frozenset({"assistant", "function_call"})
_TOOL_ROLES = frozenset({"function_call", "observation"})
_ID_FIELDS = ("id", "_id", "uid", "idx", "index")
_ID_FIELD_SET = frozenset(_ID_FIELDS)


def shown(value: object) -> str:
    r"""A value from a file, safe to put in a one-line message (control characters escaped).

    >>> shown("a\nb")
    "'a\\nb'"
    """
    text = repr(value) if isinstance(value, str) else str(value)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)[:80]


def json_type(value: object) -> str:
    """The JSON name of a parsed value's type, with its article.

    >>> json_type(3), json_type(None), json_type([1])
    ('a number', 'null', 'an array')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "an object" if isinstance(value, Mapping) else f"a {type(value).__name__}"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """The user's choice of fields, for files no schema fits."""

    instruction: str
    output: str
    input: str | None = None
    id: str | None = None
    system: str | None = None
    category: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "instruction": self.instruction,
            "output": self.output,
            "input": self.input,
            "id": self.id,
            "system": self.system,
            "category": self.category,
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row is not used: a short code and a sentence."""

    code: str
    message: str


@dataclass(slots=True)  # one per row: frozen would cost a call per field
class Exchange:
    """The fields of one usable row, before an id is settled."""

    instruction: str
    input: str
    output: str
    system: str
    category: str
    raw_id: str | None
    turns: int
    """User-assistant exchanges in the row (1 for single-turn schemas)."""
    whole: tuple[tuple[str, str], ...] = ()
    """Every (role, text) of a conversation, for keeping it whole: roles ``user``, ``assistant``,
    ``function_call`` (a tool call, JSON text) and ``observation`` (a tool's result)."""
    tools: str = ""
    """The tool schemas offered to the model, as JSON text ("" when none)."""
    trimmed: int = 0
    """Unanswered last turns left out of ``whole`` (0 or 1)."""
    first_calls_tool: bool = False
    """The first answer is a tool call: the row has no plain first exchange for a mosaic."""
    tool_turns: bool = False


def detect_schema(rows: Iterable[Any], name: str) -> str:
    """The schema of the first rows that are objects.

    >>> detect_schema([{"instruction": "a", "input": "", "output": "b"}], "x.json")
    'alpaca'
    """
    keys: set[str] = set()
    for row in rows:
        if isinstance(row, Mapping):
            keys = set(map(str, row))
            for schema, required in SCHEMAS.items():
                if all(field in keys for field in required):
                    return schema
            break
    found = ", ".join(shown(key) for key in sorted(keys)) or "no fields"
    known = "; ".join(f"{schema} ({', '.join(fields)})" for schema, fields in SCHEMAS.items())
    raise DatasetError(
        f"{name}: no known schema fits the records (found {found}); known: {known}; "
        "or give a column mapping (--map instruction=COL,output=COL[,input=COL])"
    )


def _text(row: Mapping[str, Any], field: str, required: bool) -> str | Problem:
    if field not in row or row[field] is None:
        if required:
            return Problem("missing_field", f"field {field!r} is missing or null")
        return ""
    value = row[field]
    if not isinstance(value, str):
        return Problem("not_text", f"field {field!r} holds {json_type(value)}, not text")
    if required and not value.strip():
        return Problem("empty_field", f"field {field!r} is empty")
    return value


def _raw_id(row: Mapping[str, Any], field: str | None) -> str | None:
    if field is None and _ID_FIELD_SET.isdisjoint(row):
        return None
    for key in (field,) if field else _ID_FIELDS:
        value = row.get(key) if key else None
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


_ROLES = (("instruction", True), ("output", True), ("input", False), ("system", False), ("category", False))


def _columns(row: Mapping[str, Any], fields: Mapping[str, str | None]) -> Exchange | Problem:
    get = row.get
    values: list[str] = []
    for role, required in _ROLES:
        field = fields.get(role)
        if field is None:
            values.append("")
            continue
        value = get(field)
        # The common cases, a non-empty string or an absent optional field, without the checks' cost.
        if value.__class__ is str:
            if not required or value.strip():
                values.append(value)
                continue
        elif value is None and not required:
            values.append("")
            continue
        got = _text(row, field, required)
        if isinstance(got, Problem):
            return got
        values.append(got)
    instruction, output, extra, system, category = values
    return Exchange(instruction, extra, output, system, category, _raw_id(row, fields.get("id")), 1)


def _tool_text(value: Any) -> str | None:
    """A tool schema or call as JSON text (text is kept as it is); None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, Mapping)):
        return orjson.dumps(value).decode()
    return None


def _openai_calls(turn: Mapping[str, Any]) -> str | None:
    """An OpenAI assistant message's ``tool_calls`` as one function-call text (None: no calls)."""
    calls = turn.get("tool_calls")
    if not isinstance(calls, list) or not calls:
        return None
    functions = []
    for call in calls:
        function = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            return None
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            with contextlib.suppress(orjson.JSONDecodeError):  # text that is not JSON stays text
                arguments = orjson.loads(arguments)
        functions.append({"name": function["name"], "arguments": arguments})
    return orjson.dumps(functions[0] if len(functions) == 1 else functions).decode()


def _conversation(row: Mapping[str, Any], field: str, role_key: str, text_key: str) -> Exchange | Problem:
    """A ShareGPT or OpenAI conversation: turns alternate between what is asked (user, tool result) and what
    answers (assistant, tool call), as LLaMA-Factory reads them."""
    turns = row.get(field)
    if not isinstance(turns, list) or not turns:
        return Problem("bad_turns", f"field {field!r} is not a non-empty list of turns")
    system = ""
    parsed: list[tuple[str, str]] = []
    for position, turn in enumerate(turns, start=1):
        if not isinstance(turn, Mapping):
            return Problem("bad_turns", f"turn {position} is not an object")
        role, text = turn.get(role_key), turn.get(text_key)
        if not isinstance(role, str):
            return Problem("bad_turns", f"turn {position} has no {role_key!r}")
        if role in _ASSISTANT_ROLES and (call := _openai_calls(turn)) is not None:
            role, text = "function_call", call
        if not isinstance(text, str):
            return Problem("not_text", f"turn {position} {text_key!r} is {json_type(text)}, not text")
        if role in _SYSTEM_ROLES:
            if parsed:
                return Problem("bad_turns", f"turn {position} is a system message after the conversation began")
            system = text
            continue
        role = _ROLE_NAMES.get(role, "")
        if not role:
            return Problem("unknown_role", f"turn {position} has unknown role {turn.get(role_key)!r}")
        answering = role in _ANSWERS
        if parsed and (parsed[-1][0] in _ANSWERS) == answering:
            side = "answer" if answering else "question"
            return Problem("bad_turns", f"two {side} turns in a row (turn {position})")
        parsed.append((role, text))
    if not parsed:
        return Problem("bad_turns", "the conversation has no user or assistant turns")
    if parsed[0][0] != "user":
        return Problem("starts_with_assistant", f"the conversation starts with a {parsed[0][0]} turn")
    if len(parsed) < 2:
        return Problem("bad_turns", "the conversation has no assistant answer")
    trimmed = len(parsed) % 2  # a last question nobody answered has no place in training data
    whole = tuple(parsed[: len(parsed) - trimmed])
    first_user, first_answer = parsed[0][1], parsed[1][1]
    if not first_user.strip() or not first_answer.strip():
        return Problem("empty_field", "the first exchange has an empty message")
    tools = _tool_text(row.get("tools")) if row.get("tools") not in (None, "", []) else ""
    if tools is None:
        return Problem("bad_tools", f"field 'tools' is {json_type(row.get('tools'))}, not a tool list")
    exchange = Exchange(first_user, "", first_answer, system, "", _raw_id(row, None), len(whole) // 2, whole)
    exchange.tools = tools
    exchange.trimmed = trimmed
    exchange.first_calls_tool = parsed[1][0] == "function_call"
    exchange.tool_turns = any(role in _TOOL_ROLES for role, _ in whole)
    return exchange


# Where each role's text sits in the column schemas.
_FIELDS: dict[str, dict[str, str]] = {
    "alpaca": {
        "instruction": "instruction",
        "output": "output",
        "input": "input",
        "system": "system",
        "category": "category",
    },
    "dolly": {"instruction": "instruction", "output": "response", "input": "context", "category": "category"},
    "prompt_completion": {"instruction": "prompt", "output": "completion"},
}


def extract(row: Any, schema: str, mapping: ColumnMapping | None) -> Exchange | Problem:
    """The fields of one row under ``schema`` (or the user's ``mapping``)."""
    if not isinstance(row, Mapping):
        return Problem("not_an_object", f"the record is {json_type(row)}, not an object")
    if mapping is not None:
        return _columns(row, mapping.to_dict())
    fields = _FIELDS.get(schema)
    if fields is not None:
        got = _columns(row, fields)
        if schema == "alpaca" and isinstance(got, Exchange):
            tools = row.get("tools")
            if tools not in (None, "", []):
                text = _tool_text(tools)
                if text is None:
                    return Problem("bad_tools", f"field 'tools' is {json_type(tools)}, not a tool list")
                got.tools = text
            history = row.get("history")
            if isinstance(history, list) and history:
                return _alpaca_history(got, history)
        return got
    if schema == "sharegpt":
        return _conversation(row, "conversations", "from", "value")
    if schema == "openai":
        return _conversation(row, "messages", "role", "content")
    raise DatasetError(f"unknown schema {schema!r}; known: {', '.join(SCHEMAS)}")


def _alpaca_history(last: Exchange, history: list[Any]) -> Exchange | Problem:
    """Alpaca rows with ``history``: earlier [instruction, response] pairs come first."""
    pairs: list[tuple[str, str]] = []
    for position, pair in enumerate(history, start=1):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            return Problem("bad_turns", f"history entry {position} is not a [instruction, response] pair")
        pairs.extend([("user", pair[0]), ("assistant", pair[1])])
    current = last.instruction + ("\n" + last.input if last.input.strip() else "")
    pairs.extend([("user", current), ("assistant", last.output)])
    first_user, first_answer = pairs[0][1], pairs[1][1]
    if not first_user.strip() or not first_answer.strip():
        return Problem("empty_field", "the first exchange of the history is empty")
    return Exchange(
        first_user, "", first_answer, last.system, last.category, last.raw_id, len(pairs) // 2, tuple(pairs), last.tools
    )

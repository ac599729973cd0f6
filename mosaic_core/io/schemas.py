"""Record schemas: detect them from keys, and turn a row into a ``SourceRecord``.

A schema names the fields it reads. ``detect_schema`` picks the first schema
whose required fields the first rows have; a ``ColumnMapping`` given by the user
overrides detection for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mosaic_core.errors import DatasetError
from mosaic_core.io.turns import TOOL_ROLES, Link, Problem, blank, json_type, read_turns, shown, tool_text

__all__ = ["SCHEMAS", "ColumnMapping", "Exchange", "Problem", "detect_schema", "extract", "json_type", "shown"]

SCHEMAS: dict[str, tuple[str, ...]] = {
    "alpaca": ("instruction", "output"),
    "dolly": ("instruction", "response"),
    "sharegpt": ("conversations",),
    "openai": ("messages",),
    "prompt_completion": ("prompt", "completion"),
}
_ID_FIELDS = ("id", "_id", "uid", "idx", "index")
_ID_FIELD_SET = frozenset(_ID_FIELDS)


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
    placeholder_input: bool = False
    """The input was a placeholder for "none" (Alpaca's ``<noinput>``), left out."""
    links: tuple[Link | None, ...] = ()
    """Per turn of ``whole``, what an OpenAI tool turn holds beyond its text (``io/turns.py``)."""


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
    if required and blank(value):
        if value.strip():
            return Problem("empty_field", f"field {field!r} holds only invisible characters (a zero-width space, ...)")
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


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NO_INPUT = ("noinput", "noinputs", "noinpute")


def _placeholder(value: str, *names: str) -> bool:
    r"""Whether a short field only says "none" the way some datasets do (``<noinput>``, ``< noinput >``, ``(noinput)``).

    >>> _placeholder("\\<noinput>", "noinput"), _placeholder("Larry <noinput> the door.", "noinput")
    (True, False)
    """
    return len(value) < 24 and _NOT_ALNUM.sub("", value.lower()) in names


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
            if not required or not blank(value):
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
    # Alpaca variants write <nooutput> (at times with a reason after it) where the model could not answer.
    if _placeholder(output, "nooutput", "noinput") or output[:12].lstrip().lower().startswith("<nooutput"):
        shown = output.strip()[:40]
        return Problem("placeholder_output", f"field {fields['output']!r} is {shown!r}, a placeholder, not an answer")
    exchange = Exchange(instruction, extra, output, system, category, _raw_id(row, fields.get("id")), 1)
    if extra and "input" in extra.lower():
        kept = [line for line in extra.split("\n") if not _placeholder(line, *_NO_INPUT)]
        if len(kept) < extra.count("\n") + 1:  # a line that only says "no input" (or all of it) is left out
            exchange.input, exchange.placeholder_input = "\n".join(kept).strip(), True
    return exchange


def _conversation(row: Mapping[str, Any], field: str, role_key: str, text_key: str) -> Exchange | Problem:
    got = read_turns(row, field, role_key, text_key)
    if isinstance(got, Problem):
        return got
    parsed = got.turns
    trimmed = len(parsed) % 2  # a last question nobody answered has no place in training data
    whole = parsed[: len(parsed) - trimmed]
    exchange = Exchange(parsed[0][1], "", parsed[1][1], got.system, "", _raw_id(row, None), len(whole) // 2, whole)
    exchange.tools = got.tools
    exchange.trimmed = trimmed
    exchange.first_calls_tool = parsed[1][0] == "function_call"
    exchange.tool_turns = any(role in TOOL_ROLES for role, _ in whole)
    exchange.links = got.links[: len(whole)]
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
                text = tool_text(tools)
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
    if blank(first_user) or blank(first_answer):
        return Problem("empty_field", "the first exchange of the history is empty")
    return Exchange(
        first_user, "", first_answer, last.system, last.category, last.raw_id, len(pairs) // 2, tuple(pairs), last.tools
    )

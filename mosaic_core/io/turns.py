"""Reading conversations: ShareGPT and OpenAI turns, tool calls and tool results, and the problems of a row.

Our turns have four roles: ``user``, ``assistant``, ``function_call`` (a tool call, as JSON text
``{"name": ..., "arguments": ...}`` or a list of them) and ``observation`` (what the tool returned).
ShareGPT names them ``human``, ``gpt``, ``function_call``, ``observation`` (LLaMA-Factory's tool data);
OpenAI messages put calls in an assistant message's ``tool_calls`` and results in ``tool`` messages.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = [
    "ANSWERS",
    "TOOL_ROLES",
    "Link",
    "Problem",
    "Turns",
    "blank",
    "json_type",
    "read_turns",
    "shown",
    "tool_text",
]

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
ANSWERS = frozenset({"assistant", "function_call"})
_SAID = {"user": "user", "assistant": "assistant", "function_call": "tool call", "observation": "tool result"}
TOOL_ROLES = frozenset({"function_call", "observation"})


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row is not used: a short code and a sentence."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Link:
    """What an OpenAI tool turn holds beyond our (role, text), so a ``messages`` export gives it back.

    A tool call: its calls' ``id`` ("" where a call has none) and the assistant's words beside the calls.
    A tool result: the ``tool_call_id`` it answers (one id).
    """

    ids: tuple[str, ...] = ()
    said: str = ""


@dataclass(frozen=True, slots=True)
class Turns:
    """A conversation's system prompt, its turns as (role, text), and its tools as JSON text ("" when none)."""

    system: str
    turns: tuple[tuple[str, str], ...]
    tools: str
    links: tuple[Link | None, ...] = ()
    """Per turn, what an OpenAI tool turn holds beyond its text (``Link``); () when no turn holds any."""


_VISIBLE = re.compile(r"[^\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
"""A character that shows: neither white space nor an invisible format mark (zero-width space, BOM, ...)."""


def blank(text: str) -> bool:
    r"""Whether a text shows nothing: only white space and invisible marks such as the zero-width space.

    A reply of one zero-width space passes ``strip()`` but teaches a model to answer with nothing.

    >>> blank(" \u200b\n"), blank("\ufeff"), blank("a\u200b"), blank("")
    (True, True, False, True)
    """
    return _VISIBLE.search(text) is None


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


def tool_text(value: Any) -> str | None:
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


def read_turns(row: Mapping[str, Any], field: str, role_key: str, text_key: str) -> Turns | Problem:
    """A ShareGPT or OpenAI conversation: turns alternate between what is asked (user, tool result) and what
    answers (assistant, tool call), as LLaMA-Factory reads them; it starts with the user."""
    turns = row.get(field)
    if not isinstance(turns, list) or not turns:
        return Problem("bad_turns", f"field {field!r} is not a non-empty list of turns")
    system = ""
    parsed: list[tuple[str, str]] = []
    links: list[Link | None] = []
    for position, turn in enumerate(turns, start=1):
        if not isinstance(turn, Mapping):
            return Problem("bad_turns", f"turn {position} is not an object")
        role, text = turn.get(role_key), turn.get(text_key)
        if not isinstance(role, str):
            return Problem("bad_turns", f"turn {position} has no {role_key!r}")
        link = _link(turn, role, text)
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
        if not parsed and role != "user":
            if role == "assistant":
                return Problem("starts_with_assistant", "the conversation starts with the assistant")
            return Problem("starts_with_tool", f"the conversation starts with a {_SAID[role]}")
        if parsed and (parsed[-1][0] in ANSWERS) == (role in ANSWERS):
            before = parsed[-1][0]
            if before == role:
                return Problem("bad_turns", f"two {_SAID[role]} turns in a row (turn {position})")
            return Problem("bad_turns", f"a {_SAID[role]} right after a {_SAID[before]} (turn {position})")
        parsed.append((role, text))
        links.append(link)
    if not parsed:
        return Problem("bad_turns", "the conversation has no user or assistant turns")
    if len(parsed) < 2:
        return Problem("bad_turns", "the conversation has no assistant answer")
    first_user, first_answer = parsed[0][1], parsed[1][1]
    if blank(first_user) or blank(first_answer):
        return Problem("empty_field", "the first exchange has an empty message")
    tools = row.get("tools")
    tool_list = tool_text(tools) if tools not in (None, "", []) else ""
    if tool_list is None:
        return Problem("bad_tools", f"field 'tools' is {json_type(tools)}, not a tool list")
    return Turns(system, tuple(parsed), tool_list, tuple(links) if any(links) else ())


def _link(turn: Mapping[str, Any], role: str, text: object) -> Link | None:
    """An OpenAI tool call's ids and words, or a tool result's call id (None: the turn holds neither)."""
    if role == "tool":
        called = turn.get("tool_call_id")
        return Link((called,)) if isinstance(called, str) and called else None
    calls = turn.get("tool_calls")
    if role not in _ASSISTANT_ROLES or not isinstance(calls, list) or not calls:
        return None
    ids = tuple(str(call.get("id") or "") if isinstance(call, Mapping) else "" for call in calls)
    said = text if isinstance(text, str) and not blank(text) else ""
    return Link(ids if any(ids) else (), said) if any(ids) or said else None

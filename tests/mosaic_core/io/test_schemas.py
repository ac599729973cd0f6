"""Record schemas: detected from keys, and each row turned into an exchange or a problem."""

from __future__ import annotations

import pytest

from mosaic_core.errors import DatasetError
from mosaic_core.io.schemas import SCHEMAS, ColumnMapping, Exchange, Problem, detect_schema, extract, json_type, shown


class TestDetectSchema:
    @pytest.mark.parametrize(
        ("row", "schema"),
        [
            ({"instruction": "a", "input": "", "output": "b"}, "alpaca"),
            ({"instruction": "a", "context": "", "response": "b"}, "dolly"),
            ({"conversations": []}, "sharegpt"),
            ({"messages": []}, "openai"),
            ({"prompt": "a", "completion": "b"}, "prompt_completion"),
        ],
    )
    def test_each_schema(self, row: dict[str, object], schema: str) -> None:
        """Each schema is recognized by its required fields."""
        assert detect_schema([row], "x") == schema

    def test_first_object_decides(self) -> None:
        """Rows that are not objects are passed over; the first object decides."""
        assert detect_schema([3, "x", {"prompt": "a", "completion": "b"}], "x") == "prompt_completion"

    def test_no_schema_names_what_it_found(self) -> None:
        """The error lists the keys found, every known schema, and the --map hint."""
        with pytest.raises(DatasetError, match=r"found 'question', 'reply'.*alpaca \(instruction, output\).*--map"):
            detect_schema([{"question": "a", "reply": "b"}], "x")

    def test_schemas_are_the_documented_five(self) -> None:
        """Five schemas are known."""
        assert list(SCHEMAS) == ["alpaca", "dolly", "sharegpt", "openai", "prompt_completion"]


class TestExtract:
    def test_alpaca(self) -> None:
        """An alpaca row gives its fields and id."""
        got = extract({"id": 7, "instruction": "Do", "input": "x", "output": "Done", "system": "s"}, "alpaca", None)
        assert got == Exchange("Do", "x", "Done", "s", "", "7", 1)

    def test_dolly_reads_context_and_response(self) -> None:
        """Dolly's context is the input and its response the output."""
        got = extract({"instruction": "Do", "context": "c", "response": "r", "category": "qa"}, "dolly", None)
        assert isinstance(got, Exchange) and (got.input, got.output, got.category) == ("c", "r", "qa")

    @pytest.mark.parametrize(
        ("row", "code"),
        [
            ({"instruction": "Do"}, "missing_field"),
            ({"instruction": "Do", "output": None}, "missing_field"),
            ({"instruction": "  ", "output": "x"}, "empty_field"),
            ({"instruction": "Do", "output": "\u200b"}, "empty_field"),
            ({"instruction": "Do", "output": "<nooutput>"}, "placeholder_output"),
            ({"instruction": "Draw a cat.", "output": "<nooutput> - a model cannot draw"}, "placeholder_output"),
            ({"instruction": "\ufeff \u2060\n", "output": "x"}, "empty_field"),
            ({"instruction": "Do", "output": 5}, "not_text"),
            ({"instruction": "Do", "output": "x", "input": ["a"]}, "not_text"),
        ],
    )
    def test_column_problems(self, row: dict[str, object], code: str) -> None:
        """Missing, empty or non-text fields are problems with a code."""
        got = extract(row, "alpaca", None)
        assert isinstance(got, Problem) and got.code == code

    @pytest.mark.parametrize(
        "extra", ["<noinput>", "< noinput >", "\\<noinput>", "(noinput)", "`<noinput>`", "No input", "<noinputs>"]
    )
    def test_placeholder_input_is_left_out(self, extra: str) -> None:
        """An input that only says there is none is left out of the record, and flagged for the load report."""
        got = extract({"instruction": "Write a haiku.", "input": extra, "output": "x"}, "alpaca", None)
        assert isinstance(got, Exchange) and (got.input, got.placeholder_input) == ("", True)

    def test_a_placeholder_line_after_real_input_is_left_out(self) -> None:
        """An input whose last line only says <noinput> keeps its real lines."""
        row = {"instruction": "Summarise.", "input": "A poem by John Donne\n\n<noinput>", "output": "x"}
        got = extract(row, "alpaca", None)
        assert isinstance(got, Exchange) and (got.input, got.placeholder_input) == ("A poem by John Donne", True)

    def test_a_placeholder_inside_real_text_stays(self) -> None:
        """Text that merely contains the placeholder is data, kept as it is."""
        text = "Larry <noinput> the door."
        got = extract({"instruction": "Fill the gap.", "input": text, "output": "x"}, "alpaca", None)
        assert isinstance(got, Exchange) and (got.input, got.placeholder_input) == (text, False)

    def test_not_an_object(self) -> None:
        """A row that is not an object is a problem naming its JSON type."""
        assert extract([1], "alpaca", None) == Problem("not_an_object", "the record is an array, not an object")

    def test_mapping_overrides_the_schema(self) -> None:
        """The user's column mapping picks the fields, whatever the schema."""
        mapping = ColumnMapping(instruction="q", output="a", id="key")
        got = extract({"q": "Ask", "a": "Answer", "key": "k1"}, "alpaca", mapping)
        assert isinstance(got, Exchange) and (got.instruction, got.output, got.raw_id) == ("Ask", "Answer", "k1")

    def test_sharegpt_conversation(self) -> None:
        """A conversation gives its first exchange, the system prompt and the number of exchanges."""
        turns = [
            {"from": "system", "value": "Be brief."},
            {"from": "human", "value": "Hi"},
            {"from": "gpt", "value": "Hello"},
            {"from": "human", "value": "Bye"},
            {"from": "gpt", "value": "Bye!"},
        ]
        got = extract({"conversations": turns}, "sharegpt", None)
        assert isinstance(got, Exchange)
        assert (got.instruction, got.output, got.system, got.turns) == ("Hi", "Hello", "Be brief.", 2)
        assert got.whole[-1] == ("assistant", "Bye!")

    @pytest.mark.parametrize(
        ("turns", "code"),
        [
            ([], "bad_turns"),
            ([{"role": "assistant", "content": "x"}, {"role": "user", "content": "y"}], "starts_with_assistant"),
            ([{"role": "user", "content": "x"}, {"role": "robot", "content": "y"}], "unknown_role"),
            ([{"role": "user", "content": "x"}, {"role": "user", "content": "y"}], "bad_turns"),
            ([{"role": "user", "content": "x"}], "bad_turns"),
            ([{"role": "user", "content": 3}, {"role": "assistant", "content": "y"}], "not_text"),
            ([{"role": "user", "content": " "}, {"role": "assistant", "content": "y"}], "empty_field"),
            ([{"role": "user", "content": "x"}, {"role": "assistant", "content": "\u200b"}], "empty_field"),
            ([{"role": "tool", "content": "{}"}, {"role": "user", "content": "y"}], "starts_with_tool"),
            ([{"role": "user", "content": "x"}, {"role": "tool", "content": "{}"}], "bad_turns"),
            (
                [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}],
                None,
            ),
        ],
    )
    def test_openai_conversation_problems(self, turns: list[object], code: str) -> None:
        """Malformed conversations are problems with the right code."""
        got = extract({"messages": turns}, "openai", None)
        if code is None:
            assert isinstance(got, Exchange)
        else:
            assert isinstance(got, Problem) and got.code == code

    def test_tool_turns_alternate_with_answers(self) -> None:
        """A tool call answers like the assistant, its result asks like the user; a last unanswered question is
        left out and counted."""
        call = '{"name": "lookup", "arguments": {"q": "x"}}'
        turns = [
            {"from": "human", "value": "Find x."},
            {"from": "gpt", "value": "Sure."},
            {"from": "human", "value": "Now look it up."},
            {"from": "function_call", "value": call},
            {"from": "observation", "value": "found"},
            {"from": "gpt", "value": "It is found."},
            {"from": "human", "value": "Thanks!"},
        ]
        got = extract({"conversations": turns, "tools": [{"name": "lookup"}]}, "sharegpt", None)
        assert isinstance(got, Exchange) and not got.first_calls_tool and got.tool_turns
        assert [role for role, _ in got.whole] == [
            "user",
            "assistant",
            "user",
            "function_call",
            "observation",
            "assistant",
        ]
        assert got.trimmed == 1 and got.tools == '[{"name":"lookup"}]' and got.turns == 3
        twice = [turns[2], {"from": "function_call", "value": call}, {"from": "function_call", "value": call}]
        bad = extract({"conversations": twice}, "sharegpt", None)
        assert isinstance(bad, Problem) and bad.message == "two tool call turns in a row (turn 3)"

    def test_first_answer_a_tool_call(self) -> None:
        """A conversation whose first answer is a tool call says so: it has no plain exchange for a mosaic."""
        turns = [
            {"from": "human", "value": "Weather?"},
            {"from": "function_call", "value": '{"name": "w", "arguments": {}}'},
            {"from": "observation", "value": "sun"},
            {"from": "gpt", "value": "Sunny."},
        ]
        got = extract({"conversations": turns}, "sharegpt", None)
        assert isinstance(got, Exchange) and got.first_calls_tool and got.turns == 2

    @pytest.mark.parametrize("tools", [5, True])
    def test_tools_that_are_not_a_list(self, tools: object) -> None:
        row = {"conversations": [{"from": "human", "value": "a"}, {"from": "gpt", "value": "b"}], "tools": tools}
        got = extract(row, "sharegpt", None)
        assert isinstance(got, Problem) and got.code == "bad_tools"

    def test_alpaca_history_comes_first(self) -> None:
        """An alpaca row with history starts with the earliest exchange and keeps the whole conversation."""
        row = {"instruction": "Now this", "input": "", "output": "Ok", "history": [["First", "One"]]}
        got = extract(row, "alpaca", None)
        assert isinstance(got, Exchange) and (got.instruction, got.output, got.turns) == ("First", "One", 2)
        assert got.whole == (("user", "First"), ("assistant", "One"), ("user", "Now this"), ("assistant", "Ok"))

    def test_unknown_schema(self) -> None:
        """An unknown schema name lists the known ones."""
        with pytest.raises(DatasetError, match="alpaca"):
            extract({}, "yaml", None)


class TestMessages:
    def test_shown_escapes_control_characters(self) -> None:
        """Control characters are escaped and long values cut to 80 characters."""
        assert shown("a\tb") == "'a\\tb'" and len(shown("x" * 500)) == 80

    @pytest.mark.parametrize(
        ("value", "name"),
        [(True, "a boolean"), (1.5, "a number"), ("s", "a string"), ((1,), "an array"), ({}, "an object")],
    )
    def test_json_type(self, value: object, name: str) -> None:
        """Values are named as JSON types."""
        assert json_type(value) == name

    def test_mapping_to_dict(self) -> None:
        """A column mapping lists every role, unset ones as None."""
        assert ColumnMapping("q", "a").to_dict() == {
            "instruction": "q",
            "output": "a",
            "input": None,
            "id": None,
            "system": None,
            "category": None,
        }

"""Loading broken and awkward inputs, driven by ``tests/fixtures/{bad,awkward}/EXPECTED.json``.

``bad/EXPECTED.json`` gives, per file, what the default skip policy does with it
(``error``: nothing usable, ``partial``: some records load) and a substring of
the one-line error under ``--on-invalid fail``; partial files also give the
records loaded and the problem counts. ``awkward/EXPECTED.json`` gives the
report values and the exact records of files that must load.

Known library bugs are marked ``xfail(strict=True)`` below, with the reason.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mosaic_core.cli import main
from mosaic_core.errors import ConfigError, DatasetError
from mosaic_core.io.load import LoadResult, load_dataset
from mosaic_core.io.schemas import ColumnMapping
from mosaic_core.io.source import Source
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
BAD_DIR = FIXTURES / "bad"
AWKWARD_DIR = FIXTURES / "awkward"
GENERATORS = {BAD_DIR: "make_bad_fixtures.py", AWKWARD_DIR: "make_awkward_fixtures.py"}
NOT_FIXTURES = {"EXPECTED.json", *GENERATORS.values(), "__pycache__"}
BAD: dict[str, dict[str, Any]] = json.loads((BAD_DIR / "EXPECTED.json").read_text(encoding="utf-8"))
AWKWARD: dict[str, dict[str, Any]] = json.loads((AWKWARD_DIR / "EXPECTED.json").read_text(encoding="utf-8"))
PARTIAL = sorted(name for name, spec in BAD.items() if spec["skip"] == "partial")
REPORT_KEYS = ("kind", "schema", "rows", "loaded", "problems", "renamed_ids", "multi_turn", "system_prompts")
RECORD_FIELDS = ("id", "instruction", "input", "output", "system", "category")

# Known library bugs: file name -> (what is wrong, the exception the test then fails with).
# Every bug found so far is fixed; the mechanism stays for the next one.
Bugs = dict[str, tuple[str, type[BaseException]]]
CLI_BUGS: Bugs = {}
LIBRARY_BUGS: Bugs = {}
READ_BUGS: Bugs = {}
AWKWARD_BUGS: Bugs = {**READ_BUGS}


def _params(names: list[str], bugs: Bugs) -> list[Any]:
    """Sorted names; a known bug's name carries a strict xfail naming the bug and the failure it causes."""
    marked: list[Any] = []
    for name in sorted(names):
        if name in bugs:
            reason, raises = bugs[name]
            marked.append(pytest.param(name, marks=pytest.mark.xfail(reason=reason, raises=raises, strict=True)))
        else:
            marked.append(name)
    return marked


def _listed(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if path.name not in NOT_FIXTURES}


def _generated(folder: Path) -> dict[str, bytes]:
    """What the folder's generator script would write (run without its main, and without leaving bytecode)."""
    return runpy.run_path(str(folder / GENERATORS[folder]), run_name="fixture_generator")["files"]()


def _records(result: LoadResult) -> list[dict[str, str]]:
    return [{field: getattr(record, field) for field in RECORD_FIELDS} for record in result.records]


# --- running the CLI ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished ``python -m mosaic_core generate`` and where it was told to write."""

    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def manifest(self) -> Path:
        return self.output.with_name(self.output.name + ".manifest.json")


def _generate(source: Path, output: Path, *extra: str) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "mosaic_core", "generate", str(source), "-o", str(output), "--epochs", "1", *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, output)


class CliRuns:
    """Every CLI run the bad-fixture tests need, started at once on a few threads (each run is its own process)."""

    def __init__(self, pool: ThreadPoolExecutor, root: Path) -> None:
        self.pool = pool
        self.root = root
        self.runs: dict[tuple[str, str], Future[Run]] = {}

    def start(self, name: str, policy: str) -> None:
        out = self.root / policy / name.replace(".", "_") / "out.jsonl"
        out.parent.mkdir(parents=True)
        flags = ("--on-invalid", "fail") if policy == "fail" else ()  # skip is the default: leave the flag out
        self.runs[name, policy] = self.pool.submit(_generate, BAD_DIR / name, out, *flags)

    def get(self, name: str, policy: str) -> Run:
        return self.runs[name, policy].result()


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRuns]:
    """The CLI on every bad fixture under ``fail``, and on the partial ones under ``skip``."""
    with ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 1)) as pool:
        runs = CliRuns(pool, tmp_path_factory.mktemp("cli"))
        for name in sorted(BAD):
            runs.start(name, "fail")
        for name in PARTIAL:
            runs.start(name, "skip")
        yield runs


# --- the fixture folders themselves -------------------------------------------------------------


class TestFixtureFolders:
    @pytest.mark.parametrize("folder", [BAD_DIR, AWKWARD_DIR], ids=["bad", "awkward"])
    def test_every_file_has_an_expectation(self, folder: Path) -> None:
        """EXPECTED.json lists exactly the fixture files of its folder."""
        expected = BAD if folder == BAD_DIR else AWKWARD
        assert _listed(folder) == set(expected)

    def test_bad_fixtures_are_many_and_small(self) -> None:
        """At least 28 bad fixtures, none over 2 KB, with both outcomes represented."""
        assert len(BAD) >= 28
        assert {spec["skip"] for spec in BAD.values()} == {"error", "partial"}
        for name in BAD:
            path = BAD_DIR / name
            assert path.is_dir() or path.stat().st_size < 2048, name

    @pytest.mark.parametrize("folder", [BAD_DIR, AWKWARD_DIR], ids=["bad", "awkward"])
    def test_generated_files_match_their_script(self, folder: Path) -> None:
        """The byte-exact fixtures are what the generator script writes (a pyarrow-written Parquet: the same rows)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        for name, data in _generated(folder).items():
            committed = (folder / name).read_bytes()
            if committed != data:  # pyarrow may write other metadata bytes than the version that made the file
                assert name.endswith(".parquet"), name
                rows = pq.read_table(pa.BufferReader(committed)).to_pylist()
                assert rows == pq.read_table(pa.BufferReader(data)).to_pylist(), name


# --- bad inputs ---------------------------------------------------------------------------------


class TestBadInputsCli:
    @pytest.mark.parametrize("name", _params(list(BAD), CLI_BUGS))
    def test_fail_policy_exits_2_with_one_line(self, name: str, cli_runs: CliRuns) -> None:
        """--on-invalid fail: exit 2, one 'error:' line naming the file and the problem, no output."""
        run = cli_runs.get(name, "fail")
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr
        assert run.stderr.endswith("\n") and "\n" not in run.stderr[:-1], run.stderr
        line = run.stderr[:-1]
        assert line.startswith(f"error: {BAD_DIR / name}:"), line
        assert BAD[name]["fail_contains"] in line, line
        assert run.stdout == ""
        assert not run.output.exists()
        assert not run.manifest.exists()

    @pytest.mark.parametrize("name", PARTIAL)
    def test_skip_policy_loads_the_rest(self, name: str, cli_runs: CliRuns) -> None:
        """Default skip policy on a partial file: exit 0, and the manifest counts the bad records."""
        spec = BAD[name]
        run = cli_runs.get(name, "skip")
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert run.output.exists()
        report = json.loads(run.manifest.read_text(encoding="utf-8"))["input"]["load_report"]
        skipped = sum(spec["problems"].values())
        assert report["problems"] == spec["problems"]
        assert report["skipped"] == skipped
        assert report["loaded"] == spec["loaded"]
        assert report["rows"] == spec["loaded"] + skipped
        assert f"{spec['loaded']} of {spec['loaded'] + skipped} records loaded" in run.stderr


class TestBadInputsLibrary:
    @pytest.mark.parametrize("name", _params(list(BAD), LIBRARY_BUGS))
    def test_fail_policy_raises_dataset_error(self, name: str) -> None:
        """load_dataset(on_invalid='fail') raises DatasetError (nothing else), naming file and problem."""
        with pytest.raises(DatasetError) as caught:
            load_dataset(BAD_DIR / name, on_invalid="fail")
        message = str(caught.value)
        assert message.startswith(f"{BAD_DIR / name}:"), message
        assert BAD[name]["fail_contains"] in message, message

    @pytest.mark.parametrize("name", sorted(BAD))
    def test_skip_policy(self, name: str) -> None:
        """on_invalid='skip': 'error' files raise DatasetError, 'partial' files load and count the rest."""
        spec = BAD[name]
        if spec["skip"] == "error":
            with pytest.raises(DatasetError) as caught:
                load_dataset(BAD_DIR / name)
            assert str(caught.value).startswith(f"{BAD_DIR / name}:")
            return
        report = load_dataset(BAD_DIR / name).report
        assert report.problems == spec["problems"]
        assert report.loaded == spec["loaded"]
        assert report.rows == spec["loaded"] + sum(spec["problems"].values())
        assert sum(len(shown) for shown in report.examples.values()) >= 1

    @pytest.mark.parametrize("name", _params([n for n in BAD if (BAD_DIR / n).is_file()], LIBRARY_BUGS))
    def test_uploaded_bytes_fail_the_same_way(self, name: str) -> None:
        """The same file uploaded as bytes (the app's path) raises the same DatasetError."""
        source = Source.from_bytes(name, (BAD_DIR / name).read_bytes())
        with pytest.raises(DatasetError) as caught:
            load_dataset(source, on_invalid="fail")
        message = str(caught.value)
        assert message.startswith(f"{name}:"), message
        assert BAD[name]["fail_contains"] in message, message


# --- awkward but valid inputs -------------------------------------------------------------------


class TestAwkwardInputs:
    @pytest.mark.parametrize("name", _params(list(AWKWARD), AWKWARD_BUGS))
    def test_loads_as_expected(self, name: str) -> None:
        """Report values and every record's fields are exactly as EXPECTED.json says; ids are unique."""
        spec = AWKWARD[name]
        result = load_dataset(AWKWARD_DIR / name)
        assert {key: getattr(result.report, key) for key in REPORT_KEYS} == {key: spec[key] for key in REPORT_KEYS}
        ids = [record.id for record in result.records]
        assert len(set(ids)) == len(ids), ids
        got = _records(result)
        assert len(got) == len(spec["records"])
        for record, expected in zip(got, spec["records"], strict=True):
            assert {key: record[key] for key in expected} == expected

    @pytest.mark.parametrize("name", _params(list(AWKWARD), READ_BUGS))
    def test_fail_policy_loads_the_same(self, name: str) -> None:
        """Nothing in an awkward file is invalid: on_invalid='fail' loads it too, identically."""
        strict = load_dataset(AWKWARD_DIR / name, on_invalid="fail")
        assert _records(strict) == _records(load_dataset(AWKWARD_DIR / name))
        assert strict.report.loaded == AWKWARD[name]["loaded"]

    @pytest.mark.parametrize("name", _params(list(AWKWARD), READ_BUGS))
    def test_uploaded_bytes_load_the_same(self, name: str) -> None:
        """The file uploaded as bytes (the app's path) gives the same records."""
        uploaded = load_dataset(Source.from_bytes(name, (AWKWARD_DIR / name).read_bytes()))
        assert _records(uploaded) == _records(load_dataset(AWKWARD_DIR / name))
        assert uploaded.report.loaded == AWKWARD[name]["loaded"]

    def test_duplicate_ids_are_renamed_and_reported(self) -> None:
        """Repeated ids become id~2, id~3; renamed_ids counts them; 7 and '7' are one id."""
        result = load_dataset(AWKWARD_DIR / "duplicate_ids.jsonl")
        assert [record.id for record in result.records] == ["x", "x~2", "y", "x~3", "7", "7~2"]
        assert result.report.renamed_ids == 3

    def test_placeholders_are_counted(self) -> None:
        """<noinput> inputs are left out and counted; <nooutput> answers are skipped with their reason."""
        rows = [
            {"instruction": "Write a haiku.", "input": "<noinput>", "output": "Rain on the roof."},
            {"instruction": "Draw a cat.", "input": "", "output": "<nooutput>"},
            {"instruction": "Fill the gap.", "input": "Larry <noinput> the door.", "output": "opened"},
        ]
        result = load_dataset(Source.from_bytes("p.json", json.dumps(rows).encode()))
        assert [r.prompt_text for r in result.records] == ["Write a haiku.", "Fill the gap.\nLarry <noinput> the door."]
        assert (result.report.placeholder_inputs, result.report.problems) == (1, {"placeholder_output": 1})
        assert result.report.to_dict()["placeholder_inputs"] == 1
        assert "1 placeholder inputs" in result.report.summary()

    @pytest.mark.parametrize(
        ("name", "needles"),
        [
            ("emoji.json", ["👩\u200d👩\u200d👧\u200d👦", "🇩🇪🇯🇵", "👨🏽\u200d💻", "🌦\ufe0f", "🚀"]),
            ("right_to_left.jsonl", ["صباح الخير", "\u200fשלום עולם\u200f", "\u202ereversed\u202c", "٥"]),
            ("cjk.jsonl", ["长城", "「こんにちは」", "안녕하세요！", "𠀋𡈽𪚥", "\u3000"]),
            ("unnormalized_unicode.jsonl", ["Cafe\u0301", "café", "no\u00a0break\u200bzero\u200dwidth"]),
        ],
    )
    def test_texts_survive_into_the_export(self, name: str, needles: list[str], tmp_path: Path) -> None:
        """Emoji, RTL, CJK and unnormalized text come out of generate unchanged (as originals)."""
        out = tmp_path / "out.jsonl"
        assert main(["generate", str(AWKWARD_DIR / name), "-o", str(out), "--epochs", "1", "--include-originals"]) == 0
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        rows = [{**row, "mosaic": json.loads(row["mosaic"])} for row in rows]  # provenance is JSON text
        originals = [row for row in rows if row["mosaic"]["strategy"] == "original"]
        expected = {record["id"]: record for record in AWKWARD[name]["records"]}
        assert len(originals) == len(expected)
        for row in originals:
            record = expected[row["mosaic"]["source_ids"][0]]
            prompt = record["instruction"].strip() + ("\n" + record["input"].strip() if record["input"].strip() else "")
            assert (row["instruction"], row["output"]) == (prompt, record["output"].strip())
        text = out.read_text(encoding="utf-8")
        for needle in needles:
            assert needle in text, needle


class TestMultiTurnPolicies:
    def test_keep_holds_alpaca_history_whole(self) -> None:
        """multi_turn='keep': an alpaca record with history becomes one whole conversation."""
        result = load_dataset(AWKWARD_DIR / "alpaca_history.json", multi_turn="keep")
        assert [record.id for record in result.records] == ["h0"]
        assert result.report.kept_whole == 1
        assert [(c.id, c.turns) for c in result.conversations] == [
            (
                "h1",
                (
                    ("user", "What is the capital of France?"),
                    ("assistant", "Paris."),
                    ("user", "And of Spain?"),
                    ("assistant", "Madrid."),
                    ("user", "And the capital of Italy?"),
                    ("assistant", "Rome."),
                ),
            )
        ]

    def test_skip_drops_multi_turn_and_counts_it(self) -> None:
        """multi_turn='skip': the two-exchange openai record is counted as multi_turn_skipped."""
        result = load_dataset(AWKWARD_DIR / "openai_system.jsonl", multi_turn="skip")
        assert [record.id for record in result.records] == ["s1", "s2"]
        assert result.report.problems == {"multi_turn_skipped": 1}
        assert result.report.multi_turn == 1

    def test_system_prompt_is_kept_with_the_record(self) -> None:
        """A leading system turn becomes the record's system text, for sharegpt and openai alike."""
        sharegpt = load_dataset(AWKWARD_DIR / "sharegpt_system.json")
        openai = load_dataset(AWKWARD_DIR / "openai_system.jsonl")
        assert [r.system for r in sharegpt.records] == ["You are terse.", ""]
        assert [r.system for r in openai.records] == ["You answer in one word.", "", "Be brief."]
        assert (sharegpt.report.system_prompts, openai.report.system_prompts) == (1, 2)


# --- a 10 MB record -----------------------------------------------------------------------------

HUGE_BYTES = 10 * 1024 * 1024
HUGE_SENTENCE = "The quick brown fox jumps over the lazy dog; emoji 🦊 and 狐 too. "


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One JSONL record of exactly 10 MB, written at test time (never committed)."""
    record = {"id": "huge", "instruction": "Summarize this text.", "output": ""}
    room = HUGE_BYTES - len(json.dumps(record, ensure_ascii=False).encode("utf-8")) - 1
    sentence = HUGE_SENTENCE.encode("utf-8")
    body = (sentence * (room // len(sentence) + 1))[:room].decode("utf-8", "ignore")
    body += "x" * (room - len(body.encode("utf-8")))
    record["output"] = body
    path = tmp_path_factory.mktemp("huge") / "huge.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.stat().st_size == HUGE_BYTES
    return path


class TestHugeRecord:
    def test_ten_megabyte_record_loads(self, huge_file: Path) -> None:
        """A single 10 MB record loads as one record with its text intact."""
        result = load_dataset(huge_file)
        assert result.report.loaded == result.report.rows == 1
        (record,) = result.records
        assert record.id == "huge"
        expected = json.loads(huge_file.read_text(encoding="utf-8"))["output"]
        assert record.output == expected and len(record.output.encode("utf-8")) > 10_000_000

    def test_ten_megabyte_record_is_listed_unusable(self, huge_file: Path, tmp_path: Path) -> None:
        """generate --max-tokens 2000 exits 0 and lists the record as unusable in the manifest."""
        run = _generate(huge_file, tmp_path / "out.jsonl", "--max-tokens", "2000")
        assert run.returncode == 0, run.stderr
        manifest = json.loads(run.manifest.read_text(encoding="utf-8"))
        assert manifest["counts"]["unusable"] == 1
        assert manifest["counts"]["mosaics"] == 0
        (unusable,) = manifest["unusable"]
        assert unusable["id"] == "huge" and unusable["tokens"] > 2000
        assert manifest["input"]["load_report"]["loaded"] == 1


class TestSplitChats:
    def test_only_chat_ids_mark_later_parts(self, tmp_path: Path) -> None:
        """ShareGPT and OpenAI ids ending _1, _2… mark a later part of a split chat; _0 and other schemas don't."""
        chat = tmp_path / "chat.jsonl"
        turns = [{"from": "human", "value": "Hi there."}, {"from": "gpt", "value": "Hello."}]
        chat.write_text("".join(json.dumps({"id": i, "conversations": turns}) + "\n" for i in ("a_0", "a_12", "b_x")))
        assert [r.metadata.get("part") for r in load_dataset(chat).records] == [None, 12, None]
        messages = tmp_path / "messages.jsonl"
        said = [{"role": "user", "content": "Hi there."}, {"role": "assistant", "content": "Hello."}]
        messages.write_text(json.dumps({"id": "c_3", "messages": said}) + "\n")
        assert load_dataset(messages).records[0].metadata == {"part": 3}
        alpaca = tmp_path / "alpaca.jsonl"
        alpaca.write_text(json.dumps({"id": "task_2", "instruction": "Hi.", "input": "", "output": "Hello."}) + "\n")
        assert load_dataset(alpaca).records[0].metadata == {}


_QA_ROWS = [{"question": f"Q{i}", "answer": f"A{i}", "context": f"C{i}"} for i in range(5)]


class TestMappedColumns:
    def _source(self) -> Source:
        return Source.from_bytes("qa.json", json.dumps(_QA_ROWS).encode())

    def test_every_mapped_column_is_read(self) -> None:
        mapping = ColumnMapping(instruction="question", output="answer", input="context")
        records = load_dataset(self._source(), mapping=mapping).records
        assert [(r.instruction, r.input, r.output) for r in records][:2] == [("Q0", "C0", "A0"), ("Q1", "C1", "A1")]

    @pytest.mark.parametrize("role", ["input", "id", "system", "category", "output"])
    def test_a_mapped_column_no_record_holds_is_refused(self, role: str) -> None:
        """A typo in an optional column ("contxt") would drop that field from every record without a word."""
        fields = {"instruction": "question", "output": "answer", role: "contxt"}
        with pytest.raises(DatasetError, match=f"--map {role}=contxt: no such column .*answer, context, question"):
            load_dataset(self._source(), mapping=ColumnMapping(**fields))


def _chats(folder: Path) -> Path:
    """Three ShareGPT chats copied from a site: two of their user turns end with the page's own words."""
    chats = [
        {
            "id": "a",
            "conversations": [{"from": "human", "value": "Name a prime.Share Prompt"}, {"from": "gpt", "value": "7"}],
        },
        {"id": "b", "conversations": [{"from": "human", "value": "What is 2 / 2"}, {"from": "gpt", "value": "1"}]},
        {
            "id": "c",
            "conversations": [
                {"from": "human", "value": "Say hi."},
                {"from": "gpt", "value": "Hi."},
                {"from": "human", "value": "Again.\n2 / 2"},
                {"from": "gpt", "value": "Hi again."},
            ],
        },
        {"id": "d", "conversations": [{"from": "human", "value": "Share Prompt"}, {"from": "gpt", "value": "?"}]},
    ]
    path = folder / "chats.json"
    path.write_text(json.dumps(chats), encoding="utf-8")
    return path


class TestChatLeftovers:
    def test_kept_by_default_and_counted(self, tmp_path: Path) -> None:
        """By default the texts are the source's own; the report counts the records whose used text ends so."""
        result = load_dataset(_chats(tmp_path))
        assert [r.prompt_text for r in result.records] == [
            "Name a prime.Share Prompt",
            "What is 2 / 2",
            "Say hi.",
            "Share Prompt",
        ]
        assert (result.report.chat_leftovers, result.report.chat_leftovers_policy) == (1, "keep")
        assert "1 end with what a chat site left" in result.report.summary()
        assert result.report.to_dict()["chat_leftovers"] == 1

    def test_strip_takes_them_off_the_users_turns_only(self, tmp_path: Path) -> None:
        """``strip``: the leftovers go, a fraction stays, a turn that is nothing else is kept whole; with whole
        conversations kept, their later user turns are read too."""
        result = load_dataset(_chats(tmp_path), chat_leftovers="strip")
        assert [r.prompt_text for r in result.records] == ["Name a prime.", "What is 2 / 2", "Say hi.", "Share Prompt"]
        assert result.report.chat_leftovers == 1 and "taken off" in result.report.summary()
        kept = load_dataset(_chats(tmp_path), multi_turn="keep", chat_leftovers="strip")
        assert kept.report.chat_leftovers == 2
        assert [turn for c in kept.conversations for turn in c.turns if turn[0] == "user"] == [
            ("user", "Say hi."),
            ("user", "Again."),
        ]

    def test_an_unknown_policy_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="chat_leftovers must be one of keep, strip"):
            load_dataset(_chats(tmp_path), chat_leftovers="clean")

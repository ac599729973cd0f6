"""Big JSON read a record at a time: the same rows as the whole-file parse, in bounded memory, refused early."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from mosaic_core import DatasetError, Source, load_dataset
from mosaic_core.cli import main
from mosaic_core.io import jsonstream, readers, source
from mosaic_core.io.readers import iter_rows
from mosaic_core.io.source import count_records

BIG_ID = 123456789012345678901234567890
CASES = {
    "list.json": "["
    + ", ".join(
        [
            json.dumps({"id": BIG_ID, "instruction": "Say hi ✓ 日本", "output": "hi", "score": 1.25}),
            '{"instruction": "a", "instruction": "b", "output": "c"}',
            json.dumps({"messages": [{"role": "user", "content": "x"}]}),
            '{"instruction": "Nested", "output": "y", "meta": {"k": 1, "k": 2}}',
            "42",
            r'{"instruction": "Esc \" \\ \u00e9 \ud83d\ude00", "output": "z", "n": -12.5e3}',
        ]
    )
    + "]\n",
    "split.json": json.dumps(
        {"info": {"v": 1}, "train": [{"instruction": "Name a colour.", "output": "Red."}] * 3, "labels": ["a"]}
    ),
    "splits.json": json.dumps(
        {"train": [{"instruction": "A?", "output": "a"}] * 2, "test": [{"instruction": "B?", "output": "b"}]}
    ),
    "record.json": json.dumps({"instruction": "One record on its own.", "output": "ok", "history": []}),
}


def _outcome(path: Path, split: str | None) -> Any:
    try:
        loaded = load_dataset(Source.from_path(path, split))
    except DatasetError as exc:
        return str(exc)
    return loaded.report.to_dict(), [(r.id, r.instruction, r.output) for r in loaded.records]


class TestSameRows:
    @pytest.mark.parametrize("block", [5, 64, 1 << 20])
    @pytest.mark.parametrize(("name", "split"), [(n, None) for n in CASES] + [("splits.json", "test")])
    def test_streamed_equals_whole(
        self, name: str, split: str | None, block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Every record, id, count and refusal is the whole-file parse's, however blocks cut the text."""
        path = tmp_path / name
        path.write_text(CASES[name], encoding="utf-8")
        whole = _outcome(path, split)
        monkeypatch.setattr(readers, "STREAM_FROM", 0)
        monkeypatch.setattr(jsonstream, "_BLOCK", block)
        assert _outcome(path, split) == whole

    @pytest.mark.parametrize(
        "text", ['[{"instruction": "a", "output": "b"} {"x": 1}]', '[{"instruction": "a", "output": "b"},]', "[1] 2"]
    )
    def test_broken_json_is_one_error(self, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "bad.json"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(readers, "STREAM_FROM", 0)
        with pytest.raises(DatasetError, match="not valid JSON"):
            load_dataset(path)


def _tiny_list(path: Path, records: int) -> int:
    path.write_text(
        "[" + ",".join(json.dumps({"instruction": f"Say {i}.", "output": "ok"}) for i in range(records)) + "]",
        encoding="utf-8",
    )
    return path.stat().st_size


def _peak_while_reading(path: Path) -> int:
    """Peak bytes Python allocated while every row of ``path`` was read and dropped."""
    tracemalloc.start()
    try:
        _, rows = iter_rows(Source.from_path(path))
        for _ in rows:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class TestBoundedMemory:
    def test_a_big_list_is_read_in_memory_bounded_by_a_block(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Reading 4 MB of tiny records streamed peaks under a quarter of the file; read whole, above its size."""
        path = tmp_path / "tiny.json"
        size = _tiny_list(path, 100_000)
        monkeypatch.setattr(readers, "STREAM_FROM", size + 1)
        whole = _peak_while_reading(path)
        monkeypatch.setattr(readers, "STREAM_FROM", size)
        monkeypatch.setattr(jsonstream, "_BLOCK", 256 << 10)
        taken = []
        monkeypatch.setattr(readers, "stream_items", lambda *a: taken.append(a) or jsonstream.stream_items(*a))
        streamed = _peak_while_reading(path)
        assert taken, "the streaming reader was not used"
        assert whole > size, whole  # the control: the bound below would catch the whole-file parse
        assert streamed < size / 4, (streamed, size)


class TestEarlyRefusal:
    def test_records_are_counted_or_estimated(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """JSON Lines: every line; JSON: the records of a sample, scaled to the file's size."""
        lines = tmp_path / "t.jsonl"
        lines.write_text("".join(json.dumps({"instruction": f"{i}", "output": "o"}) + "\n" for i in range(5000)))
        assert count_records(lines, lines.stat().st_size, "jsonl") == 5001
        listed = tmp_path / "t.json"
        size = _tiny_list(listed, 20_000)
        monkeypatch.setattr(source, "_SAMPLE", 32 << 10)
        assert 18_000 <= count_records(listed, size, "json") <= 22_000

    def test_too_many_records_are_refused_before_reading(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file small in bytes but rich in records: one line pointing to --engine ray, exit 2, nothing written."""
        path = tmp_path / "many.json"
        _tiny_list(path, 3000)
        monkeypatch.setattr(source, "_COUNT_FROM", 0)
        monkeypatch.setattr(source, "available_memory", lambda: 2 << 30)
        monkeypatch.setattr(source, "MEMORY_PER_RECORD", 1 << 20)  # as if each record took 1 MB
        code = main(["generate", str(path), "-o", str(tmp_path / "out.jsonl"), "--epochs", "1"])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and err[0].startswith("error:"), err
        assert "--engine ray" in err[0] and "records" in err[0]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["many.json"]

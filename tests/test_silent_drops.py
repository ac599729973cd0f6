"""Nothing dropped without a word: splits, long ids, JSON Lines under a .json name, non-finite weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mosaic_core import ConfigError, DatasetError, MosaicConfig, Source, load_dataset
from mosaic_core.cli import main

RECORD = {"instruction": "Name a colour.", "output": "Red."}


def test_several_splits_need_a_choice(tmp_path: Path) -> None:
    """{"train": [...], "validation": [...]}: refused with both named, or read as the split chosen."""
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": [RECORD] * 3, "validation": [RECORD]}), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"'train' \(3 rows\), 'validation' \(1 rows\).*--split"):
        load_dataset(path)
    assert load_dataset(Source.from_path(path, "validation")).report.loaded == 1
    with pytest.raises(DatasetError, match="no split 'test'"):
        load_dataset(Source.from_path(path, "test"))


def test_split_flag_reaches_the_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"train": [RECORD] * 3, "validation": [RECORD] * 2}), encoding="utf-8")
    assert main(["generate", str(path), "-o", str(tmp_path / "o.jsonl"), "--split", "validation"]) == 0
    assert "2 of 2 records loaded" in capsys.readouterr().err


def test_save_to_disk_splits_need_a_choice(tmp_path: Path) -> None:
    import datasets

    folder = tmp_path / "dd"
    datasets.DatasetDict(
        {"train": datasets.Dataset.from_list([RECORD] * 2), "test": datasets.Dataset.from_list([RECORD])}
    ).save_to_disk(str(folder))
    with pytest.raises(DatasetError, match="several lists of records"):
        load_dataset(folder)
    assert load_dataset(Source.from_path(folder, "test")).report.loaded == 1


def test_a_thirty_digit_id_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ids.jsonl"
    path.write_text('{"id": 123456789012345678901234567890, "instruction": "a", "output": "b"}\n', encoding="utf-8")
    assert load_dataset(path).records[0].id == "123456789012345678901234567890"


def test_json_lines_under_a_json_name_with_a_long_first_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    first = {"instruction": "Say " + "x" * 70_000, "output": "ok"}
    path.write_text(json.dumps(first) + "\n" + json.dumps(RECORD) + "\n", encoding="utf-8")
    assert load_dataset(path).report.loaded == 2


@pytest.mark.parametrize("weight", [float("nan"), float("inf")])
def test_non_finite_k_weights_are_refused(weight: float) -> None:
    with pytest.raises(ConfigError, match="finite"):
        MosaicConfig(k_mode="custom", k_weights={2: weight})


def test_an_input_that_would_not_fit_is_refused_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before any read: the memory it would need against what is free, and the way out (--engine ray)."""
    from mosaic_core.io import source

    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    monkeypatch.setattr(source, "available_memory", lambda: 100 << 20)
    with pytest.raises(DatasetError, match="--engine ray"):
        load_dataset(path)


def test_a_duplicate_csv_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("instruction,output,output\nName a colour.,Red.,Blue.\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="'output' appear more than once"):
        load_dataset(path)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("dup.jsonl", '{"instruction": "a", "instruction": "b", "output": "c"}\n{"instruction": "x", "output": "y"}\n'),
        ("dup.json", '[{"instruction": "a", "instruction": "b", "output": "c"}, {"instruction": "x", "output": "y"}]'),
        (
            "nested.jsonl",
            '{"messages": [{"role": "user", "content": "a", "content": "b"}, {"role": "assistant", "content": "c"}]}\n'
            '{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}\n',
        ),
    ],
)
def test_a_repeated_key_is_reported_not_resolved(name: str, text: str, tmp_path: Path) -> None:
    """JSON keeps the last of two equal keys without a word; the loader counts that record as broken instead."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    loaded = load_dataset(path)
    assert loaded.report.loaded == 1 and "repeats a key" in json.dumps(loaded.report.to_dict())


def test_a_colon_or_quote_inside_a_value_is_no_key(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    row = {"instruction": 'Say "hi": now, then {"a": 1}', "output": "x: y"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert load_dataset(path).report.loaded == 1

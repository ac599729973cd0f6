"""Raw rows from files and bytes: JSON, JSONL, CSV and Parquet."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mosaic_core.errors import DatasetError
from mosaic_core.io.readers import iter_rows
from mosaic_core.io.source import RowError, Source


def rows_of(name: str, data: bytes) -> tuple[str, list[tuple[int, object]]]:
    kind, rows = iter_rows(Source.from_bytes(name, data))
    return kind, list(rows)


class TestJson:
    def test_list_of_records(self) -> None:
        """A JSON list gives its items, numbered from 1."""
        assert rows_of("a.json", b'[{"a": 1}, {"a": 2}]') == ("json", [(1, {"a": 1}), (2, {"a": 2})])

    def test_single_record_object(self) -> None:
        """One record on its own is one row, even when it holds a list."""
        data = b'{"messages": [{"role": "user", "content": "hi"}]}'
        assert rows_of("a.json", data)[1] == [(1, {"messages": [{"role": "user", "content": "hi"}]})]

    def test_wrapper_object(self) -> None:
        """An object holding one list of records (a known key first) gives that list."""
        assert rows_of("a.json", b'{"meta": 1, "data": [{"a": 1}], "other": []}')[1] == [(1, {"a": 1})]
        assert rows_of("a.json", b'{"meta": 1, "things": [{"a": 1}]}')[1] == [(1, {"a": 1})]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"  \n", "empty"),
            (b'{"a": [1], "b": [2]}', "without one list"),
            (b"42", "the top level is a number"),
            (b"[1, 2", "not valid JSON"),
        ],
    )
    def test_whole_file_problems(self, data: bytes, message: str) -> None:
        """Problems with the file as a whole raise one DatasetError."""
        with pytest.raises(DatasetError, match=message):
            rows_of("a.json", data)


class TestJsonLines:
    def test_lines_with_blank_and_broken_ones(self) -> None:
        """Blank lines are skipped (numbers kept); a broken line is a RowError, not the end."""
        kind, rows = rows_of("a.jsonl", b'{"a": 1}\n\n{"a": \n{"a": 3}\n')
        assert kind == "jsonl" and [number for number, _ in rows] == [1, 3, 4]
        assert rows[0][1] == {"a": 1} and isinstance(rows[1][1], RowError) and rows[2][1] == {"a": 3}
        assert "line 3" in rows[1][1].message  # type: ignore[union-attr]

    def test_bom_and_crlf(self) -> None:
        """A UTF-8 byte order mark and Windows line ends are read through."""
        assert [r for _, r in rows_of("a.jsonl", b'\xef\xbb\xbf{"a": 1}\r\n{"a": 2}\r\n')[1]] == [{"a": 1}, {"a": 2}]

    def test_progress_ends_at_the_size(self, tmp_path: Path) -> None:
        """Reading a file reports its size as done at the end."""
        path = tmp_path / "a.jsonl"
        path.write_bytes(b'{"a": 1}\n' * 10)
        calls: list[tuple[int, int]] = []
        _, rows = iter_rows(Source.from_path(path), progress=lambda done, total: calls.append((done, total)))
        assert len(list(rows)) == 10 and calls[-1] == (90, 90)

    @pytest.mark.parametrize(
        ("data", "message"),
        [(b"\n\n", "empty"), (b'{"a": "\x01"}\n', "binary"), (b'{"a": "\xe9"\n', "not UTF-8")],
    )
    def test_whole_file_problems(self, data: bytes, message: str) -> None:
        """An empty file, binary bytes or a non-UTF-8 line stop the reading with a DatasetError."""
        with pytest.raises(DatasetError, match=message):
            rows_of("a.jsonl", data)


class TestCsvAndParquet:
    def test_csv_cells_stay_text(self) -> None:
        """CSV cells are read as strings, empty cells as empty strings, quotes and newlines kept."""
        data = b'instruction,input,output\n"Say ""hi""",,007\n"two\nlines",x,y\n'
        assert rows_of("a.csv", data)[1] == [
            (1, {"instruction": 'Say "hi"', "input": "", "output": "007"}),
            (2, {"instruction": "two\nlines", "input": "x", "output": "y"}),
        ]

    def test_tsv(self) -> None:
        """A .tsv file is split on tabs."""
        assert rows_of("a.tsv", b"a\tb\n1,2\t3\n")[1] == [(1, {"a": "1,2", "b": "3"})]

    def test_parquet(self) -> None:
        """Parquet rows come out as dictionaries, in order."""
        buffer = io.BytesIO()
        pq.write_table(pa.table({"instruction": ["a", "b"], "output": ["c", "d"]}), buffer)
        assert rows_of("a.parquet", buffer.getvalue()) == (
            "parquet",
            [(1, {"instruction": "a", "output": "c"}), (2, {"instruction": "b", "output": "d"})],
        )

    def test_broken_parquet(self) -> None:
        """A file that claims to be Parquet but is not is a DatasetError."""
        with pytest.raises(DatasetError, match="Parquet"):
            rows_of("a.parquet", b"PAR1 but not really")

"""Where rows come from, what kind of file it is, and how its bytes become text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mosaic_core.errors import DatasetError
from mosaic_core.io.source import Source, decode, refuse_bomless_utf16, sniff_kind


class TestSource:
    def test_constructors(self, tmp_path: Path) -> None:
        """A path, bytes or a hub id each make a source named after it."""
        path = tmp_path / "d.json"
        assert Source.from_path(path) == Source(str(path), path=path)
        assert Source.from_bytes("up.jsonl", b"{}") == Source("up.jsonl", data=b"{}")
        assert Source.from_hub("owner/name", "test") == Source("hf://owner/name", hub_id="owner/name", split="test")

    def test_read_bytes(self, tmp_path: Path) -> None:
        """Bytes come from the data given, or from the file."""
        path = tmp_path / "d.json"
        path.write_bytes(b"[1]")
        assert Source.from_path(path).read_bytes() == b"[1]"
        assert Source.from_bytes("x.json", b"[2]").read_bytes() == b"[2]"

    def test_missing_file_and_plain_folder(self, tmp_path: Path) -> None:
        """A missing file and a plain folder are dataset errors naming the source."""
        with pytest.raises(DatasetError, match="no such file"):
            Source.from_path(tmp_path / "nope.json").read_bytes()
        with pytest.raises(DatasetError, match="is a folder"):
            Source.from_path(tmp_path).read_bytes()


class TestSniffKind:
    @pytest.mark.parametrize(
        ("name", "data", "kind"),
        [
            ("a.jsonl", b'{"a": 1}\n', "jsonl"),
            ("a.ndjson", b'{"a": 1}\n', "jsonl"),
            ("a.json", b'[{"a": 1}]', "json"),
            ("a.json", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
            ("a.json", b'\xef\xbb\xbf{"a": 1}\r\n{"a": 2}\r\n', "jsonl"),
            ("a.json", b'{"data": [{"a": 1}]}', "json"),
            ("a.csv", b"a,b\n1,2\n", "csv"),
            ("a.TSV", b"a\tb\n", "csv"),
            ("a.parquet", b"PAR1", "parquet"),
            ("upload", b"PAR1....", "parquet"),
            ("upload", b"  [1, 2]", "json"),
            ("upload", b'{"a": 1}\n{"a": 2}', "jsonl"),
            ("upload", b'{"a": [1]}', "json"),
        ],
    )
    def test_kind_from_name_then_content(self, name: str, data: bytes, kind: str) -> None:
        """The suffix decides; .json and unnamed uploads are told apart by their first bytes."""
        assert sniff_kind(Source.from_bytes(name, data)) == kind

    def test_unknown_kind(self) -> None:
        """Content that is no known kind names the file types that work."""
        with pytest.raises(DatasetError, match=r"\.jsonl"):
            sniff_kind(Source.from_bytes("notes", b"just some words"))

    def test_hub_and_folders(self, tmp_path: Path) -> None:
        """Hub ids are hub sources; a save_to_disk folder is hf_disk; any other folder is refused."""
        assert sniff_kind(Source.from_hub("o/n")) == "hub"
        with pytest.raises(DatasetError, match="save_to_disk"):
            sniff_kind(Source.from_path(tmp_path))
        (tmp_path / "dataset_info.json").write_text("{}")
        assert sniff_kind(Source.from_path(tmp_path)) == "hf_disk"

    def test_reads_only_the_head_of_a_file(self, tmp_path: Path) -> None:
        """A file without a telling suffix is sniffed from its first bytes."""
        path = tmp_path / "rows"
        path.write_bytes(b'{"a": 1}\n{"a": 2}\n' + b" " * 100_000)
        assert sniff_kind(Source.from_path(path)) == "jsonl"


class TestDecode:
    @pytest.mark.parametrize(
        "raw",
        [
            "héllo".encode(),
            codecs.BOM_UTF8 + "héllo".encode(),
            codecs.BOM_UTF16_LE + "héllo".encode("utf-16-le"),
            codecs.BOM_UTF16_BE + "héllo".encode("utf-16-be"),
        ],
    )
    def test_accepted_encodings(self, raw: bytes) -> None:
        """UTF-8 with or without BOM, and UTF-16 with a BOM, decode to the same text."""
        assert decode("f", raw) == "héllo"

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("héllo".encode("latin-1"), "not UTF-8"),
            (b"\x00\x01\x02binary", "binary"),
            ("hello world".encode("utf-16-le"), "UTF-16 without a byte order mark"),
            (codecs.BOM_UTF16_LE + b"a\x00b", "does not decode as UTF-16"),
        ],
    )
    def test_refused_bytes(self, raw: bytes, message: str) -> None:
        """Other encodings and binary data are refused with a reason."""
        with pytest.raises(DatasetError, match=message):
            decode("f", raw)

    def test_short_utf16_head_is_not_judged(self) -> None:
        """Fewer than 8 bytes are too few to call UTF-16."""
        refuse_bomless_utf16("f", b"a\x00b\x00")

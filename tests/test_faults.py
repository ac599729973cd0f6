"""Fault injection: kills at random moments, SIGTERM, a full disk, concurrent writers, litter of dead runs.

The promise under test: the target holds the previous complete export or the
new one, whenever the writer is killed: data and manifest move in under a
journal (``io/journal.py``), which the next run, ``verify`` or a load of the
export finishes. ``verify`` still tells a mismatched pair apart (the manifest
records the data's sha256); a run that stops leaves no temporary file behind,
and the next run on the same path removes what a killed one left.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mosaic_core.cli import main
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.guard import export_lock
from mosaic_core.io.journal import journal_path, tree_sha256
from mosaic_core.io.load import load_dataset
from tests.conftest import DEMO, REPO

ARGS = ["--epochs", "40", "--workers", "2"]


class Run(subprocess.Popen[str]):
    """A ``generate`` run whose stderr goes to a temporary file: a pipe nobody reads while the test waits
    would fill (64 KB) and stop the run in the middle of a write."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed by printed())
        super().__init__(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=self.log, text=True, env=env)

    def printed(self) -> str:
        """Everything the run wrote to stderr (call once it has ended)."""
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        return text


def generate(output: Path, *extra: str, env: dict[str, str] | None = None) -> Run:
    command = [sys.executable, "-m", "mosaic_core", "generate", str(DEMO), "-o", str(output), *ARGS, *extra]
    return Run(command, {**os.environ, **(env or {})})


def verify(output: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mosaic_core", "verify", str(output)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, timeout=300)


def litter(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


@pytest.mark.timeout(600)
def test_kill_at_random_moments_leaves_a_whole_pair(tmp_path: Path) -> None:
    """SIGKILL at six moments while seed 2 replaces seed 1: verify finds a whole pair of seed 1 or 2 every time."""
    output = tmp_path / "out.jsonl"
    assert generate(output, "--seed", "1").wait(timeout=300) == 0
    rng = random.Random(7)
    for _ in range(6):
        run = generate(output, "--seed", "2")
        time.sleep(rng.uniform(0.5, 4.0))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        checked = verify(output)
        manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
        assert checked.returncode == 0, checked.stderr
        assert manifest["export"]["sha256"] == file_sha256(output) and manifest["seed"] in (1, 2)
        assert not journal_path(output).exists()
    finished = generate(output, "--seed", "3")
    assert finished.wait(timeout=300) == 0, finished.printed()
    assert litter(tmp_path, "out.jsonl") == []  # what the killed runs left was removed by the next one
    assert verify(output).returncode == 0


def _seed_and_digest(output: Path) -> tuple[int, str, str | None]:
    """The manifest's seed, the data's digest and the digest the manifest records (None for a folder)."""
    manifest = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
    return manifest["seed"], tree_sha256(output), manifest["export"]["sha256"]


def _kill_between_the_renames(output: Path, *extra: str) -> None:
    """Replace the export with seed 2 and SIGKILL the run once its data is in place and its manifest is not."""
    run = generate(output, "--seed", "2", *extra, env={"MOSAIC_TEST_PAUSE_COMMIT": "120"})
    journal = journal_path(output)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None:
        if journal.is_file():
            first = json.loads(journal.read_text(encoding="utf-8"))["moves"][0]
            if not (output.parent / first["temp"]).exists():
                break
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    assert journal.is_file(), "the run was not caught between its renames"


def _recover_by_verify(output: Path) -> None:
    assert verify(output).returncode == 0


def _recover_by_generate(output: Path) -> None:
    extra = ["--file-type", "hf"] if output.suffix == ".hf" else []
    argv = ["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1", "--seed", "3", *extra]
    assert main(argv) == 0


def _recover_by_loading(output: Path) -> None:
    assert load_dataset(output).report.loaded > 0


@pytest.mark.timeout(600)
@pytest.mark.parametrize("file_type", ["jsonl", "hf"])
@pytest.mark.parametrize("reader", [_recover_by_verify, _recover_by_generate, _recover_by_loading])
def test_a_kill_between_the_renames_is_rolled_forward(
    file_type: str, reader: Callable[[Path], None], tmp_path: Path
) -> None:
    """Killed with new data beside the old manifest: whoever comes next finds the journal and completes the pair."""
    output = tmp_path / f"out.{file_type}"
    extra = ("--epochs", "1", "--workers", "1", "--file-type", file_type)
    assert generate(output, "--seed", "1", *extra).wait(timeout=300) == 0
    _kill_between_the_renames(output, *extra)
    seed, _, _ = _seed_and_digest(output)
    assert seed == 1  # the window is real: the manifest is still the old one
    reader(output)
    seed, digest, recorded = _seed_and_digest(output)
    assert seed in (2, 3) and not journal_path(output).exists()
    assert recorded in (digest, None)
    assert litter(tmp_path, output.name) == []
    assert verify(output).returncode == 0


def _stage(folder: Path, name: str, data: bytes) -> tuple[str, str]:
    """A temporary file as an export stages it: its name and the sha256 of ``data``."""
    temp = f".{name}.{random.Random(name).randbytes(4).hex()}.tmp"
    (folder / temp).write_bytes(data)
    return temp, hashlib.sha256(data).hexdigest()


def test_a_journal_of_incomplete_files_is_rolled_back(tmp_path: Path) -> None:
    """A staged file cut short (its sha256 differs): the staged files go, the earlier pair stays as it was."""
    output = tmp_path / "out.jsonl"
    assert main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"]) == 0
    before = output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()
    data, data_sha = _stage(tmp_path, "out.jsonl", b'{"instruction": "a", "output": "b"}\n')
    (tmp_path / data).write_bytes(b'{"instruction": "a", "out')
    manifest, manifest_sha = _stage(tmp_path, "out.jsonl.manifest.json", b"{}")
    moves = [
        {"temp": data, "final": "out.jsonl", "sha256": data_sha, "folder": False},
        {"temp": manifest, "final": "out.jsonl.manifest.json", "sha256": manifest_sha, "folder": False},
    ]
    journal_path(output).write_text(json.dumps({"tool": "mosaic-studio", "journal": 1, "moves": moves}))
    assert verify(output).returncode == 0
    assert (output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()) == before
    assert litter(tmp_path, "out.jsonl") == []


@pytest.mark.parametrize(
    "journal",
    [
        "not json at all",
        json.dumps({"tool": "someone-else", "moves": []}),
        json.dumps({"tool": "mosaic-studio", "moves": [{"temp": "notes.txt", "final": "out.jsonl", "sha256": "0"}]}),
        json.dumps(
            {
                "tool": "mosaic-studio",
                "moves": [{"temp": ".out.jsonl.abcd1234.tmp", "final": "../x", "sha256": "0", "folder": False}],
            }
        ),
    ],
)
def test_a_journal_that_is_not_ours_is_left_alone(
    journal: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever a journal we did not write names is never moved or removed; a new export refuses it up front."""
    output = tmp_path / "out.jsonl"
    assert main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"]) == 0
    journal_path(output).write_text(journal, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / ".out.jsonl.abcd1234.tmp").write_text("staged?", encoding="utf-8")
    pair = output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()
    assert verify(output).returncode == 0
    assert load_dataset(output).report.loaded > 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / ".out.jsonl.abcd1234.tmp").exists() and journal_path(output).read_text() == journal
    capsys.readouterr()
    code = main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1", "--seed", "9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "not a journal of Mosaic Studio" in err[0]
    assert (output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()) == pair
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert litter(tmp_path, "out.jsonl") == [".out.jsonl.abcd1234.tmp", ".out.jsonl.journal"]  # refused up front


@pytest.mark.timeout(300)
def test_sigterm_cleans_up_and_exits_130(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    run = generate(output, "--epochs", "1000")  # the most a recipe allows: the signal finds it writing
    deadline = time.monotonic() + 120
    while not litter(tmp_path, "out.jsonl") and run.poll() is None and time.monotonic() < deadline:  # begun
        time.sleep(0.05)
    time.sleep(0.5)
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=120)
    err = run.printed()
    assert run.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith("error: interrupted")
    assert litter(tmp_path, "out.jsonl") == [] and not output.exists()


def test_a_full_disk_leaves_the_earlier_export_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ENOSPC while the data is flushed: one line, exit 2, the earlier pair untouched, no temporary file."""
    output = tmp_path / "out.jsonl"
    assert main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"]) == 0
    before = output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()
    capsys.readouterr()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code = main(["generate", str(DEMO), "-o", str(output), "--epochs", "2", "--workers", "1", "--seed", "4"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "No space left on device" in err[0]
    assert (output.read_bytes(), (tmp_path / "out.jsonl.manifest.json").read_bytes()) == before
    assert litter(tmp_path, "out.jsonl") == []


def test_a_second_writer_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.jsonl"
    with export_lock(output):
        code = main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "another export" in err[0]
    assert not output.exists()


def test_a_dead_writers_lock_and_litter_are_taken_over(tmp_path: Path) -> None:
    """A lock whose process is gone, and temporary names of ours, are cleared; a user's look-alike is kept."""
    output = tmp_path / "out.jsonl"
    (tmp_path / ".out.jsonl.lock").write_text("999999999", encoding="ascii")
    (tmp_path / ".out.jsonl.abcd1234.tmp").write_bytes(b"half")
    (tmp_path / ".out.jsonl.parts.abcd1234").mkdir()
    (tmp_path / ".out.jsonl.journal.abcd1234.tmp").write_bytes(b"{")
    (tmp_path / ".out.jsonl.backup").write_text("mine", encoding="utf-8")
    (tmp_path / ".out.jsonl.journal.bak").write_text("mine", encoding="utf-8")
    (tmp_path / ".out.jsonl.journal.abc.tmp").write_text("mine", encoding="utf-8")
    assert main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"]) == 0
    assert litter(tmp_path, "out.jsonl") == [
        ".out.jsonl.backup",
        ".out.jsonl.journal.abc.tmp",
        ".out.jsonl.journal.bak",
    ]

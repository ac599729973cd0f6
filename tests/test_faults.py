"""Fault injection: kills at random moments, SIGTERM, a full disk, concurrent writers, litter of dead runs.

The promise under test: the target holds the previous complete export or the
new one, and ``verify`` tells a mismatched pair apart (the manifest records the
data's sha256); a run that stops leaves no temporary file behind, and the next
run on the same path removes what a killed one left.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mosaic_core.cli import main
from mosaic_core.io.digest import file_sha256
from mosaic_core.io.guard import export_lock
from tests.conftest import DEMO, REPO

ARGS = ["--epochs", "40", "--workers", "2"]


def generate(output: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "mosaic_core", "generate", str(DEMO), "-o", str(output), *ARGS, *extra]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def verify(output: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mosaic_core", "verify", str(output)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, timeout=300)


def litter(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


@pytest.mark.timeout(600)
def test_kill_at_random_moments_leaves_a_pair_or_a_detected_mismatch(tmp_path: Path) -> None:
    """SIGKILL at six moments while seed 2 replaces seed 1: verify passes on a whole pair or names the mismatch."""
    output = tmp_path / "out.jsonl"
    assert generate(output, "--seed", "1").wait(timeout=300) == 0
    rng = random.Random(7)
    outcomes = []
    for _ in range(6):
        run = generate(output, "--seed", "2")
        time.sleep(rng.uniform(0.5, 4.0))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        checked = verify(output)
        manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
        if checked.returncode == 0:  # a whole pair: the manifest describes exactly these bytes
            assert manifest["export"]["sha256"] == file_sha256(output)
            outcomes.append(f"pair of seed {manifest['seed']}")
        else:
            assert checked.returncode == 2 and "not the data its manifest describes" in checked.stderr, checked
            outcomes.append("mismatch detected")
    finished = generate(output, "--seed", "3")
    assert finished.wait(timeout=300) == 0, finished.stderr.read() if finished.stderr else ""
    assert litter(tmp_path, "out.jsonl") == []  # what the killed runs left was removed by the next one
    assert verify(output).returncode == 0
    assert outcomes  # every kill ended in one of the two accepted states


@pytest.mark.timeout(300)
def test_sigterm_cleans_up_and_exits_130(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    run = generate(output, "--epochs", "200")
    time.sleep(2.5)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
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
    (tmp_path / ".out.jsonl.backup").write_text("mine", encoding="utf-8")
    assert main(["generate", str(DEMO), "-o", str(output), "--epochs", "1", "--workers", "1"]) == 0
    assert litter(tmp_path, "out.jsonl") == [".out.jsonl.backup"]

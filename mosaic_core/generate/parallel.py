"""Use every core: generate whole epochs in separate processes.

Epochs are independent given the seed (each has its own shuffle and per-mosaic
generators), so workers can write one part file per epoch and the parent joins
them in epoch order: the bytes are those of a serial run. Workers are forked,
so they share the parent's loaded records, tokenizer and token counts. Forking
is only safe in a single-threaded process, so the app never comes here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from mosaic_core.generate.report import RunReport
from mosaic_core.generate.walk import MosaicRun
from mosaic_core.io.export import mosaic_row, write_rows
from mosaic_core.io.rows import RowShape
from mosaic_core.workers import worker_pool

__all__ = ["EpochPart", "append_part", "default_workers", "generate_epochs_in_parallel"]

# Set by the parent just before forking; read by the children.
_JOB: dict[str, Any] = {}


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class EpochPart:
    """What one worker made of one epoch."""

    epoch: int
    path: Path
    report: RunReport = field(default_factory=RunReport)
    """The epoch's own counts; its unusable items are those its walk met (not the over-long ones)."""


def _epoch_job(epoch: int) -> EpochPart:
    # The parent's run, forked: a worker's later epochs reuse what its first worked out (token costs, sentences).
    run: MosaicRun = _JOB["run"].fresh()
    folder: Path = _JOB["folder"]
    done = _JOB["done"]
    part = EpochPart(epoch, folder / f"epoch-{epoch:05d}.jsonl")
    shape = _JOB["shape"]

    def rows() -> Any:
        pending = 0
        for mosaic in run.walk(epoch):
            pending += mosaic.plan.k
            if pending >= 2048:
                with done.get_lock():
                    done.value += pending
                pending = 0
            yield mosaic_row(mosaic, shape)
        with done.get_lock():
            done.value += pending

    write_rows(part.path, rows(), "jsonl")
    report = run.report
    report.unusable = report.unusable[len(run.left_out) :]
    part.report = report
    return part


def generate_epochs_in_parallel(
    run: MosaicRun,
    folder: Path,
    shape: RowShape,
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    sink: Callable[[EpochPart], None] | None = None,
) -> list[EpochPart]:
    """Write each epoch's rows to ``folder/epoch-N.jsonl``; fold the counts into ``run.report``.

    ``sink(part)`` is called for each epoch in order as soon as it is written (the others run on).
    """
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    _JOB.update(run=run, folder=folder, done=done, shape=shape)
    total = len(run.usable) * run.config.epochs
    finished = threading.Event()

    def report_progress() -> None:
        while not finished.wait(0.2):
            if progress is not None:
                progress(min(done.value, total), total)

    watcher = threading.Thread(target=report_progress, daemon=True)
    gc.freeze()  # the collector would otherwise write to every shared object, copying its page
    parts: list[EpochPart] = []
    try:
        with worker_pool(min(workers, run.config.epochs)) as pool:
            watcher.start()
            for part in pool.imap(_epoch_job, range(run.config.epochs), chunksize=1):
                parts.append(part)
                if sink is not None:
                    sink(part)
    finally:
        gc.unfreeze()
        finished.set()
        _JOB.clear()
    if progress is not None:
        progress(total, total)
    report = run.report
    for part in parts:
        report.merge(part.report)
        report.mosaics_per_epoch[part.epoch] = part.report.mosaics
        report.unusable.extend(part.report.unusable)
    return parts


def append_part(part: EpochPart, stream: BinaryIO) -> None:
    """Append a part file to an open binary stream, then delete it."""
    stream.flush()
    with part.path.open("rb") as source:
        size = os.fstat(source.fileno()).st_size
        copied = 0
        try:
            while copied < size:  # in the kernel, without passing through Python
                sent = os.copy_file_range(source.fileno(), stream.fileno(), size - copied)
                if sent == 0:
                    break
                copied += sent
        except OSError:
            pass
        if copied < size:
            source.seek(copied)
            shutil.copyfileobj(source, stream, 1 << 20)
    part.path.unlink()

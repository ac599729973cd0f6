"""Forked workers: Ctrl-C is the parent's, held while the pool starts or stops, ignored by the workers."""

from __future__ import annotations

import os
import signal
import time

import pytest

from mosaic_core.workers import interrupt_after, worker_pool


class TestWorkers:
    def test_a_ctrl_c_while_workers_are_stopped_waits_for_them_then_interrupts(self) -> None:
        """Stopping a pool half way left a worker writing into a pipe its parent had closed, and its traceback
        came after the CLI's last line: the Ctrl-C is held until the block ends, then raised."""
        reached = []
        # Python's own Ctrl-C handler, as a terminal gives it; a process started in the background (CI under
        # nohup) inherits SIGINT ignored, where no Ctrl-C can come at all.
        before = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            with pytest.raises(KeyboardInterrupt), interrupt_after():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # the handler has run by now: it only noted the signal
                reached.append(True)
            assert reached == [True] and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        finally:
            signal.signal(signal.SIGINT, before)

    def test_an_ignored_ctrl_c_stays_ignored(self) -> None:
        """Where SIGINT was ignored (a background process), the block leaves it ignored and raises nothing."""
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with interrupt_after():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
            assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        finally:
            signal.signal(signal.SIGINT, before)

    def test_workers_leave_ctrl_c_to_their_parent(self) -> None:
        """A Ctrl-C reaches every process of the terminal's group: the workers ignore it and go on."""
        with worker_pool(2) as pool:
            pids = set(pool.map(_pid_after, [0.2] * 4))
            for pid in pids:
                os.kill(pid, signal.SIGINT)
            assert sorted(pool.map(abs, [-1, -2, -3])) == [1, 2, 3]
            assert set(pool.map(_pid_after, [0.0] * 4)) <= pids


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()

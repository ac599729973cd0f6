"""Forked worker processes that leave Ctrl-C to their parent (the CLI's and the app's ``--workers``).

Counting tokens (``tokenize/parallel.py``) and walking epochs (``generate/parallel.py``) both fork a pool;
this module owns how it starts, how it stops, and who answers a Ctrl-C while it does.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from multiprocessing.pool import Pool

__all__ = ["default_signals", "interrupt_after", "worker_pool"]


def default_signals() -> None:
    """In a forked worker: die on SIGTERM as usual (the parent alone turns it into a clean interrupt), and leave
    Ctrl-C to the parent, which stops the pool: a worker's KeyboardInterrupt would print its traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Pool]:
    """A pool of forked workers, stopped (and waited for) when the block ends, however it ends.

    Ctrl-C is the parent's alone: the workers ignore it (``default_signals``), and while they are forked or
    stopped a Ctrl-C waits for that to finish, then interrupts. Stopping them half way would leave a worker
    writing its result into a pipe its parent closed, printing a traceback after the CLI's last line.
    """
    context = multiprocessing.get_context("fork")
    with interrupt_after():
        pool = context.Pool(workers, initializer=default_signals)
    try:
        yield pool
    finally:
        with interrupt_after():
            pool.terminate()  # waits for the workers too


@contextlib.contextmanager
def interrupt_after() -> Iterator[None]:
    """Hold a Ctrl-C that comes during the block until it ends (in the main thread, where signals are set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and callable(previous):
        previous(signal.SIGINT, None)  # Python's own handler raises KeyboardInterrupt
    elif caught and previous == signal.SIG_DFL:
        os.kill(os.getpid(), signal.SIGINT)

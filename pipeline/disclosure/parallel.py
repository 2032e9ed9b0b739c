"""Independent jobs in forked processes, the big ones first.

Workers are forked, so they read the table and the job list copy-on-write: only the
job indices and the results cross a pipe, never the 2-million-cell table.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator

_SHARED: tuple = ()  # (func, context, jobs), read by the forked workers


def default_workers(workers: int | None) -> int:
    return workers if workers is not None else min(2, os.cpu_count() or 1)


def fork_map(func: Callable, context, jobs: list, workers: int, size: Callable, batch: int) -> Iterator:
    """func(context, job) for every job. Biggest first (by `size`), handed out `batch` at a time as
    workers free up, so no worker idles at the end; results come back in that order whichever
    worker finishes first, so the same input gives the same release on a busy machine or an idle one."""
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        yield from (func(context, job) for job in jobs)
        return
    global _SHARED
    _SHARED = (func, context, jobs)
    order = sorted(range(len(jobs)), key=lambda i: -size(jobs[i]))
    # Few jobs (an exact audit's three huge components): one per batch, or one worker gets them all.
    batch = max(1, min(batch, len(jobs) // (8 * workers)))
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_run_batch, batches):
                yield from part
    finally:
        _SHARED = ()


def _run_batch(indices: list[int]) -> list:
    func, context, jobs = _SHARED
    return [func(context, jobs[i]) for i in indices]


def in_background(func: Callable, *args) -> Callable:
    """Start func(*args) in a forked process and return a function that waits for its result.

    The child reads the arguments copy-on-write, so only the result crosses a pipe. On one core
    (or where fork is missing) the work is done at once, in this process."""
    if (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        value = func(*args)
        return lambda: value
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, func(*args)))
        except BaseException as exc:  # the caller re-raises it
            send.send((False, exc))

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()

    def result():
        try:
            ok, value = receive.recv()
        except EOFError:
            raise RuntimeError(f"background work {func.__name__} ended without a result (exit code {process.exitcode})") from None
        finally:
            process.join()
        if not ok:
            raise value
        return value
    return result

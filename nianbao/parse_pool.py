"""Files parsed on every core for a batch `nianbao ingest`, handed back in the order they were given.

Parsing is pure Python (lxml, python-docx and pdfplumber hand their trees back to Python code), so
one process parses on one core while the others idle. A batch of files is parsed by worker
processes instead, a few files ahead of the writer, which stores them in order: the same rows as
parsed one by one, since each file is parsed alone and nothing a parse reads is shared. Workers are
started fresh ("spawn": a forked copy of a process holding DuckDB's threads is not safe) and never
touch the store. A worker that dies (out of memory, a crash inside a native library) costs the
files it held: they and the files after them are parsed here, one at a time, as without workers.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from nianbao.errors import UnreadableReport
from nianbao.ingest import Parsed, parse_bytes
from nianbao.limits import limit

# What a worker sends back: the parsed file, or an UnreadableReport's code and messages (an
# exception with its own constructor does not survive pickling as itself).
Outcome = Parsed | tuple[str, str, str]

AHEAD_PER_WORKER = 4  # files parsed ahead of the writer per worker: enough to keep each busy
PARENT_POLL_SECONDS = 0.2  # how often a worker checks that the ingest that started it still runs


def workers_for(files: int) -> int:
    """How many worker processes parse `files` files: [ingest] parse_workers (0: one per core this
    process may run on), never more than the files, and none for a few files (starting a worker
    costs about as much as parsing a few files)."""
    wanted = int(limit("ingest", "parse_workers"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    n = min(cores if wanted <= 0 else wanted, files)
    return n if n > 1 and files >= int(limit("ingest", "parallel_from_files")) else 0


def _worker_start(parent: int) -> None:
    """In each worker: no hold on the ingest's output (whoever reads it sees its end when the ingest
    ends), and an end of its own when the ingest is gone, even killed (kill -9 leaves no worker)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _outcome(data: bytes, name: str) -> Outcome:
    """Parse in a worker."""
    try:
        return parse_bytes(data, name)
    except UnreadableReport as e:
        return (e.code, e.zh, e.en)


def _result(outcome: Outcome) -> Parsed:
    if isinstance(outcome, Parsed):
        return outcome
    raise UnreadableReport(*outcome)


Read = Callable[[str], bytes | str]  # a file's bytes, or why it cannot be read


def parsed_files(
    paths: Iterable[str], read: Read, workers: int
) -> Iterator[tuple[str, bytes | str, Callable[[], Parsed]]]:
    """For each path, in order: the path, its bytes (or why it could not be read), and a call that
    returns its parse or raises UnreadableReport (call it only for bytes).

    `read` runs here, in order. With no workers each file is parsed here when its call is made,
    exactly as `parse_bytes` would."""
    if workers <= 0:
        for path in paths:
            data = read(path)
            yield path, data, functools.partial(_here, data, path)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )
    ahead: deque[tuple[str, bytes | str, Future[Outcome] | None]] = deque()
    broken = False

    def submit(path: str) -> None:
        nonlocal broken
        data = read(path)
        future = None
        if isinstance(data, bytes) and not broken:
            try:
                future = pool.submit(_outcome, data, path)
            except BrokenProcessPool:
                broken = True
        ahead.append((path, data, future))

    def settle(path: str, data: bytes | str, future: Future[Outcome] | None) -> Callable[[], Parsed]:
        nonlocal broken
        if future is not None:
            try:
                outcome = future.result()
                return functools.partial(_result, outcome)
            except BrokenProcessPool:
                broken = True  # this file and the rest are parsed here
        return functools.partial(_here, data, path)

    try:
        for path in paths:
            submit(path)
            if len(ahead) >= workers * AHEAD_PER_WORKER:
                yield ahead[0][0], ahead[0][1], settle(*ahead.popleft())
        while ahead:
            yield ahead[0][0], ahead[0][1], settle(*ahead.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _here(data: bytes | str, path: str) -> Parsed:
    """Parse in this process."""
    if isinstance(data, str):
        raise ValueError("a file that could not be read has no parse")
    return parse_bytes(data, path)

"""Run one command and report its own wall time and peak memory: `python -m bench.peak CMD ...`.

A process forked from a large one starts with that process's resident-set high-water mark in its
rusage (Linux carries it across exec), so a command started straight from the benchmark (which
holds a 10,000-report store in memory) would report the benchmark's size. Started from this small
launcher, the command's ru_maxrss is its own. The last line on stderr is `PEAK <seconds> <KiB> <CPU seconds>` (user + system, with the
command's own worker processes).
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> int:
    """Fork, exec the command, wait; print the figures; exit with the command's code."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: becomes the command
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    print(f"PEAK {seconds:.6f} {usage.ru_maxrss} {cpu:.6f}", file=sys.stderr, flush=True)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

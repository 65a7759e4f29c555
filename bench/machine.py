"""What the benchmarks ran on: CPU, cores, memory, load, date and commit."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _commit(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(root: Path) -> list[str]:
    """Markdown lines describing the machine and the run."""
    load = os.getloadavg()
    return [
        f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- commit: {_commit(root)}",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory_gib():.1f} GiB",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- load average at start (1/5/15 min): {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}",
    ]


def load_now() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]

"""Shared fixtures: the real corpus beside the project, and a fresh store per test."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("NIANBAO_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
SEED = CORPUS.parent / "seed" / "huangzhong_2020.txt"

# The tests (and the commands they run) keep nianbao's cache in a folder of their own, not the user's.
os.environ["NIANBAO_CACHE"] = tempfile.mkdtemp(prefix="nianbao-test-cache-")
atexit.register(shutil.rmtree, os.environ["NIANBAO_CACHE"], True)


def corpus_file(name: str) -> Path:
    """A file of the real corpus; the test is skipped only when the corpus is not beside the project."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS}")
    return CORPUS / name


@pytest.fixture
def seed_bytes() -> bytes:
    """The real 湟中区 2020 report (the project's own copy in data/ when the corpus is absent)."""
    own = ROOT / "data" / "seed" / "huangzhong_2020.txt"
    path = SEED if SEED.exists() else own
    if not path.exists():
        pytest.skip("seed report not found")
    return path.read_bytes()


@pytest.fixture
def seed_file(tmp_path: Path, seed_bytes: bytes) -> Path:
    """The seed report as a file in the test's folder."""
    p = tmp_path / "seed.txt"
    p.write_bytes(seed_bytes)
    return p


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB store."""
    return tmp_path / "store" / "nianbao.duckdb"

"""The gold answers of ../shared/corpus/gold, found by themselves, and the file each one answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import CORPUS, ROOT, SEED

GOLD_DIR = CORPUS / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json")) if GOLD_DIR.is_dir() else []


def load(path: Path) -> dict[str, Any]:
    """One gold answer."""
    answer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return answer


def source(answer: dict[str, Any]) -> Path:
    """The file a gold answer was written for, by its `file` field (the seed lives beside the corpus)."""
    name = answer["file"]
    if name == SEED.stem:
        own = ROOT / "data" / "seed" / SEED.name
        return SEED if SEED.exists() else own
    found = sorted(p for p in CORPUS.glob(f"{name}.*") if p.suffix != ".json")
    assert len(found) == 1, f"gold {name}: expected one source file in {CORPUS}, found {found}"
    return found[0]


def is_derived_text(answer: dict[str, Any]) -> bool:
    """A converter's output (PDF to markdown): cells are right or null with a note, never cell-exact."""
    return any(d["detail"].startswith("Derived text") for d in answer["defects"])

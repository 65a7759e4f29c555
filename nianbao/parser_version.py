"""PARSER_VERSION: which parser read a stored report, so `nianbao reparse` knows what is out of date.

It is `<generation>+<digest>`: the generation is bumped by hand for a change worth naming; the
digest is taken from the source of extraction and recognition (nianbao/extract, nianbao/recognize,
the templates, the document model), so any change there bumps the version by itself and no parser
fix can be forgotten. A stored report whose parser_version differs from PARSER_VERSION (including
the package versions, e.g. 0.1.0, written before this existed) was read by an older parser.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PARSER_GENERATION = 2  # 1: the package version was stored instead

_ROOT = Path(__file__).resolve().parent
_SOURCES = ("extract", "recognize", "templates")


def _digest() -> str:
    h = hashlib.sha256()
    files = [_ROOT / "model.py"]
    for folder in _SOURCES:
        files += sorted(p for p in (_ROOT / folder).rglob("*") if p.suffix in (".py", ".toml"))
    for path in files:
        h.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:10]


PARSER_VERSION = f"{PARSER_GENERATION}+{_digest()}"


def is_current(stored: str | None) -> bool:
    """Whether a report stored with this parser_version was read by today's parser."""
    return stored == PARSER_VERSION

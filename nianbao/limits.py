"""The caps on work (nianbao/limits.toml), each overridable by NIANBAO_<SECTION>_<KEY>."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def _defaults() -> dict[str, dict[str, Any]]:
    text = resources.files("nianbao").joinpath("limits.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def limit(section: str, key: str) -> float:
    """One cap: the environment variable when set (and a number), else limits.toml."""
    default = float(_defaults()[section][key])
    raw = os.environ.get(f"NIANBAO_{section}_{key}".upper())
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        return default

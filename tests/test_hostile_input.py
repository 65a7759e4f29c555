"""Hostile bytes: truncated, corrupted, spliced or repeated copies of real reports raise only UnreadableReport."""

from __future__ import annotations

import random

import pytest

from nianbao.errors import UnreadableReport
from nianbao.ingest import parse_bytes


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random damage: cut, overwrite bytes, drop a span, or repeat a span."""
    buf = bytearray(data)
    op = rng.randrange(4)
    if op == 0:
        return bytes(buf[: rng.randrange(len(buf))])
    if op == 1:
        for _ in range(rng.randrange(1, 50)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        return bytes(buf)
    a, b = sorted((rng.randrange(len(buf)), rng.randrange(len(buf))))
    if op == 2:
        return bytes(buf[:a] + buf[b:])
    return bytes(buf[:a] + buf[a : a + 500] * rng.randrange(1, 20) + buf[a:])


@pytest.mark.parametrize("seed", range(40))
def test_damaged_report_raises_only_unreadable_report(seed_bytes: bytes, seed: int) -> None:
    rng = random.Random(seed)
    damaged = mutate(seed_bytes, rng)
    try:
        parse_bytes(damaged, "damaged.txt")
    except UnreadableReport as e:
        assert e.zh and e.en

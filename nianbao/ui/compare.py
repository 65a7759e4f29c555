"""Two reports side by side: their cells one by one, and their sections' text sentence by sentence
(difflib from the standard library matches the sentences). Pure: no Streamlit here."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from nianbao.ui.lists import TABLE_STYLE, TD_STYLE, TH_STYLE

KEYS = ["tbl", "row_key", "col_key"]
TABLE_LABELS = {"t2": "表二", "t3": "表三", "t4": "表四"}
SENTENCE_END = re.compile(r"(?<=[。；！？!?;])")
SAME_STYLE = "background:#f2f4f7;color:#475467"  # a sentence found word for word in the other text
CHANGED_STYLE = "background:#fff0c2"


def _shown(raw: Any, state: Any) -> str:
    if state is None or (isinstance(state, float) and pd.isna(state)) or state == "missing":
        return "（缺）"
    if state == "blank" or not raw:
        return "（空）"
    return str(raw)


def cell_diff(a: pd.DataFrame, b: pd.DataFrame, *, changed_only: bool = True) -> pd.DataFrame:
    """The cells of two reports matched by table, row and column: label, the value in each, and
    whether they differ. A cell only one report has shows （缺） on the other side."""
    cols = [*KEYS, "row_label", "col_label", "raw", "state"]
    left = a[cols] if not a.empty else pd.DataFrame(columns=cols)
    right = b[cols] if not b.empty else pd.DataFrame(columns=cols)
    both = left.merge(right, on=KEYS, how="outer", suffixes=("_a", "_b"))
    both["a"] = [_shown(r, s) for r, s in zip(both["raw_a"], both["state_a"], strict=True)]
    both["b"] = [_shown(r, s) for r, s in zip(both["raw_b"], both["state_b"], strict=True)]
    both["changed"] = both["a"] != both["b"]
    label = both["row_label_a"].fillna(both["row_label_b"]).astype(str).str.replace(r"^.*/", "", regex=True)
    column = both["col_label_a"].fillna(both["col_label_b"]).astype(str)
    both["where"] = both["tbl"].map(TABLE_LABELS).fillna(both["tbl"]) + "·" + label + "·" + column
    out = both[["tbl", "row_key", "col_key", "where", "a", "b", "changed"]]
    if changed_only:
        out = out[out["changed"]]
    return out.sort_values(KEYS).reset_index(drop=True)


def sentences(text: str) -> list[str]:
    """A section's text cut into sentences (after 。；！？), blank pieces dropped."""
    return [s.strip() for s in SENTENCE_END.split(text or "") if s.strip()]


@dataclass(frozen=True)
class Piece:
    """One sentence of the newer text and whether the older text has it word for word."""

    text: str
    same: bool


def sentence_diff(older: str, newer: str) -> list[Piece]:
    """The newer text's sentences, each marked as unchanged from the older text or changed."""
    old, new = sentences(older), sentences(newer)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, _a0, _a1, b0, b1 in matcher.get_opcodes():
        pieces += [Piece(s, op == "equal") for s in new[b0:b1]]
    return pieces


def share_unchanged(pieces: Sequence[Piece]) -> float | None:
    """The share of the newer text's characters in sentences copied unchanged."""
    total = sum(len(p.text) for p in pieces)
    return None if total == 0 else sum(len(p.text) for p in pieces if p.same) / total


def cells_html(diff: pd.DataFrame, left: str, right: str) -> str:
    """A cell diff as a wrapping table; changed cells highlighted."""
    head = "".join(f'<th style="{TH_STYLE}">{escape(h)}</th>' for h in ("位置", left, right))
    body = []
    for r in diff.to_dict(orient="records"):
        style = TD_STYLE + (";" + CHANGED_STYLE if r["changed"] else "")
        key = escape(".".join(str(r[k]) for k in KEYS))
        changed = "1" if r["changed"] else "0"
        where, a, b = (escape(str(r[k])) for k in ("where", "a", "b"))
        body.append(
            f'<tr data-cell="{key}" data-changed="{changed}"><td style="{TD_STYLE}">{where}</td>'
            f'<td style="{style}">{a}</td><td style="{style}">{b}</td></tr>'
        )
    return (
        f'<table data-list="cell-diff" style="{TABLE_STYLE}"><colgroup><col><col style="width:9em">'
        f'<col style="width:9em"></colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def text_html(titles: Mapping[str, str], older: Mapping[str, str], newer: Mapping[str, str]) -> str:
    """Each section of the newer report, its sentences unchanged since the older one greyed, the
    changed ones highlighted, with the share copied unchanged."""
    parts = []
    for key, title in titles.items():
        pieces = sentence_diff(older.get(key, ""), newer.get(key, ""))
        share = share_unchanged(pieces)
        note = "" if share is None else f"（与上年相同的文字占 {share:.0%}）"
        body = "".join(
            f'<span data-same="{"1" if p.same else "0"}" style="{SAME_STYLE if p.same else CHANGED_STYLE}">'
            f"{escape(p.text)}</span>"
            for p in pieces
        )
        parts.append(
            f'<div data-section="{escape(key)}" style="margin:0.5rem 0"><b>{escape(title)}</b>'
            f'<span style="color:#667085;font-size:0.8rem">{escape(note)}</span>'
            f'<div style="line-height:1.7">{body or "（无此章节）"}</div></div>'
        )
    legend = (
        f'<div style="font-size:0.8rem;color:#475467"><span style="{SAME_STYLE};padding:0 6px">灰底</span>'
        f' 与对比年报逐字相同　<span style="{CHANGED_STYLE};padding:0 6px">黄底</span> 新写或改动的句子</div>'
    )
    return f'<div data-list="text-diff">{legend}{"".join(parts)}</div>'

"""Project contracts: the core never imports Streamlit, views are documented, commands are in the README."""

from __future__ import annotations

import ast
from pathlib import Path

from nianbao.cli import build_parser
from nianbao.store import QUERIES, view_names

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "nianbao").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "nianbao").parts and "streamlit" in _imports(p)
    ]
    assert offenders == []


def test_every_view_file_is_ordered_and_every_ordered_view_exists() -> None:
    files = {p.stem for p in QUERIES.glob("*.sql")} - {
        "schema",
        "refresh",
        "refresh_levels",
        "refresh_copy",
        "refresh_views",
        "refresh_scorecards",
    }  # scripts, not views
    assert files == set(view_names())


def test_every_view_states_its_grain() -> None:
    for name in view_names():
        first = (QUERIES / f"{name}.sql").read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("-- One row per"), name


def test_every_subcommand_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"nianbao {name}" in readme, name

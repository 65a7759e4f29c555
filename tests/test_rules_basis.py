"""Every rule's basis reads as a supervisor would write it: what is checked, why, and the citation."""

from __future__ import annotations

import json
import re

import pytest

from nianbao.cli import main

CITATION = re.compile(r"依据：.*(?:《[^》]+》|〔20\d\d〕\d+号)")
# What a reader of the rules page must never see: the project's own documents and files, section
# marks, issue numbers, rule ids and other machinery (any Latin letter), code quotes.
INTERNAL = re.compile(r"[A-Za-z#§`]|\.toml|视图|软规则|规则引擎|指纹|\d+\.\d+节")
# The articles of the 条例 the domain notes quote; a basis citing any other would be unchecked.
SUPPORTED_ARTICLES = {"第二十条", "第四十七条", "第四十九条", "第五十条"}
ARTICLE = re.compile(r"第[一二三四五六七八九十]+条")


@pytest.fixture(scope="module")
def rules() -> list[dict[str, str]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["rules", "--json"]) == 0
    return list(json.loads(out.getvalue()))


def test_every_rule_has_a_basis_with_a_citation(rules: list[dict[str, str]]) -> None:
    assert len(rules) >= 30
    uncited = [r["rule_id"] for r in rules if not CITATION.search(r["basis"] or "")]
    assert uncited == []


def test_no_basis_carries_an_internal_reference(rules: list[dict[str, str]]) -> None:
    internal = {r["rule_id"]: INTERNAL.findall(r["basis"]) for r in rules if INTERNAL.search(r["basis"])}
    assert internal == {}


def test_every_cited_article_is_one_the_domain_notes_quote(rules: list[dict[str, str]]) -> None:
    cited = {a for r in rules for a in ARTICLE.findall(r["basis"])}
    assert cited and cited <= SUPPORTED_ARTICLES, cited - SUPPORTED_ARTICLES


def test_a_basis_is_short_enough_to_read_in_the_table(rules: list[dict[str, str]]) -> None:
    long = {r["rule_id"]: len(r["basis"]) for r in rules if len(r["basis"]) > 260}
    assert long == {}

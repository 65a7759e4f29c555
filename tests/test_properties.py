"""Property tests (Hypothesis): on any bytes the extractors and the recognizer return a report or
raise UnreadableReport, never anything else. Bounded (max_examples, no deadline on a shared machine).

Every crash found here becomes a named test below the properties.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfdocx_writers import write_docx, write_pdf

from nianbao.errors import UnreadableReport
from nianbao.extract import extract
from nianbao.extract.decode import decode
from nianbao.ingest import parse_bytes
from nianbao.model import Report
from nianbao.recognize import recognize
from nianbao.recognize.values import read_value

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "huangzhong_2020.txt"
OWN_SEED = ROOT / "data" / "seed" / "huangzhong_2020.txt"

# `make stress` (NIANBAO_STRESS=1) explores ten times as far, with fresh examples each run.
STRESS = os.environ.get("NIANBAO_STRESS") == "1"
BOUNDED = settings(
    max_examples=400 if STRESS else 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not STRESS,  # make test: the same examples every run, so a failure reproduces
)


@cache
def seed() -> bytes:
    return (SEED if SEED.exists() else OWN_SEED).read_bytes()


@cache
def seed_docx() -> bytes:
    lines = seed().decode("utf-8").splitlines()[:80]
    return write_docx([("p", ln) for ln in lines if ln.strip()])


@cache
def seed_pdf() -> bytes:
    lines = seed().decode("utf-8").splitlines()[:40]
    return write_pdf([("p", ln) for ln in lines if ln.strip()])


def report_or_unreadable(data: bytes) -> None:
    """The property: a Report, or the project's own error."""
    try:
        report = parse_bytes(data, "any")
    except UnreadableReport as e:
        assert e.code and e.zh and e.en
        return
    assert isinstance(report.report, Report)


def splice(base: bytes, at: int, junk: bytes, cut: int) -> bytes:
    i = at % (len(base) + 1)
    return base[:i] + junk + base[i + cut :]


@BOUNDED
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_report_or_unreadable_report(data: bytes) -> None:
    report_or_unreadable(data)


MAGIC = st.sampled_from(
    [b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0", b""]
)


@BOUNDED
@given(MAGIC, st.binary(max_size=2048))
def test_any_bytes_behind_a_format_signature_give_a_report_or_unreadable_report(
    magic: bytes, data: bytes
) -> None:
    report_or_unreadable(magic + data)


@BOUNDED
@given(st.integers(min_value=0), st.binary(max_size=64), st.integers(min_value=0, max_value=64))
def test_a_damaged_text_report_gives_a_report_or_unreadable_report(at: int, junk: bytes, cut: int) -> None:
    report_or_unreadable(splice(seed(), at, junk, cut))


@settings(BOUNDED, max_examples=250 if STRESS else 25)
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=32), st.integers(min_value=0, max_value=32))
def test_a_damaged_docx_gives_a_report_or_unreadable_report(at: int, junk: bytes, cut: int) -> None:
    report_or_unreadable(splice(seed_docx(), at, junk, cut))


@settings(BOUNDED, max_examples=250 if STRESS else 25)
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=32), st.integers(min_value=0, max_value=32))
def test_a_damaged_pdf_gives_a_report_or_unreadable_report(at: int, junk: bytes, cut: int) -> None:
    report_or_unreadable(splice(seed_pdf(), at, junk, cut))


@BOUNDED
@given(
    st.dictionaries(
        st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "x"]),
        st.binary(max_size=512),
        min_size=1,
    )
)
def test_any_zip_gives_a_report_or_unreadable_report(members: dict[str, bytes]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    report_or_unreadable(out.getvalue())


WORDS = st.sampled_from(
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "政府信息公开",
        "本年新收政府信息公开申请数量",
        "\t",
        "\n",
        "|",
        "9" * 40,
        "1e400",
        "-",
        "2020年",
        "99999999999年",
    ]
)


@BOUNDED
@given(st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=60))
def test_report_like_text_gives_a_report_or_unreadable_report(parts: list[str]) -> None:
    report_or_unreadable("".join(parts).encode("utf-8", errors="surrogatepass"))


@BOUNDED
@given(st.binary(max_size=2048))
def test_decode_returns_text_or_raises_unreadable_report(data: bytes) -> None:
    with contextlib.suppress(UnreadableReport):
        assert isinstance(decode(data), str)


@BOUNDED
@given(st.text(max_size=80))
def test_read_value_never_raises_and_never_returns_a_nan(raw: str) -> None:
    value, _unit, state = read_value(raw)
    assert value is None or value == value
    assert state


@BOUNDED
@given(st.binary(max_size=2048))
def test_recognize_on_any_extracted_document_gives_a_report_or_unreadable_report(data: bytes) -> None:
    try:
        doc = extract(data, "x")
    except UnreadableReport:
        return
    with contextlib.suppress(UnreadableReport):
        assert isinstance(recognize(doc), Report)


# ---------------------------------------------------------------- crashes found by the properties, kept


def test_a_zip_with_a_document_xml_of_junk_is_unreadable_not_a_crash() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", b"\x00\x01junk")
    report_or_unreadable(out.getvalue())

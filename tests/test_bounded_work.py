"""Bounded work for any input: zip bombs, page bombs, memory, two reports in one file, encodings, CLI edges."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import opencc
import pytest
from pdfdocx_writers import write_docx

from nianbao.errors import UnreadableReport
from nianbao.extract import extract
from nianbao.extract.decode import decode
from nianbao.ingest import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
NIANBAO = [sys.executable, "-m", "nianbao.cli"]
MIB = 1024 * 1024


def small_docx() -> bytes:
    return write_docx([("p", "西宁市城中区人民政府2020年政府信息公开工作年度报告"), ("p", "一、总体情况")])


def docx_with_member(size: int, *, fill: bytes = b" ") -> bytes:
    """A DOCX whose word/document.xml inflates to `size` bytes (streamed: little memory)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(small_docx())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = fill * MIB
            left = size
            while left > 0:
                fh.write(chunk[: min(left, MIB)])
                left -= MIB
    return out.getvalue()


def lie_about_sizes(data: bytes, name: bytes, declared: int) -> bytes:
    """Rewrite the uncompressed size of one member in both zip headers (no zip64)."""
    buf = bytearray(data)
    i = buf.find(b"PK\x03\x04" + b"")
    while i >= 0:
        n = struct.unpack_from("<H", buf, i + 26)[0]
        if bytes(buf[i + 30 : i + 30 + n]) == name:
            struct.pack_into("<I", buf, i + 22, declared)
        i = buf.find(b"PK\x03\x04", i + 4)
    j = buf.find(b"PK\x01\x02")
    while j >= 0:
        n = struct.unpack_from("<H", buf, j + 28)[0]
        if bytes(buf[j + 46 : j + 46 + n]) == name:
            struct.pack_into("<I", buf, j + 24, declared)
        j = buf.find(b"PK\x01\x02", j + 4)
    return bytes(buf)


def refused(data: bytes) -> UnreadableReport:
    with pytest.raises(UnreadableReport) as caught:
        parse_bytes(data, "x")
    return caught.value


def test_a_docx_whose_document_inflates_past_the_cap_is_refused_before_parsing() -> None:
    bomb = docx_with_member(100 * MIB)  # 100 MB of spaces: about 100 KB on disk
    assert len(bomb) < 2 * MIB
    started = time.perf_counter()
    e = refused(bomb)
    assert e.code == "docx_too_large" and "压缩炸弹" in e.zh
    assert time.perf_counter() - started < 10


def test_a_docx_member_with_an_absurd_compression_ratio_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = docx_with_member(8 * MIB)  # under the size cap, but ratio ~1000
    assert refused(bomb).code == "docx_too_large"
    monkeypatch.setenv("NIANBAO_DOCX_MAX_RATIO", "100000")  # configurable: then it is only not a report
    assert refused(bomb).code != "docx_too_large"


def test_a_docx_that_lies_about_its_sizes_is_never_inflated_past_what_it_declares(tmp_path: Path) -> None:
    liar = lie_about_sizes(docx_with_member(60 * MIB, fill=b"\0"), b"word/document.xml", 1000)
    e = refused(liar)
    assert e.code == "corrupt_docx"
    peaks = {}
    for name, data in (("small", small_docx()), ("liar", liar)):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, "-c", WORST, str(path)], capture_output=True, text=True, timeout=300
        )
        code, peak, _ = out.stdout.split()
        peaks[name] = int(peak)
    assert code == "corrupt_docx", out.stderr
    assert peaks["liar"] < peaks["small"] + 30, peaks  # python-docx would have inflated all 60 MB at once


def test_an_ordinary_docx_passes_the_zip_checks() -> None:
    from nianbao.extract.bounds import check_docx_zip

    check_docx_zip(small_docx(), lambda detail: UnreadableReport("x", detail, detail))  # raises nothing


def _pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for i in range(pages):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def test_a_pdf_of_1000_pages_is_refused_quickly_before_layout() -> None:
    data = _pdf(1000)
    started = time.perf_counter()
    e = refused(data)
    assert e.code == "too_many_pages" and "60" in e.zh
    assert time.perf_counter() - started < 15


def test_the_page_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _pdf(3)
    assert refused(data).code != "too_many_pages"  # 3 pages of Latin text: only not a report
    monkeypatch.setenv("NIANBAO_PDF_MAX_PAGES", "2")
    assert refused(data).code == "too_many_pages"


def test_running_out_of_memory_is_never_called_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    import nianbao.extract.pdf as pdf

    def no_memory(page: object, number: int) -> object:
        raise MemoryError

    monkeypatch.setattr(pdf, "_read_page", no_memory)
    e = refused(_pdf(2))
    assert e.code == "out_of_memory" and "损坏" not in e.zh and "damaged" not in e.en
    assert "内存不足" in e.zh


def test_running_out_of_memory_while_recognising_is_reported_as_such(
    monkeypatch: pytest.MonkeyPatch, seed_bytes: bytes
) -> None:
    import nianbao.ingest as ingest

    def no_memory(doc: object, **kwargs: object) -> object:
        raise MemoryError

    monkeypatch.setattr(ingest, "recognize", no_memory)
    assert refused(seed_bytes).code == "out_of_memory"


def test_a_file_holding_two_reports_is_refused(seed_bytes: bytes) -> None:
    two = seed_bytes + b"\n\n" + seed_bytes.replace(b"2020", b"2021")
    e = refused(two)
    assert e.code == "several_reports"
    assert e.zh == "文件中包含多份年报，请分别上传。"
    assert parse_bytes(seed_bytes, "one.txt").report.year == 2020  # one report alone is fine


def test_a_big5_report_is_decoded_and_read(seed_bytes: bytes) -> None:
    traditional = opencc.OpenCC("s2t").convert(seed_bytes.decode("utf-8"))
    data = traditional.encode("big5", errors="replace")
    assert "資訊" in decode(data) or "信息" in decode(data)
    report = parse_bytes(data, "big5.txt").report
    assert report.year == 2020 and report.unit and "湟中区" in report.unit


def test_gbk_is_still_read_as_gbk(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    assert decode(text.encode("gb18030"))[:200] == text.replace("\r\n", "\n")[:200]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_decoded(seed_bytes: bytes, codec: str) -> None:
    text = seed_bytes.decode("utf-8")
    data = text.encode(codec)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert decode(data)[:300] == text.replace("\r\n", "\n")[:300]
    assert parse_bytes(data, "u16.txt").report.year == 2020


def test_binary_junk_with_nul_bytes_is_still_refused() -> None:
    with pytest.raises(UnreadableReport):
        extract(bytes(range(256)) * 50, "junk.bin")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NIANBAO, *args], capture_output=True, text=True, cwd=ROOT, timeout=180)


def test_an_absurd_year_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path, seed_bytes: bytes) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(seed_bytes)
    for cmd in ("ingest", "check"):
        out = run(cmd, str(f), "--db", str(tmp_path / "s.duckdb"), "--year", "99999999999")
        assert out.returncode == 2
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
        assert "99999999999" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_parse_into_a_closed_pipe_ends_cleanly(tmp_path: Path, seed_bytes: bytes) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(seed_bytes)
    p = subprocess.Popen(
        [*NIANBAO, "parse", *[str(f)] * 4], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout is not None and p.stdout.readline()  # like `| head -1`
    p.stdout.close()
    err = p.stderr.read().decode() if p.stderr else ""
    assert p.wait(timeout=180) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


WORST = textwrap.dedent(
    """
    import sys, time
    from nianbao.errors import UnreadableReport
    from nianbao.ingest import parse_bytes
    data = open(sys.argv[1], "rb").read()
    started = time.perf_counter()
    try:
        parse_bytes(data, "bomb")
        code = "read"
    except UnreadableReport as e:
        code = e.code
    # VmHWM, not ru_maxrss: after fork + exec, ru_maxrss still counts the forking parent's memory.
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
    print(code, peak, round(time.perf_counter() - started, 2))
    """
)


def test_the_worst_inputs_stay_within_a_few_hundred_megabytes(tmp_path: Path) -> None:
    script = tmp_path / "worst.py"
    script.write_text(WORST, encoding="utf-8")
    for name, data in (("docx", docx_with_member(200 * MIB, fill=b"\0")), ("pdf", _pdf(1000))):
        path = tmp_path / f"bomb.{name}"
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=300
        )
        code, peak, seconds = out.stdout.split()
        assert code in ("docx_too_large", "too_many_pages"), out.stderr
        assert int(peak) < 250, f"{name}: {peak} MB"
        print(f"\n{name} bomb ({len(data) // 1024} KB): {code}, peak {peak} MB, {seconds} s")


def test_zlib_bombs_inside_a_docx_are_caught_by_declared_size_without_inflating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The declared-size check comes first: a member declaring 3.5 GiB is refused without reading it."""
    data = lie_about_sizes(small_docx(), b"word/document.xml", 3_500_000_000)
    calls = []
    real = zlib.decompressobj

    def counting(*a: object, **k: object) -> object:
        calls.append(1)
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(zlib, "decompressobj", counting)
    e = refused(data)
    assert e.code == "docx_too_large"
    assert calls == []
    assert os.environ.get("NIANBAO_DOCX_MAX_MEMBER_BYTES") is None

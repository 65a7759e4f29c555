"""Atheris fuzz target: the extractors and the recognizer on any bytes (`make fuzz`).

The contract: for any input, parsing returns a Report or raises UnreadableReport; anything else
(another exception, a hang past -timeout, memory past -rss_limit_mb) is a crash, written under
test-output/fuzz/ by libFuzzer. Every crash found becomes a case in tests/test_fuzz_crashes.py.

The first byte picks the entry point, so every extractor is reached directly as well as through
format sniffing; the seed corpus (written by `--seeds DIR`) holds the real seed report and one
generated report per layout, so mutations start from real structure.

Run: python tests/fuzz_parse.py --seeds DIR, then python tests/fuzz_parse.py DIR -max_total_time=60
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_seeds(folder: Path) -> None:
    """The seed corpus: the real seed report and one generated report in each layout."""
    from nianbao.demo import DemoConfig
    from nianbao.demo.generate import DEFAULT_RATES, generate
    from nianbao.demo.render import render

    folder.mkdir(parents=True, exist_ok=True)
    seed = (ROOT / "data" / "seed" / "huangzhong_2020.txt").read_bytes()
    (folder / "seed-txt").write_bytes(b"\x00" + seed)
    rates = {k: min(1.0, 3 * v) for k, v in DEFAULT_RATES.items()}  # few units: every defect kind occurs
    corpus = generate(
        DemoConfig(years=(2020, 2021, 2022), departments_per_district=1, towns_per_district=1, rates=rates)
    )
    done: set[str] = set()
    for report in corpus.reports:
        if report.layout not in done:
            done.add(report.layout)
            (folder / f"seed-{report.layout}").write_bytes(b"\x00" + render(report))


def main() -> None:
    """Start libFuzzer on the target."""
    import atheris

    with atheris.instrument_imports(include=["nianbao"]):
        from nianbao.errors import UnreadableReport
        from nianbao.extract.docx import extract_docx
        from nianbao.extract.html import extract_html
        from nianbao.extract.pdf import extract_pdf
        from nianbao.extract.text import extract_text
        from nianbao.ingest import parse_bytes
        from nianbao.recognize import recognize

    extractors = (extract_html, extract_text, extract_docx, extract_pdf)

    def one_input(data: bytes) -> None:
        if not data:
            return
        pick, body = data[0], data[1:]
        try:
            if pick % 5 == 0:
                parse_bytes(body, "fuzz")
            else:
                recognize(extractors[pick % 5 - 1](body))
        except UnreadableReport:
            pass

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        write_seeds(Path(sys.argv[2]))
    else:
        main()

"""Write one generated report as a file: HTML page, DOCX, PDF or Word-dump text."""

from __future__ import annotations

from nianbao.demo.spec import DemoReport

TABLE_OF_SECTION = {"proactive": "t2", "requests": "t3", "appeals": "t4"}

Item = tuple[str, str]  # (kind, text): title | p | heading | table (text = t2/t3/t4) | sign


def outline(report: DemoReport) -> list[Item]:
    """The report in body order, for every renderer."""
    out: list[Item] = [("title", report.title)]
    out += [("p", p) for p in report.preamble]
    for s in report.sections:
        out.append(("heading", s.heading))
        out += [("p", p) for p in s.before]
        if s.key in TABLE_OF_SECTION:
            out.append(("table", TABLE_OF_SECTION[s.key]))
        out += [("p", p) for p in s.after]
    out += [("sign", line) for line in report.signature.split("\n")]
    return out


def render(report: DemoReport) -> bytes:
    """The file's bytes, in the report's layout."""
    if report.layout == "html":
        from nianbao.demo.render.html import render_html

        return render_html(report)
    if report.layout == "docx":
        from nianbao.demo.render.docx import render_docx

        return render_docx(report)
    if report.layout == "pdf":
        from nianbao.demo.render.pdf import render_pdf

        return render_pdf(report)
    from nianbao.demo.render.text import render_text

    return render_text(report)

"""Word-dump text, like the seed: tab-led cells, a blank line after each row."""

from __future__ import annotations

from nianbao.demo.render import outline
from nianbao.demo.render.grid import expand, tables
from nianbao.demo.spec import DemoReport


def render_text(report: DemoReport) -> bytes:
    """The report as Word's "save as plain text" writes it; some files in GB18030 or with CRLF."""
    grids = {k: expand(t) for k, t in tables(report).items()}
    lines: list[str] = []
    for kind, text in outline(report):
        if kind == "table":
            for row in grids[text].dump_rows():
                for cell in row:
                    first, *rest = cell.split("\n")
                    lines.append("\t" + first)
                    lines.extend(rest)
                lines.append("")
            lines.append("")
        elif kind == "title":
            lines.extend([text, ""])
        else:
            lines.append(text)
    body = "\n".join(lines) + "\n"
    style = report.variant % 4
    if style == 1:
        body = body.replace("\n", "\r\n")
    if style == 2:
        return body.encode("gb18030")
    return body.encode("utf-8")

"""The embedded demo: a deterministic corpus of Xining reports in every layout, with known defects.

`generate` decides every report (numbers, prose, dates, defects); `render` writes one report as
HTML, DOCX, PDF or Word-dump text; `build` writes the corpus and its manifest and ingests it,
and builds large stores for benchmarks. Nothing here imports Streamlit.
"""

from __future__ import annotations

from nianbao.demo.generate import Corpus, DemoConfig, generate

__all__ = ["Corpus", "DemoConfig", "generate"]

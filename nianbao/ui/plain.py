"""Report text as plain text in Streamlit's markdown elements (pure: no Streamlit here).

Streamlit renders st.markdown, st.caption, st.success/st.error and widget labels as markdown
(with its own :red[...] directives and $math$). Text that comes from a report, an upload or a
user must never become an image, a link, a colour or HTML there: every ASCII punctuation mark is
backslash-escaped (CommonMark shows an escaped mark as itself), so no markup survives.
"""

from __future__ import annotations

import string

_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}


def md(text: object) -> str:
    """`text` as markdown that shows exactly these characters (None: empty)."""
    if text is None:
        return ""
    return str(text).translate(_ESCAPES).replace("\r", "").replace("\n", "  \n")

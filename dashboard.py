"""政务公开年报检查台: the Streamlit entry point — navigation over the pages in app_pages/.

The folder is not called pages/: Streamlit runs a main script next to a pages/ folder in its
old multipage mode, which ignores st.navigation.

Run: streamlit run dashboard.py -- --db data/demo.duckdb   (or set NIANBAO_DB)
"""

import streamlit as st

from nianbao.ui import nav

st.set_page_config(page_title="政务公开年报检查台", page_icon="📋", layout="wide")
nav.navigation().run()

"""政务公开年报检查台: the Streamlit entry point — navigation over the pages in app_pages/.

The folder is not called pages/: Streamlit runs a main script next to a pages/ folder in its
old multipage mode, which ignores st.navigation.

Run: streamlit run dashboard.py --server.address 127.0.0.1 -- --db data/demo.duckdb   (or set NIANBAO_DB)
It listens on 127.0.0.1 only (.streamlit/config.toml); pass --server.address 0.0.0.0 to serve others.
With users configured (`nianbao user add`) every page asks for a login first.
"""

import sys

import streamlit as st

st.set_page_config(page_title="政务公开年报检查台", page_icon="📋", layout="wide")
# The first run after the server starts imports the library (pandas, duckdb, altair: seconds);
# say so on the page first, so it is readable at once. Later runs have it in memory already.
cold = st.empty() if "nianbao.ui.data" not in sys.modules else None
if cold is not None:
    cold.markdown("### 政务公开年报检查台\n\n加载中，正在启动……")

from nianbao.ui import auth, db_path, nav, page_run  # noqa: E402 - after the loading text, on purpose

page = nav.navigation()
# After st.navigation, so a deep link (/district?district=…, /report?id=…) survives the login form.
if cold is not None:
    cold.empty()
with page_run(db_path()):  # the run's reads share one open of the store, closed when it ends
    auth.login()  # stops here until a configured user signs in; in the demo, says there is no login
    page.run()

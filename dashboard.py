"""政务公开年报检查台: the Streamlit entry point — navigation over the pages in app_pages/.

The folder is not called pages/: Streamlit runs a main script next to a pages/ folder in its
old multipage mode, which ignores st.navigation.

Run: streamlit run dashboard.py --server.address 127.0.0.1 -- --db data/demo.duckdb   (or set NIANBAO_DB)
It listens on 127.0.0.1 only (.streamlit/config.toml); pass --server.address 0.0.0.0 to serve others.
With users configured (`nianbao user add`) every page asks for a login first.
"""

import streamlit as st

from nianbao.ui import auth, nav

st.set_page_config(page_title="政务公开年报检查台", page_icon="📋", layout="wide")
page = nav.navigation()
# After st.navigation, so a deep link (/district?district=…, /report?id=…) survives the login form.
auth.login()  # stops here until a configured user signs in; in the demo, says there is no login
page.run()

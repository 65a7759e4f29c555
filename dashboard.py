"""政务公开年报检查台: the Streamlit entry point — navigation over the pages in app_pages/.

The folder is not called pages/: Streamlit runs a main script next to a pages/ folder in its
old multipage mode, which ignores st.navigation.

Run: streamlit run dashboard.py --server.address 127.0.0.1 -- --db data/demo.duckdb   (or set NIANBAO_DB)
It listens on 127.0.0.1 only (.streamlit/config.toml); pass --server.address 0.0.0.0 to serve others.
With users configured (`nianbao user add`) every page asks for a login first.
"""

import streamlit as st

from nianbao import ui

st.set_page_config(page_title="政务公开年报检查台", page_icon="📋", layout="wide")

page = st.navigation(
    {
        "检查台": [
            st.Page(
                "app_pages/overview.py",
                title="总览与排名",
                icon=":material/leaderboard:",
                url_path="overview",
                default=True,
            ),
            st.Page("app_pages/district.py", title="区县记分卡", icon=":material/map:", url_path="district"),
            st.Page(
                "app_pages/upload.py", title="上传即检", icon=":material/upload_file:", url_path="upload"
            ),
            st.Page(
                "app_pages/findings.py", title="问题清单", icon=":material/checklist:", url_path="findings"
            ),
            st.Page(
                "app_pages/harvest.py", title="数据采集", icon=":material/cloud_download:", url_path="harvest"
            ),
            st.Page("app_pages/bulletin.py", title="通报", icon=":material/campaign:", url_path="bulletin"),
        ],
        "说明": [
            st.Page("app_pages/rules.py", title="规则说明", icon=":material/menu_book:", url_path="rules"),
        ],
    }
)
# After st.navigation, so a deep link (/district?district=…) survives the login form.
ui.login()  # stops here until a configured user signs in; in the demo, says there is no login
page.run()

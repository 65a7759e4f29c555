"""Login and roles: who is using the dashboard, which districts they may see, what they may change.

Users live in the users file (nianbao.users: bcrypt hashes, roles, districts); the login form and
its re-login cookie are streamlit-authenticator's. No users configured means the demo: no login,
everything visible, and every page says so. The scope is applied where the data is read (the
wrappers in nianbao.ui.scoped pass `current_scope()` into nianbao.ui.data), never by hiding widgets.

For other pages: `current_scope()` is the tuple of districts the user may see (None: every
district), `current_actor()` the name to give nianbao.audit.record for anything the user does.
"""

from __future__ import annotations

import copy
import os
import secrets
from pathlib import Path
from typing import Any

import streamlit as st

from nianbao import units, users
from nianbao.ui.config import db_path
from nianbao.ui.data import FORBIDDEN, Forbidden

DEMO_ACTOR = "web:demo"
_PROCESS_KEY = secrets.token_hex(32)  # re-login cookies then last until the dashboard restarts
DEMO_NOTE = "演示模式：未配置用户，无需登录；任何人都可以查看全部区县并保存年报。如需登录，请由管理员在命令行添加用户（见说明文档“用户与角色”）。"
LOGIN_FIELDS = {
    "Form name": "登录政务公开年报检查台",
    "Username": "用户名",
    "Password": "密码",
    "Login": "登录",
}


def users_file() -> Path:
    """The users file of the dashboard's store."""
    return users.users_path(db_path())


@st.cache_data(show_spinner=False, ttl=5)
def _read(path: str, mtime: float) -> dict[str, Any]:
    return users.read_file(Path(path))


def _config() -> dict[str, Any]:
    """The users file (re-read when it changes: a removed user loses access on their next click)."""
    path = users_file()
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return {}
    return _read(str(path), mtime)


def configured() -> dict[str, users.User]:
    """The configured users by name ({}: the demo, no login)."""
    out: dict[str, users.User] = {}
    for name, entry in users.entries(_config()).items():
        role = str(entry.get("role") or "")
        if role in users.ROLES and entry.get("password"):
            district = entry.get("district")
            out[name] = users.User(name, role, str(district) if district else None)
    return out


def current_user() -> users.User | None:
    """The signed-in user; None in the demo (no users configured). Forbidden when nobody is signed in."""
    known = configured()
    if not known:
        return None
    name = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    if name in known:
        return known[str(name)]
    raise Forbidden(f"{FORBIDDEN}：请先登录。")


def current_scope() -> tuple[str, ...] | None:
    """The districts the current user may see (None: every district)."""
    user = current_user()
    return None if user is None else user.districts


def current_actor() -> str:
    """Who the audit log names for what happens in this session: web:<user>, or web:demo."""
    user = current_user()
    return DEMO_ACTOR if user is None else f"web:{user.name}"


def _authenticator(config: dict[str, Any]) -> Any:
    import streamlit_authenticator as stauth

    cookie = config.get("cookie") or {}
    return stauth.Authenticate(
        {"usernames": copy.deepcopy(users.entries(config))},  # the library marks logins in its copy
        str(cookie.get("name") or "nianbao_auth"),
        str(cookie.get("key") or _PROCESS_KEY),  # a hand-written file without a key: never a guessable one
        float(cookie.get("expiry_days") or 1),
        auto_hash=False,  # `nianbao user add` stores bcrypt hashes only
    )


def login() -> None:
    """Ask for a login when users are configured (stops the page until one succeeds); in the demo,
    say on the page that there is no login. Shows who is signed in, with a logout button."""
    known = configured()
    if not known:
        # No icon: a material icon's name shows as text, and Debian's fonts have no emoji.
        st.sidebar.warning(DEMO_NOTE)
        return
    auth = _authenticator(_config())
    name = st.session_state.get("username") if st.session_state.get("authentication_status") else None
    if name is not None and name not in known:  # removed from the users file since signing in
        auth.logout(location="unrendered")
        name = None
    if name is None:
        auth.login(location="main", fields=LOGIN_FIELDS, key="nianbao-login")
        if st.session_state.get("authentication_status") is False:
            st.error("用户名或密码错误。")
        if not st.session_state.get("authentication_status"):
            st.stop()
        name = st.session_state.get("username")
    user = known.get(str(name))
    if user is None:
        st.stop()
    where = f" · {user.district}" if user.district else ""
    st.sidebar.caption(f"已登录：{user.name}（{users.ROLES[user.role]}{where}）")
    auth.logout("退出登录", location="sidebar", key="nianbao-logout")


def unit_district(unit: str | None) -> str | None:
    """The district of a unit name as configured (None when the unit is not known)."""
    resolved = units.resolve(unit) if unit else None
    return resolved.district if resolved else None

"""Dashboard users: a YAML file of names, roles, districts and bcrypt password hashes.

The file has the layout streamlit-authenticator reads (`credentials.usernames.NAME.password`,
`cookie.name/key/expiry_days`), plus each user's `role` and `district`. It lives beside the
store (`users.yaml` in the data directory) unless NIANBAO_USERS names another file. No file,
or a file without users, means the dashboard runs without login (the demo).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from nianbao import units

SUPERVISOR = "supervisor"
DISTRICT = "district"
VIEWER = "viewer"
ROLES = {SUPERVISOR: "市级督查", DISTRICT: "区县工作人员", VIEWER: "只读"}
FILE_NAME = "users.yaml"
HEADER = "# nianbao dashboard users, written by `nianbao user add`: passwords are bcrypt hashes.\n"


class UsersError(Exception):
    """A users file or a user entry that cannot be used (message in English and Chinese)."""


@dataclass(frozen=True)
class User:
    """One dashboard user and what they may see and change."""

    name: str
    role: str
    district: str | None = None

    @property
    def districts(self) -> tuple[str, ...] | None:
        """The districts this user may see: None for every district."""
        if self.role == DISTRICT:
            return (self.district,) if self.district else ()
        return None

    @property
    def may_save(self) -> bool:
        """Whether the user may store reports (supervisors anywhere, district staff for their units)."""
        return self.role in (SUPERVISOR, DISTRICT)

    def may_save_for(self, district: str | None) -> bool:
        """Whether the user may store a report of a unit in `district` (None: an unknown unit)."""
        if self.role == SUPERVISOR:
            return True
        return self.role == DISTRICT and district is not None and district == self.district


def users_path(db: str | Path) -> Path:
    """The users file for a store: $NIANBAO_USERS, else users.yaml beside the database."""
    chosen = os.environ.get("NIANBAO_USERS")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(db).expanduser().resolve().parent / FILE_NAME


def read_file(path: Path) -> dict[str, Any]:
    """The users file as a dict ({} when there is none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise UsersError(f"cannot read users file {path} (无法读取用户文件): {e}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        raise UsersError(f"users file {path} is not valid YAML (用户文件格式错误)") from None
    if not isinstance(data, dict):
        raise UsersError(f"users file {path} is not a mapping (用户文件格式错误)")
    return data


def entries(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The user entries of a users file, by name."""
    found = (data.get("credentials") or {}).get("usernames") or {}
    if not isinstance(found, dict):
        raise UsersError("users file: credentials.usernames is not a mapping (用户文件格式错误)")
    return {str(k): v for k, v in found.items() if isinstance(v, dict)}


def load(path: Path) -> dict[str, User]:
    """Every configured user, by name (an entry with an unknown role is left out: no access)."""
    out: dict[str, User] = {}
    for name, entry in entries(read_file(path)).items():
        role = str(entry.get("role") or "")
        if role in ROLES and entry.get("password"):
            out[name] = User(name, role, _opt(entry.get("district")))
    return out


def _opt(v: Any) -> str | None:
    return str(v) if v else None


def hash_password(password: str) -> str:
    """A bcrypt hash of the password."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    """Whether the password matches the bcrypt hash."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def add(path: Path, name: str, role: str, password: str, district: str | None = None) -> User:
    """Add a user, or replace one of the same name, and write the file atomically."""
    name = name.strip()
    if not name or any(c.isspace() for c in name):
        raise UsersError("a user name must be non-empty, without spaces (用户名不能为空或含空格)")
    if role not in ROLES:
        raise UsersError(f"unknown role {role!r}; choose one of {', '.join(ROLES)} (未知角色)")
    if role == DISTRICT:
        if not district:
            raise UsersError("district staff need --district (区县工作人员须指定区县)")
        if district not in units.districts():
            raise UsersError(
                f"unknown district {district!r}; choose one of {'、'.join(units.districts())} (未知区县)"
            )
    elif district:
        raise UsersError(f"--district is only for the {DISTRICT} role (只有区县工作人员才指定区县)")
    if len(password) < 8:
        raise UsersError("the password needs at least 8 characters (密码至少 8 位)")
    data = read_file(path)
    data.setdefault("cookie", {})
    cookie = data["cookie"]
    cookie.setdefault("name", "nianbao_auth")
    cookie.setdefault("key", secrets.token_hex(32))  # signs the re-login cookie
    cookie.setdefault("expiry_days", 1)
    data.setdefault("credentials", {}).setdefault("usernames", {})
    entry: dict[str, Any] = {"password": hash_password(password), "role": role, "first_name": name}
    if district:
        entry["district"] = district
    data["credentials"]["usernames"][name] = entry
    _write(path, data)
    return User(name, role, district)


def remove(path: Path, name: str) -> bool:
    """Remove a user; returns whether there was one of that name."""
    data = read_file(path)
    found = entries(data)
    if name not in found:
        return False
    del data["credentials"]["usernames"][name]
    _write(path, data)
    return True


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(HEADER)
            yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # password hashes: readable by the owner only
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

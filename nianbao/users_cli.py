"""`nianbao user add | remove | list`: the dashboard's users file (see nianbao.users)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from nianbao.paths import DEFAULT_DB


def _fail(message: str) -> int:
    print(f"nianbao user: {message}", file=sys.stderr)
    return 2


def _path(args: argparse.Namespace) -> Path:
    from nianbao import users

    return Path(args.users).expanduser().resolve() if args.users else users.users_path(args.db)


def _password(args: argparse.Namespace) -> str | None:
    from nianbao import users

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise users.UsersError("the passwords differ (两次输入的密码不一致)")
    return first


def _audit(args: argparse.Namespace, action: str, detail: dict[str, Any]) -> None:
    """Log the change in the store's audit log when there is a store (a busy store only warns)."""
    if not Path(args.db).is_file():
        return
    import duckdb

    from nianbao import audit
    from nianbao.store import connect

    try:
        con = connect(args.db)
    except duckdb.Error as e:
        print(
            f"nianbao user: not logged in the audit log ({e.__class__.__name__}; 未写入审计日志)",
            file=sys.stderr,
        )
        return
    try:
        audit.record(
            con, actor=audit.cli_actor(), action=action, subject_kind="user", subject=args.name, detail=detail
        )
    finally:
        con.close()


def cmd_add(args: argparse.Namespace) -> int:
    """Add a user (or set a user's role, district and password)."""
    from nianbao import users  # bcrypt and yaml: loaded for this command only

    try:
        password = _password(args)
        if password is None:
            return _fail("no password: type it at the prompt or pass --password-stdin (缺少密码)")
        path = _path(args)
        user = users.add(path, args.name, args.role, password, args.district)
    except users.UsersError as e:
        return _fail(str(e))
    except OSError as e:
        return _fail(f"cannot write the users file: {e.strerror} (无法写入用户文件)")
    _audit(args, "user.add", {"role": user.role, "district": user.district})
    where = f", {user.district}" if user.district else ""
    print(f"{user.name}: {user.role} ({users.ROLES[user.role]}{where}) in {path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Remove a user."""
    from nianbao import users  # bcrypt and yaml: loaded for this command only

    try:
        gone = users.remove(_path(args), args.name)
    except users.UsersError as e:
        return _fail(str(e))
    if not gone:
        return _fail(f"no user {args.name!r} (无此用户)")
    _audit(args, "user.remove", {})
    print(f"{args.name}: removed")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """List the users and their roles (never the hashes)."""
    from nianbao import users  # bcrypt and yaml: loaded for this command only

    try:
        found = users.load(_path(args))
    except users.UsersError as e:
        return _fail(str(e))
    for u in found.values():
        print(f"{u.name}\t{u.role}\t{u.district or ''}")
    print(f"{len(found)} user(s) in {_path(args)}")
    return 0


def register(sub: Any) -> None:
    """Add `nianbao user` to the command line."""
    p = sub.add_parser("user", help="manage the dashboard's users (login, roles, districts)")
    verbs = p.add_subparsers(dest="user_command", required=True)
    for verb, func, text in (
        ("add", cmd_add, "add a user or change one (role, district, password)"),
        ("remove", cmd_remove, "remove a user"),
        ("list", cmd_list, "list users and roles"),
    ):
        q = verbs.add_parser(verb, help=text)
        if verb != "list":
            q.add_argument("name")
        if verb == "add":
            q.add_argument("--role", required=True, help="supervisor | district | viewer")
            q.add_argument("--district", help="the district of a district-staff user (e.g. 城东区)")
            q.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        q.add_argument(
            "--db", default=str(DEFAULT_DB), help=f"the store (users.yaml beside it; default {DEFAULT_DB})"
        )
        q.add_argument(
            "--users", help="the users file (default: $NIANBAO_USERS, else users.yaml beside the store)"
        )
        q.set_defaults(func=func)

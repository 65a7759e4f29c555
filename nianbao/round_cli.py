"""`nianbao round close|list|show`, `nianbao bulletin` and `nianbao review`: rounds and the 通报."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from nianbao.paths import DEFAULT_DB


def _fail(message: str) -> int:
    print(f"nianbao: {message}", file=sys.stderr)
    return 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text}") from None


def register(sub: Any) -> None:
    """Add the `round`, `bulletin` and `review` subcommands."""
    p = sub.add_parser("round", help="close, list and show inspection rounds (检查期)")
    rsub = p.add_subparsers(dest="round_command", required=True)
    c = rsub.add_parser("close", help="close the round ending on a day (default today)")
    c.add_argument("--on", type=_day, default=None, help="closing day YYYY-MM-DD (default today)")
    c.add_argument("--recompute", action="store_true", help="a new revision of an already closed round")
    _db(c)
    c.set_defaults(func=_guarded(cmd_close))
    ls = rsub.add_parser("list", help="every closed round with its counts")
    ls.add_argument("--json", action="store_true")
    _db(ls)
    ls.set_defaults(func=_guarded(cmd_list))
    sh = rsub.add_parser("show", help="one round's units and findings")
    sh.add_argument("round", type=int)
    sh.add_argument("--json", action="store_true")
    _db(sh)
    sh.set_defaults(func=_guarded(cmd_show))

    b = sub.add_parser("bulletin", help="write a round's 通报 as a Word document (and its annex as XLSX)")
    b.add_argument("--round", type=int, default=None, help="round number (default: the latest closed)")
    b.add_argument("--out", required=True, help="the .docx file to write")
    b.add_argument("--annex", default=None, help="also write 附件1 as an .xlsx file")
    _db(b)
    b.set_defaults(func=_guarded(cmd_bulletin))

    v = sub.add_parser("review", help="review a finding: confirm, dismiss, rectify, extend, reopen")
    v.add_argument("action", choices=["confirm", "dismiss", "rectify", "extend", "reopen"])
    v.add_argument("fingerprint", help="the finding's fingerprint (or its first 12 characters)")
    v.add_argument("--reason", default=None, help="why (required for dismiss and extend)")
    v.add_argument("--note", default=None, help="rectify: what was done")
    v.add_argument("--url", default=None, help="rectify: where it can be seen")
    v.add_argument("--file", default=None, help="rectify: an evidence file, kept in the raw store")
    v.add_argument("--deadline", type=_day, default=None, help="extend: the new deadline YYYY-MM-DD")
    v.add_argument("--actor", default=None, help="who (default cli:<os user>)")
    _db(v)
    v.set_defaults(func=_guarded(cmd_review))


def _guarded(fn: Any) -> Any:
    """A command whose store cannot be opened (busy, unreadable) fails with one line, exit 2."""

    def run(args: argparse.Namespace) -> int:
        from nianbao.store import StoreError

        try:
            return int(fn(args))
        except StoreError as e:
            return _fail(f"{args.db}: {e}")

    return run


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(DEFAULT_DB), help=f"DuckDB store (default {DEFAULT_DB})")


def _open(db: str, read_only: bool = False) -> Any:
    """The store for this one command (read-only unless it writes), or None when there is none."""
    from nianbao.store import connect

    if not Path(db).is_file():
        return None
    return connect(db, read_only=read_only)


def cmd_close(args: argparse.Namespace) -> int:
    """Close a round; print its summary."""
    from nianbao import rounds
    from nianbao.audit import cli_actor

    con = _open(args.db)
    if con is None:
        return _fail(f"{args.db}: no store here yet (尚无数据库)")
    try:
        closed = rounds.close_round(con, args.on or date.today(), actor=cli_actor(), recompute=args.recompute)
        row = next(r for r in rounds.list_rounds(con) if r["round"] == closed.round)
    except rounds.RoundError as e:
        return _fail(str(e))
    finally:
        con.close()
    verb = "closed" if closed.created else "already closed (stored snapshot)"
    s = rounds.summary_json(row)
    print(
        f"round {closed.round} (revision {closed.revision}) {verb}: {closed.closed_on}, report year "
        f"{closed.report_year}, units due {s['units_due']}, 合格率 {s['pass_rate']}%, new {s['new']}, "
        f"open {s['open']}, rectified {s['rectified']}, overdue {s['overdue']}, escalated {s['escalated']}"
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Every closed round."""
    from nianbao import rounds

    con = _open(args.db, read_only=True)
    if con is None:
        return _fail(f"{args.db}: no store here yet (尚无数据库)")
    try:
        listed = [rounds.summary_json(r) for r in rounds.list_rounds(con)]
    finally:
        con.close()
    if args.json:
        print(json.dumps(listed, ensure_ascii=False))
        return 0
    for r in listed:
        print(
            f"第{r['round']}期  {r['closed_on']}  {r['report_year']}年度  应报 {r['units_due']}  "
            f"合格率 {r['pass_rate']}%  新发现 {r['new']}  未整改 {r['open']}  已整改 {r['rectified']}  "
            f"逾期 {r['overdue']}  不再适用 {r['not_applicable']}  升级 {r['escalated']}"
        )
    print(f"{len(listed)} round(s)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """One round's units and findings."""
    from nianbao import rounds

    con = _open(args.db, read_only=True)
    if con is None:
        return _fail(f"{args.db}: no store here yet (尚无数据库)")
    try:
        view = rounds.show_round(con, args.round)
    except rounds.RoundError as e:
        return _fail(str(e))
    finally:
        con.close()
    if args.json:
        out = {"summary": rounds.summary_json(view.summary), "units": view.units, "findings": view.findings}
        print(json.dumps(out, ensure_ascii=False, default=str))
        return 0
    s = rounds.summary_json(view.summary)
    print(f"第{s['round']}期 {s['closed_on']} {s['report_year']}年度 合格率 {s['pass_rate']}%")
    for u in view.units:
        print(f"  {u['district'] or '-'}  {u['unit_id']}  {u['score']}  {u['verdict']}  {u['unit_status']}")
    for f in view.findings:
        print(
            f"  [{f['status']}] {f['unit_id']}  {f['rule_id']}  {f['location']}  期限 {f['deadline'] or '-'}"
        )
    return 0


def cmd_bulletin(args: argparse.Namespace) -> int:
    """Write the 通报."""
    from nianbao import rounds
    from nianbao.export import bulletin

    if not str(args.out).lower().endswith(".docx"):
        return _fail(f"{args.out}: the 通报 is written as .docx")
    con = _open(args.db, read_only=True)
    if con is None:
        return _fail(f"{args.db}: no store here yet (尚无数据库)")
    try:
        notice = bulletin.compose(con, args.round)
        bulletin.write_docx(notice, args.out)
        if args.annex:
            bulletin.write_annex_xlsx(notice, args.annex)
    except rounds.RoundError as e:
        return _fail(str(e))
    except OSError as e:
        return _fail(f"{args.out}: cannot write ({e.strerror})")
    finally:
        con.close()
    print(f"{args.out}: 第{notice.round}期通报 ({notice.doc_number})")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """One review action on one finding."""
    from nianbao import review
    from nianbao.audit import cli_actor

    con = _open(args.db)
    if con is None:
        return _fail(f"{args.db}: no store here yet (尚无数据库)")
    actor = args.actor or cli_actor()
    try:
        fp = _full_fingerprint(con, args.fingerprint)
        if args.action == "dismiss":
            review.dismiss(con, fp, actor=actor, reason=args.reason or "")
        elif args.action == "confirm":
            review.confirm(con, fp, actor=actor, reason=args.reason)
        elif args.action == "reopen":
            review.reopen(con, fp, actor=actor, reason=args.reason)
        elif args.action == "extend":
            if args.deadline is None:
                return _fail("extend needs --deadline YYYY-MM-DD")
            review.extend(con, fp, actor=actor, deadline=args.deadline, reason=args.reason or "")
        else:
            data = Path(args.file).read_bytes() if args.file else None
            evidence = review.Evidence(
                note=args.note, url=args.url, file_name=Path(args.file).name if args.file else None, data=data
            )
            review.rectify(con, args.db, fp, actor=actor, evidence=evidence, reason=args.reason)
    except review.ReviewError as e:
        return _fail(str(e))
    except OSError as e:
        return _fail(f"{args.file}: cannot read ({e.strerror})")
    finally:
        con.close()
    print(f"{args.action} {fp[:12]} by {actor}")
    return 0


def _full_fingerprint(con: Any, prefix: str) -> str:
    from nianbao.review import ReviewError

    found = con.execute(
        "select distinct fingerprint from (select fingerprint from report_findings "
        "union all select fingerprint from round_findings) where starts_with(fingerprint, ?)",
        [prefix.strip().lower()],
    ).fetchall()
    if len(found) != 1:
        raise ReviewError(f"{prefix}: {'no' if not found else 'more than one'} finding with this fingerprint")
    return str(found[0][0])

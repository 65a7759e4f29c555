"""Keeping a store whole: fsck (raw files against the documents table), backup and restore.

A store is its DuckDB file plus raw/ beside it (raw files named by sha256, written before the
row that names them is committed, never changed after) and, when there is one, users.yaml.
So a consistent snapshot is: the database as of one read-only transaction, then the raw files
that snapshot names (they exist already and cannot change), each verified against its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from nianbao import store

MANIFEST = "manifest.json"
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")
GRACE_SECONDS = 600  # a raw file this young may belong to an ingest still in flight: never removed
BUSY_SECONDS = 10.0


class MaintenanceError(Exception):
    """A backup, restore or fsck that cannot go ahead (one readable line)."""


@contextmanager
def _read_only(db: Path, wait: float = BUSY_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the store, retried while another process holds its write lock."""
    if not db.is_file():
        raise MaintenanceError(f"no store at {db} (找不到数据库)")
    deadline = time.monotonic() + wait
    delay = 0.1
    while True:
        try:
            con = duckdb.connect(str(db), read_only=True)
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() > deadline:
                raise MaintenanceError(f"store is busy or unreadable: {db} (数据库正忙或无法读取)") from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        yield con
    finally:
        con.close()


def _documents(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    rows = con.execute("select sha256, stored_path from documents").fetchall()
    return {str(sha): (None if p is None else str(p)) for sha, p in rows}


@dataclass
class FsckReport:
    """What fsck found (paths relative to the data directory) and what it removed."""

    documents: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)  # sha256 of documents whose raw file is gone
    corrupt: list[str] = field(default_factory=list)  # sha256 of documents whose raw file hashes otherwise
    orphans: list[str] = field(default_factory=list)  # raw files no document names
    temporary: list[str] = field(default_factory=list)  # leftover half-written files
    recent: list[str] = field(default_factory=list)  # orphans or temporaries too young to remove
    removed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Nothing missing, corrupt or left over (after any repair)."""
        left = set(self.orphans + self.temporary) - set(self.removed)
        return not (self.missing or self.corrupt or left)


def _is_temporary(name: str) -> bool:
    # tempfile.mkstemp's default prefix, used before raw files had their own
    return name.startswith(store.TEMP_PREFIX) or name.startswith("tmp")


def fsck(db: str | Path, *, repair: bool = False, grace: float = GRACE_SECONDS) -> FsckReport:
    """Check every document's raw file (present, hash matches) and find files no document names;
    with `repair`, remove those orphans and leftover temporary files (older than `grace` seconds)."""
    path = Path(db).resolve()
    with _read_only(path) as con:
        docs = _documents(con)
    base = store.data_dir(path)
    report = FsckReport(documents=len(docs))
    expected: set[Path] = set()
    for sha, stored in docs.items():
        raw = store.raw_path(path, sha, stored)
        expected.add(raw.resolve())
        try:
            store.read_raw(path, sha, stored)
            report.ok += 1
        except store.RawFileError as e:
            (report.missing if e.problem == "missing" else report.corrupt).append(sha)
    raw_root = store.raw_dir(path)
    now = time.time()
    if raw_root.is_dir():
        for f in sorted(p for p in raw_root.rglob("*") if p.is_file() or p.is_symlink()):
            if f.resolve() in expected and not _is_temporary(f.name):
                continue
            rel = f.relative_to(base).as_posix()
            (report.temporary if _is_temporary(f.name) else report.orphans).append(rel)
            try:
                young = now - f.lstat().st_mtime < grace
            except FileNotFoundError:
                continue
            if young:
                report.recent.append(rel)
            elif repair:
                f.unlink(missing_ok=True)
                report.removed.append(rel)
        if repair:
            for d in sorted((p for p in raw_root.iterdir() if p.is_dir()), reverse=True):
                if not any(d.iterdir()):
                    d.rmdir()
    return report


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class BackupReport:
    """What a backup wrote."""

    out: Path
    tables: dict[str, int]
    raw_files: int
    missing: list[str]
    corrupt: list[str]


def _copy_database(src: Path, dst: Path) -> dict[str, int]:
    """The whole database (tables, views, macros, sequences) as of one read-only snapshot."""
    con = duckdb.connect(str(dst))
    try:
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            with _read_only(src):  # waits while another process holds the write lock
                pass
            try:
                con.execute("attach ? as snapshot_src (read_only)", [str(src)]).fetchall()
                break
            except duckdb.IOException:
                if time.monotonic() > deadline:
                    raise MaintenanceError(f"store is busy: {src} (数据库正忙，请稍后重试)") from None
                time.sleep(0.1)  # a writer took the store between the check and the attach
        con.execute("begin transaction").fetchall()
        con.execute(f"copy from database snapshot_src to {_catalog(con, dst)}").fetchall()
        con.execute("commit").fetchall()
        con.execute("detach snapshot_src").fetchall()
        con.execute("checkpoint").fetchall()
        return _table_counts(con)
    finally:
        con.close()


def _catalog(con: duckdb.DuckDBPyConnection, db: Path) -> str:
    name = str(con.execute("select current_database()").fetchall()[0][0])
    return '"' + name.replace('"', '""') + '"'


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        str(r[0])
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() order by 1"
        ).fetchall()
    ]
    return {n: int(con.execute(f'select count(*) from "{n}"').fetchall()[0][0]) for n in names}


def backup(db: str | Path, out: str | Path) -> BackupReport:
    """Write a consistent snapshot of the store, its raw files and its users file to `out`: a new
    (or empty) folder, or a .tar / .tar.gz / .tgz file."""
    from nianbao import users  # bcrypt and yaml: loaded only when needed

    src = Path(db).resolve()
    target = Path(out).resolve()
    as_tar = target.name.endswith(TAR_SUFFIXES)
    if as_tar:
        if target.exists():
            raise MaintenanceError(f"{target} exists already (备份文件已存在)")
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".nianbao-backup-", dir=target.parent))
    else:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise MaintenanceError(f"{target} exists and is not an empty folder (备份目录须为空)")
        target.mkdir(parents=True, exist_ok=True)
        work = target
    try:
        tables = _copy_database(src, work / src.name)
        with duckdb.connect(str(work / src.name), read_only=True) as con:
            docs = _documents(con)
        missing: list[str] = []
        corrupt: list[str] = []
        files: dict[str, str] = {}
        for sha, stored in docs.items():
            try:
                data = store.read_raw(src, sha, stored)
            except store.RawFileError as e:
                (missing if e.problem == "missing" else corrupt).append(sha)
                continue
            rel = f"raw/{sha[:2]}/{sha}"
            dest = work / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            files[rel] = sha
        people = users.users_path(src)
        if people.is_file():
            shutil.copy2(people, work / users.FILE_NAME)
            files[users.FILE_NAME] = _sha256(work / users.FILE_NAME)
        manifest = {
            "database": src.name,
            "written_at": datetime.now().isoformat(timespec="seconds"),
            "tables": tables,
            "files": files,
            "missing": missing,
            "corrupt": corrupt,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        if as_tar:
            mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, mode) as tar:  # type: ignore[call-overload]
                for p in sorted(work.rglob("*")):
                    if p.is_file():
                        tar.add(p, arcname=p.relative_to(work).as_posix())
            os.replace(partial, target)
    finally:
        if as_tar:
            shutil.rmtree(work, ignore_errors=True)
    return BackupReport(target, tables, len([f for f in files if f.startswith("raw/")]), missing, corrupt)


@dataclass
class RestoreReport:
    """What a restore brought back."""

    db: Path
    tables: dict[str, int]
    raw_files: int
    users_file: bool


def _unpack(source: Path, into: Path) -> Path:
    """The backup folder: `source` itself, or the tar file unpacked (safely) into `into`."""
    if source.is_dir():
        return source
    if not source.is_file():
        raise MaintenanceError(f"no backup at {source} (找不到备份)")
    try:
        with tarfile.open(source) as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, .. and links out of `into`
    except (tarfile.TarError, OSError) as e:
        raise MaintenanceError(f"{source} is not a readable backup: {e} (备份文件无法读取)") from None
    return into


def restore(source: str | Path, db: str | Path, *, force: bool = False) -> RestoreReport:
    """Bring a backup back as the store at `db` (refused when a store is there, unless `force`).

    Every file is checked against the backup's manifest before anything is replaced; the database
    file is moved into place last, in one rename.
    """
    from nianbao import users

    target = Path(db).resolve()
    if target.exists() and not force:
        raise MaintenanceError(f"a store exists at {target}: pass --force to replace it (数据库已存在)")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".nianbao-restore-", dir=target.parent))
    try:
        folder = _unpack(Path(source).resolve(), scratch / "unpacked")
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            name = str(manifest["database"])
            files = {str(k): str(v) for k, v in manifest["files"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            raise MaintenanceError(f"{source} has no readable {MANIFEST}: not a nianbao backup") from None
        if Path(name).name != name or not (folder / name).is_file():
            raise MaintenanceError(f"{source}: the database file named in {MANIFEST} is missing")
        for rel, sha in files.items():
            p = folder / rel
            if ".." in Path(rel).parts or not p.is_file() or _sha256(p) != sha:
                raise MaintenanceError(f"{source}: {rel} is missing or damaged (备份文件损坏)")
        staged = scratch / target.name
        shutil.copy2(folder / name, staged)
        with duckdb.connect(str(staged), read_only=True) as con:
            tables = _table_counts(con)
        if tables != manifest.get("tables", tables):
            raise MaintenanceError(f"{source}: the database does not match its manifest (备份不完整)")
        raw_root = store.raw_dir(target)
        restored_raw = 0
        for rel, sha in files.items():
            if not rel.startswith("raw/"):
                continue
            dest = raw_root / sha[:2] / sha
            if not (dest.is_file() and _sha256(dest) == sha):
                store.save_raw(target, (folder / rel).read_bytes())
            restored_raw += 1
        people = users.users_path(target)
        has_users = users.FILE_NAME in files
        if has_users and (force or not people.exists()):
            shutil.copy2(folder / users.FILE_NAME, people)
        Path(str(target) + ".wal").unlink(
            missing_ok=True
        )  # the old store's log must not replay onto this one
        os.replace(staged, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return RestoreReport(target, tables, restored_raw, has_users)

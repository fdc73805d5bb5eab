"""Backup and restore of the database, and the proof that a restore is faithful (issue 10 item 7,
docs/operations.md "Backup and restore").

* PostgreSQL: ``pg_dump --format=custom`` to ``<dir>/<timestamp>-<database>.dump``; restored with
  ``pg_restore`` into a database that is created when missing.
* The embedded SQLite database: SQLite's online backup API (consistent while the portal runs) to
  ``<dir>/<timestamp>-<name>.sqlite3``.

Next to every backup a manifest (``….manifest.json``) holds, per table, the number of rows and
an MD5 over its rows in a fixed order (all columns, ascending). ``restore`` computes the same
over the restored database and fails when anything differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - pg_dump/pg_restore with argument lists, never a shell
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

CHUNK = 2000


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    """One database: PostgreSQL (``name`` with connection parameters) or a SQLite file."""

    vendor: str  # "postgresql" | "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> Target:
        parsed = urlparse(url)
        if parsed.scheme in ("postgres", "postgresql", "pgsql"):
            return cls(
                "postgresql",
                unquote(parsed.path.lstrip("/")),
                parsed.hostname or "",
                str(parsed.port or ""),
                unquote(parsed.username or ""),
                unquote(parsed.password or ""),
            )
        if parsed.scheme == "sqlite":
            return cls("sqlite", unquote(parsed.path))
        raise BackupError(f"unsupported database URL scheme: {parsed.scheme!r}")

    @classmethod
    def from_settings(cls, alias: str = "default") -> Target:
        from django.conf import settings

        db = settings.DATABASES[alias]
        if "postgresql" in db["ENGINE"]:
            return cls(
                "postgresql",
                db["NAME"],
                db.get("HOST") or "",
                str(db.get("PORT") or ""),
                db.get("USER") or "",
                db.get("PASSWORD") or "",
            )
        return cls("sqlite", str(db["NAME"]))

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
        return env

    def connect(self, database: str | None = None) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.name)
        import psycopg

        return psycopg.connect(
            dbname=database or self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            autocommit=True,
        )


def _tool(name: str) -> str:
    """pg_dump/pg_restore: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bindir / name).exists():
            return str(bindir / name)
    raise BackupError(f"{name} not found: install postgresql-client")


# --- Content digest ---------------------------------------------------------------------------


def tables(conn: Any, vendor: str) -> list[str]:
    cur = conn.cursor()
    if vendor == "sqlite":
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    return sorted(row[0] for row in cur.fetchall())


def _value(value: Any) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return repr(value)


def digest(conn: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Per table: rows and the MD5 of its rows ordered by every column (issue 10 item 7)."""
    out: dict[str, dict[str, Any]] = {}
    quote = '"{}"'.format
    for table in tables(conn, vendor):
        cur = conn.cursor()
        cur.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608  # nosec B608 - catalog names
        width = len(cur.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cur.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608  # nosec B608
        md5 = hashlib.md5(usedforsecurity=False)
        rows = 0
        while batch := cur.fetchmany(CHUNK):
            for row in batch:
                md5.update(("\x1f".join(_value(v) for v in row) + "\x1e").encode())
                rows += 1
        out[table] = {"rows": rows, "md5": md5.hexdigest()}
    return out


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table}: missing after restore")
        elif table not in expected:
            problems.append(f"{table}: not in the backup")
        elif expected[table] != actual[table]:
            problems.append(f"{table}: expected {expected[table]}, restored {actual[table]}")
    return problems


# --- Backup -----------------------------------------------------------------------------------


def backup(source: Target, directory: Path, *, raw_connection: Any = None) -> Path:
    """Write the backup and its manifest; returns the backup's path. ``raw_connection``: an open
    DB-API connection to back up SQLite from (an in-memory test database)."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = Path(source.name).stem if source.vendor == "sqlite" else source.name
    if source.vendor == "postgresql":
        path = directory / f"{stamp}-{base}.dump"
        # The dump and the manifest read one snapshot, so writes during the backup agree.
        conn = source.connect()
        try:
            conn.autocommit = False
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            subprocess.run(  # noqa: S603  # nosec B603 - fixed tool, argument list
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                    source.name,
                ],
                env=source.env(),
                check=True,
            )
            manifest = digest(conn, "postgresql")
            conn.rollback()
        finally:
            conn.close()
    else:
        path = directory / f"{stamp}-{base or 'memory'}.sqlite3"
        src = raw_connection or source.connect()
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
            manifest = digest(dst, "sqlite")
        finally:
            dst.close()
            if raw_connection is None:
                src.close()
    manifest_path = Path(f"{path}.manifest.json")
    manifest_path.write_text(
        json.dumps(
            {"vendor": source.vendor, "created": stamp, "tables": manifest},
            indent=1,
            sort_keys=True,
        )
    )
    return path


# --- Restore ----------------------------------------------------------------------------------


def _is_empty(target: Target) -> bool:
    if target.vendor == "sqlite":
        if not Path(target.name).exists():
            return True
        conn = target.connect()
        try:
            return not tables(conn, "sqlite")
        finally:
            conn.close()
    try:
        conn = target.connect()
    except Exception as exc:  # the database does not exist yet
        if "does not exist" in str(exc):
            _create_database(target)
            return True
        raise
    try:
        return not tables(conn, "postgresql")
    finally:
        conn.close()


def _create_database(target: Target) -> None:
    from psycopg import sql

    conn = target.connect("postgres")
    try:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    finally:
        conn.close()


def restore(path: Path, target: Target, *, force: bool = False) -> list[str]:
    """Restore ``path`` into ``target``; refuses a non-empty target without ``force``. Returns
    the differences from the manifest (empty: faithful); no manifest → no check (says so)."""
    if not path.exists():
        raise BackupError(f"{path}: no such backup")
    kind = "postgresql" if path.suffix == ".dump" else "sqlite"
    if kind != target.vendor:
        raise BackupError(f"{path.name} is a {kind} backup; the target is {target.vendor}")
    if not _is_empty(target) and not force:
        raise BackupError(
            f"the target database {target.name!r} is not empty: pass --force to overwrite it"
        )
    if kind == "postgresql":
        args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={target.name}"]
        if force:
            args += ["--clean", "--if-exists"]
        subprocess.run([*args, str(path)], env=target.env(), check=True)  # noqa: S603  # nosec B603
    else:
        src = sqlite3.connect(path)
        dst = sqlite3.connect(target.name)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    manifest_path = Path(f"{path}.manifest.json")
    if not manifest_path.exists():
        return ["no manifest next to the backup: content not verified"]
    expected = json.loads(manifest_path.read_text())["tables"]
    conn = target.connect()
    try:
        return differences(expected, digest(conn, target.vendor))
    finally:
        conn.close()

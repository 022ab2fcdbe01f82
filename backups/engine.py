"""Backups and restores of the whole database (goal S11; docs/operations.md).

SQLite: the online backup API (sqlite3.Connection.backup) copies a consistent snapshot while
the application keeps running (WAL: writers are not blocked); the copy is integrity-checked
before it is kept, optionally gzipped. Restoring copies the backup into the live database
through the same API, so open connections see the restored data and no file is swapped under
them. PostgreSQL: pg_dump's custom format (-Fc) and pg_restore --clean --if-exists in one
transaction, into the database of DATABASE_URL.

Backup files hold every member's personal data: they are written 0600 in a 0700 directory.
"""

import datetime as dt
import gzip
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

# chibo-sqlite-20260131-230000.sqlite3(.gz) / chibo-postgresql-20260131-230000.dump
NAME = re.compile(r"^chibo-(sqlite|postgresql)-\d{8}-\d{6}(\.sqlite3|\.sqlite3\.gz|\.dump)$")
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def vendor_of(using: str = "default") -> str:
    return connections[using].vendor


def backup(
    using: str = "default",
    out: str | Path | None = None,
    *,
    compress: bool = False,
    keep: int | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Back up database `using` to `out` (a file, or a directory for a timestamped name;
    default settings.CHIBO_BACKUP_DIR); with `keep`, delete all but the newest `keep`
    timestamped backups of that directory. Returns the path written."""
    vendor = vendor_of(using)
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    if compress and vendor != "sqlite":
        raise BackupError("--gzip is for SQLite: pg_dump's custom format is already compressed.")
    ext = ".dump" if vendor == "postgresql" else ".sqlite3.gz" if compress else ".sqlite3"
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    name = f"chibo-{vendor}-{stamp}{ext}"
    out = Path(out) if out else Path(settings.CHIBO_BACKUP_DIR)
    dest = out / name if out.is_dir() or str(out).endswith(os.sep) or not out.suffix else out
    if dest.exists():
        raise BackupError(f"{dest} exists already: choose another name.")
    private_dir(dest.parent)
    if vendor == "sqlite":
        with sqlite_connection(using) as source:
            sqlite_backup(source, dest, compress=compress)
    else:
        pg_backup(settings.DATABASES[using], dest)
    if keep:
        rotate(dest.parent, keep)
    return dest


def restore(path: str | Path, using: str = "default") -> dict[str, int]:
    """Replace the whole content of database `using` by the backup at `path`. Returns the row
    count of every table of the restored database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    kind = file_kind(path)
    vendor = vendor_of(using)
    if kind != vendor:
        raise BackupError(f"{path} is a {kind} backup, but the database is {vendor}.")
    conn = connections[using]
    conn.close()  # hold no lock and keep no stale page cache while the content is replaced
    if vendor == "sqlite":
        with sqlite_connection(using) as target:
            sqlite_restore(path, target)
            return sqlite_counts(target)
    pg_restore(settings.DATABASES[using], path)
    return pg_counts(using)


def file_kind(path: Path) -> str:
    head = path.open("rb").read(16)
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC) or head.startswith(GZIP_MAGIC):
        return "sqlite"
    raise BackupError(f"{path} is not a Chibo backup (neither SQLite nor pg_dump -Fc).")


def private_dir(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` timestamped backups in `directory` (other files are
    never touched). The timestamp in the name orders them."""
    if keep < 1:
        raise BackupError("--keep must be at least 1.")
    ours = sorted(p for p in directory.iterdir() if p.is_file() and NAME.match(p.name))
    gone = ours[:-keep]
    for p in gone:
        p.unlink()
    return gone


# SQLite ---------------------------------------------------------------------------------


@contextmanager
def sqlite_connection(using: str = "default"):
    """A connection of its own to the database file (an in-memory database, as in tests, can
    only be reached through Django's connection)."""
    django_conn = connections[using]
    if django_conn.is_in_memory_db():
        django_conn.ensure_connection()
        yield django_conn.connection
        return
    conn = sqlite3.connect(django_conn.settings_dict["NAME"], timeout=20, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def integrity(conn: sqlite3.Connection) -> str:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(r[0] for r in rows)


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    # Table names come from the database's own catalogue.
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


BUSY_GIVE_UP_SECONDS = 120


def copy_pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """sqlite3's backup, giving up when the database stays locked (Python's own loop would
    retry forever). One step (pages=-1): a consistent snapshot under a read lock; in WAL mode
    the application's writers carry on meanwhile."""
    for conn in (source, target):
        if conn.in_transaction:
            raise BackupError("A connection inside a transaction cannot take part in a backup.")
    sleep, waited = 0.25, [0.0]

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            waited[0] += sleep
            if waited[0] > BUSY_GIVE_UP_SECONDS:
                raise BackupError(f"The database stayed locked for {BUSY_GIVE_UP_SECONDS} s.")

    source.backup(target, progress=progress, sleep=sleep)


def sqlite_backup(source: sqlite3.Connection, dest: Path, *, compress: bool = False) -> Path:
    """Copy `source` into the file `dest` (gzipped when `compress`), checked before it is kept."""
    part = dest.with_name(dest.name + (".raw.part" if compress else ".part"))
    part.unlink(missing_ok=True)
    part.touch(mode=0o600)
    target = sqlite3.connect(part)
    try:
        copy_pages(source, target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check = integrity(target)
    finally:
        target.close()
    if check != "ok":
        part.unlink()
        raise BackupError(f"The copy failed its integrity check: {check}")
    if compress:
        packed = dest.with_name(dest.name + ".part")
        packed.unlink(missing_ok=True)
        packed.touch(mode=0o600)
        with part.open("rb") as raw, gzip.open(packed, "wb") as gz:
            shutil.copyfileobj(raw, gz, 1024 * 1024)
        part.unlink()
        part = packed
    part.replace(dest)
    return dest


@contextmanager
def plain_sqlite(path: Path):
    """The backup as a plain SQLite file (decompressed into a private temporary file)."""
    if path.open("rb").read(2) != GZIP_MAGIC:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="chibo-restore-") as tmp:
        plain = Path(tmp) / "backup.sqlite3"
        with gzip.open(path, "rb") as gz, plain.open("wb") as raw:
            shutil.copyfileobj(gz, raw, 1024 * 1024)
        yield plain


def sqlite_restore(path: Path, target: sqlite3.Connection) -> None:
    """Copy the backup at `path` over the database of `target`, after checking it."""
    with plain_sqlite(path) as plain:
        source = sqlite3.connect(f"{plain.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = integrity(source)
            if check != "ok":
                raise BackupError(f"{path} failed its integrity check: {check}")
            if not source.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone():
                raise BackupError(f"{path} is not a Chibo database (no django_migrations).")
            # The destination is locked for the copy and replaced page by page, atomically.
            copy_pages(source, target)
        finally:
            source.close()
    check = integrity(target)
    if check != "ok":
        raise BackupError(f"The restored database failed its integrity check: {check}")


# PostgreSQL -----------------------------------------------------------------------------


def tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client programs of the "
            "server's major version (Debian: apt-get install postgresql-client)."
        )
    return path


def pg_env(db: dict) -> dict:
    """libpq settings of a Django database, as environment variables (the password never
    appears on a command line)."""
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[var] = db["OPTIONS"][option]
    return env


def run(args: list[str], db: dict) -> None:
    r = subprocess.run(args, env=pg_env(db), capture_output=True, text=True)  # noqa: S603
    if r.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({r.returncode}): {r.stderr.strip()}")


def pg_backup(db: dict, dest: Path) -> Path:
    pg_dump = tool("pg_dump")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    part.touch(mode=0o600)
    try:
        run([pg_dump, "--format=custom", f"--file={part}", db["NAME"]], db)
    except BackupError:
        part.unlink(missing_ok=True)
        raise
    part.replace(dest)
    return dest


def pg_restore(db: dict, path: Path) -> None:
    """Drop and re-create every object of the backup in db["NAME"], in one transaction: a
    failure leaves the database as it was."""
    run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(path),
        ],
        db,
    )


def pg_counts(using: str = "default") -> dict[str, int]:
    with connections[using].cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        tables = [r[0] for r in cur.fetchall()]
        counts = {}
        for t in tables:
            cur.execute(f'SELECT COUNT(*) FROM "{t}"')  # noqa: S608 (names from pg_tables)
            counts[t] = cur.fetchone()[0]
    return counts

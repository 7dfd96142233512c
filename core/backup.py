"""Backups of the whole service, the database and the files under MEDIA_ROOT, in one file; restores into an
empty database.

A Relay backup is an uncompressed tar archive (pg_dump's custom format is compressed already; the media are
mostly PDFs) of, in this order:

    database.sqlite3 | database.pgdump   SQLite's online-backup copy, or `pg_dump --format=custom`
    media/<path>                         every file under MEDIA_ROOT: wipe evidence, certificates, label sheets
    relay-backup.json                    what it is (format, database kind, when, the migrations applied) and
                                         the SHA-256 of every member before it

The manifest comes last so that it can carry the checksums of what went before; a backup cut short has
none and is refused. Nothing is written in place: the archive is built beside its destination under a
temporary name and renamed once complete. A restore checks everything first, stages the database and the
files beside where they go, and only then swaps them in; on PostgreSQL `pg_restore` runs as one transaction,
and if it fails the files swapped in are taken out again.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.db import DatabaseError
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core.errors import DomainError

FORMAT = "relay-backup"
VERSION = 1
MANIFEST = "relay-backup.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media"
CHUNK = 1024 * 1024
MANIFEST_MAX = 64 * 1024 * 1024  # about 500,000 media files' names and checksums
# How a PostgreSQL connection's settings reach pg_dump and pg_restore: libpq's environment variables, so
# that the password never appears on a command line (where `ps` would show it).
LIBPQ_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str  # "SQLite" or "PostgreSQL"
    media_files: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    database: str
    tables: int
    media_files: int
    migrations_to_apply: int  # migrations this Relay has that the backup's database had not had yet


def backup_create(*, out: Path, connection: Any, media_root: Path) -> BackupSummary:
    """Write a backup of `connection`'s database and every file under `media_root` to `out`.

    Safe while the service runs: SQLite's online backup API copies one consistent snapshot, the WAL's
    committed pages included, while writers go on; pg_dump reads in one snapshot too. Written under a
    temporary name beside `out` (readable by its owner only: it holds personal data), renamed when complete.
    """
    kind = _kind(connection)
    out = Path(out)
    if out.is_dir():
        raise DomainError("bad_destination", f"{out} is a folder: give the backup file's name, e.g. {out}/relay.backup")
    if not out.parent.is_dir():
        raise DomainError("bad_destination", f"Cannot write {out}: the folder {out.parent} does not exist")
    if out.resolve().is_relative_to(Path(media_root).resolve()):
        raise DomainError("bad_destination", f"Cannot write {out}: it is inside MEDIA_ROOT, which the backup holds")
    try:
        work = Path(tempfile.mkdtemp(dir=out.parent, prefix=".relay-backup-"))
    except OSError as error:
        raise DomainError("bad_destination", f"Cannot write in {out.parent}: {error.strerror}") from None
    try:
        dump = work / DATABASE_MEMBER[kind]
        DUMPERS[kind](connection, dump)
        migrations = sorted(f"{app}.{name}" for app, name in MIGRATIONS_OF[kind](connection, dump))
        partial = work / "backup.partial"
        media_files = _write_archive(partial, kind=kind, dump=dump, media_root=Path(media_root), migrations=migrations)
        partial.chmod(0o600)
        os.replace(partial, out)
    except OSError as error:
        raise DomainError("write_failed", f"Cannot write {out}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupSummary(path=out, database=KIND_NAMES[kind], media_files=media_files, size=out.stat().st_size)


def backup_restore(*, path: Path, connection: Any, media_root: Path) -> RestoreSummary:
    """Restore the backup at `path` into `connection`'s database, which must be empty, and its files into
    `media_root`, which must hold none. All or nothing: refused before anything is written if the file is not
    a complete Relay backup of this kind of database, or was made by a newer Relay."""
    kind = _kind(connection)
    path, media_root = Path(path), Path(media_root)
    with _open_backup(path) as archive:
        manifest = _manifest(archive, path, kind)
        migrations_to_apply = _check_migrations(manifest, path)
        _refuse_unless_empty(kind, connection, media_root)
        with_media = len(manifest["members"]) > 1
        with _staging(kind, connection, media_root, with_media) as (staged_database, staged_media):
            media_files = _extract(archive, manifest, path, kind, staged_database, staged_media)
            had_media_root = media_root.exists()
            if media_files:
                _swap_media_in(staged_media, media_root)
            try:
                LOADERS[kind](connection, staged_database)
            except BaseException:
                if media_files:  # take the files out again: MEDIA_ROOT as it was, empty
                    shutil.rmtree(media_root, ignore_errors=True)
                    if had_media_root:
                        media_root.mkdir()
                raise
    tables = TABLES_OF[kind](connection)
    return RestoreSummary(
        database=KIND_NAMES[kind], tables=tables, media_files=media_files, migrations_to_apply=migrations_to_apply
    )


# The database ---------------------------------------------------------------------------------------------


def _kind(connection) -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise DomainError("unsupported_database", f"Backups cover SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _sqlite_migrations(connection, dump: Path) -> set[tuple[str, str]]:
    """The migrations applied, read from the snapshot itself."""
    with closing(sqlite3.connect(dump)) as copy:
        try:
            return set(copy.execute("SELECT app, name FROM django_migrations"))
        except sqlite3.DatabaseError:
            return set()  # a database never migrated: nothing applied


def _pg_migrations(connection, dump: Path) -> set[tuple[str, str]]:
    try:
        return set(MigrationRecorder(connection).applied_migrations())
    except DatabaseError as error:
        raise DomainError("no_database", f"Cannot read the database: {_first_line(error)}") from None


def _sqlite_path(connection) -> Path:
    return Path(connection.settings_dict["NAME"])


def _sqlite_dump(connection, dump: Path) -> None:
    source_path = _sqlite_path(connection)
    if not source_path.is_file():
        raise DomainError("no_database", f"There is no SQLite database at {source_path}")
    try:
        with closing(sqlite3.connect(source_path, timeout=20)) as source, closing(sqlite3.connect(dump)) as copy:
            # One step (pages=-1): one read transaction over the file and its WAL, so one consistent snapshot
            # of everything committed; in WAL mode the service's writers carry on meanwhile.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
    except sqlite3.DatabaseError as error:
        raise DomainError("backup_failed", f"Cannot back up {source_path}: {error}") from None


def _sqlite_load(connection, staged: Path) -> None:
    target = _sqlite_path(connection)
    connection.close()  # no handle left on the file being replaced
    # The empty database's own WAL would be replayed onto the restored file: it goes first.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)


def _pg_dump(connection, dump: Path) -> None:
    _run_pg_tool("pg_dump", ["--format=custom", f"--file={dump}"], connection)


def _pg_load(connection, staged: Path) -> None:
    name = connection.settings_dict["NAME"]
    args = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={name}"]
    _run_pg_tool("pg_restore", [*args, str(staged)], connection)


def _run_pg_tool(tool: str, args: list[str], connection) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise DomainError(
            "no_pg_tools",
            f"{tool} is not on PATH: install the PostgreSQL client tools of the server's version "
            "(Debian and Ubuntu: apt-get install postgresql-client)",
        )
    try:
        done = subprocess.run(  # noqa: S603 - a fixed tool and arguments; the settings travel in the environment
            [executable, "--no-password", *args],
            env=_libpq_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise DomainError("pg_tool_failed", f"Cannot run {tool}: {error.strerror}") from None
    if done.returncode != 0:
        raise DomainError("pg_tool_failed", f"{tool} failed: {_first_line(done.stderr) or f'exit {done.returncode}'}")


def _libpq_env(settings_dict: dict) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["PGDATABASE"] = str(settings_dict["NAME"])
    for setting, variable in LIBPQ_ENV.items():
        if settings_dict.get(setting):
            env[variable] = str(settings_dict[setting])
    for option, variable in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _first_line(text: object) -> str:
    """The first line that says something (pg_restore's start with "pg_restore: error: ...")."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")


DUMPERS = {"sqlite": _sqlite_dump, "postgresql": _pg_dump}
MIGRATIONS_OF = {"sqlite": _sqlite_migrations, "postgresql": _pg_migrations}
LOADERS = {"sqlite": _sqlite_load, "postgresql": _pg_load}


def _refuse_unless_empty(kind: str, connection, media_root: Path) -> None:
    tables = TABLES_OF[kind](connection)
    if tables:
        raise DomainError(
            "not_empty",
            f"The database {connection.settings_dict['NAME']} already has {tables} tables: "
            "restore only into an empty database",
        )
    if media_root.exists() and any(p.is_file() or p.is_symlink() for p in media_root.rglob("*")):
        raise DomainError("not_empty", f"MEDIA_ROOT ({media_root}) already holds files: restore only into an empty one")


def _sqlite_tables(connection) -> int:
    """How many tables the SQLite file has; none if there is no file yet (which is not created here)."""
    path = _sqlite_path(connection)
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as database:
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            return database.execute(query).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise DomainError("no_database", f"Cannot open {path} to restore into: {error}") from None


def _pg_tables(connection) -> int:
    try:
        return len(connection.introspection.table_names())
    except DatabaseError as error:
        raise DomainError("no_database", f"Cannot open the database to restore into: {_first_line(error)}") from None


TABLES_OF = {"sqlite": _sqlite_tables, "postgresql": _pg_tables}


# The archive -----------------------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """Reads through to `source`, hashing what passes, so each file is read once to archive and checksum it."""

    def __init__(self, source: IO[bytes], digest):
        self.source, self.digest = source, digest

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str) -> str:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        archive.addfile(info, _Hashing(source, digest))
    return digest.hexdigest()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _write_archive(partial: Path, *, kind: str, dump: Path, media_root: Path, migrations: list[str]) -> int:
    members: dict[str, str] = {}
    files = _media_files(media_root)
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
        members[DATABASE_MEMBER[kind]] = _add(archive, dump, DATABASE_MEMBER[kind])
        for file in files:
            name = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
            members[name] = _add(archive, file, name)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "database": kind,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "migrations": migrations,
            "members": members,
        }
        data = json.dumps(manifest, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
        archive.addfile(info, io.BytesIO(data))
    return len(files)


@contextmanager
def _open_backup(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise DomainError("not_a_backup", f"Cannot read {path}: no such file")
    try:
        with path.open("rb") as raw:
            start = raw.read(16)
    except OSError as error:
        raise DomainError("not_a_backup", f"Cannot read {path}: {error.strerror}") from None
    if start.startswith((b"PGDMP", b"SQLite format 3")):
        raise DomainError(
            "not_a_backup", f"{path} is a bare database file, not a Relay backup: restore what manage.py backup made"
        )
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed below, after the caller is done
    except (tarfile.TarError, OSError):
        raise DomainError("not_a_backup", f"{path} is not a Relay backup (one made by manage.py backup)") from None
    with archive:
        yield archive


def _manifest(archive: tarfile.TarFile, path: Path, kind: str) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        member = None
    except tarfile.TarError:
        member = None  # cut short in the middle of a member
    if member is None:
        raise DomainError("incomplete_backup", f"{path} is not a complete Relay backup: no manifest (cut short?)")
    try:
        source = archive.extractfile(member)
        manifest = json.loads(source.read()) if source and member.size <= MANIFEST_MAX else None
    except (tarfile.TarError, OSError, ValueError):
        manifest = None
    if not _well_formed(manifest):
        raise DomainError("not_a_backup", f"{path} is not a Relay backup: its manifest is not one Relay wrote")
    assert manifest is not None
    if manifest["version"] > VERSION:
        raise DomainError("newer_backup", f"{path} was made by a newer Relay (backup format {manifest['version']})")
    if manifest["database"] != kind:
        raise DomainError(
            "wrong_kind",
            f"{path} is a backup of a {KIND_NAMES[manifest['database']]} database; "
            f"this Relay uses {KIND_NAMES[kind]} (DATABASE_URL)",
        )
    return manifest


def _well_formed(manifest: object) -> bool:
    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("version"), int)
        and manifest.get("database") in DATABASE_MEMBER
        and isinstance(manifest.get("migrations"), list)
        and all(isinstance(m, str) for m in manifest["migrations"])
        and isinstance(manifest.get("members"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in manifest["members"].items())
        and DATABASE_MEMBER[manifest["database"]] in manifest["members"]
    )


def _check_migrations(manifest: dict, path: Path) -> int:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise DomainError(
            "newer_backup",
            f"{path} was made by a newer Relay ({len(unknown)} migrations this one lacks, such as {unknown[0]}): "
            "upgrade Relay, then restore",
        )
    return len(known - set(manifest["migrations"]))


@contextmanager
def _staging(kind: str, connection, media_root: Path, with_media: bool) -> Iterator[tuple[Path, Path]]:
    """Where the restore's database and files are written first: beside where they go, so that swapping them
    in is a rename; all of it removed afterwards, whatever happened."""
    database_dir = _sqlite_path(connection).parent if kind == "sqlite" else None
    if database_dir is not None and not database_dir.is_dir():
        raise DomainError("no_database", f"Cannot restore into {_sqlite_path(connection)}: no such folder")
    made: list[Path] = []
    try:
        made.append(Path(tempfile.mkdtemp(dir=database_dir, prefix=".relay-restore-")))
        if with_media:
            media_root.parent.mkdir(parents=True, exist_ok=True)
            made.append(Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".relay-restore-media-")))
        yield made[0] / DATABASE_MEMBER[kind], made[-1]
    except OSError as error:
        raise DomainError("write_failed", f"Cannot stage the restore: {error.strerror or error}") from None
    finally:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)


def _extract(archive, manifest: dict, path: Path, kind: str, database: Path, media: Path) -> int:
    """Write every member to its staging place, checking it against the manifest's checksum."""
    expected = dict(manifest["members"])
    media_files = 0
    damaged = DomainError("damaged_backup", f"{path} is damaged: its contents do not match its manifest")
    try:
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise damaged
            if member.name == DATABASE_MEMBER[kind]:
                target = database
            else:
                target = media / _media_path(member.name, damaged)
                target.parent.mkdir(parents=True, exist_ok=True)
                media_files += 1
            if _copy_out(archive, member, target) != expected.pop(member.name):
                raise damaged
    except (tarfile.TarError, EOFError):
        raise damaged from None
    if expected:
        raise damaged
    return media_files


def _media_path(name: str, damaged: DomainError) -> PurePosixPath:
    parts = PurePosixPath(name).parts
    if len(parts) < 2 or parts[0] != MEDIA or any(part in ("", ".", "..") for part in parts):
        raise damaged
    return PurePosixPath(*parts[1:])


def _copy_out(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    source = archive.extractfile(member)
    assert source is not None  # a regular file, checked by the caller
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _swap_media_in(staged: Path, media_root: Path) -> None:
    mode = media_root.stat().st_mode & 0o777 if media_root.exists() else 0o755
    if media_root.exists():
        shutil.rmtree(media_root)  # folders only: checked to hold no file
    staged.chmod(mode)  # mkdtemp made it private
    os.replace(staged, media_root)

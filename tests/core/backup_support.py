"""For the backup tests: what a database holds, read straight through its driver, an empty database to
restore into, and backups rewritten the ways a real one goes wrong."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connections

MANIFEST = "relay-backup.json"


@dataclass
class Database:
    """A database to restore into: its Django settings and its DATABASE_URL."""

    settings_dict: dict
    url: str

    @property
    def name(self) -> str:
        return self.settings_dict["NAME"]

    def wrapper(self):
        """A Django connection to it, of the same kind as the suite's."""
        return type(connections["default"])(self.settings_dict, alias="restore_target")


def database_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def pg_connect(settings_dict: dict, dbname: str | None = None):
    import psycopg

    return psycopg.connect(
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        dbname=dbname or settings_dict["NAME"],
        autocommit=True,
    )


def snapshot(settings_dict: dict) -> dict:
    """Every table's rows, sorted; the schema's indexes, constraints and triggers; PostgreSQL's sequences too."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(settings_dict["NAME"])) as db:
            tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            schema = sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type != 'table'"))
            return {
                "rows": {t: sorted(db.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables},  # noqa: S608
                "schema": schema,
            }
    with pg_connect(settings_dict) as db:
        query = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        tables = [t for (t,) in db.execute(query)]
        return {
            "rows": {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables},  # noqa: S608
            # By name and kind: PostgreSQL writes a CHECK or a partial index's condition back differently once
            # it has parsed it again, meaning the same.
            "indexes": sorted(db.execute("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'")),
            "constraints": sorted(
                db.execute(
                    "SELECT conrelid::regclass::text, conname, contype FROM pg_constraint c "
                    "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'"
                )
            ),
            "triggers": sorted(
                db.execute("SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal")
            ),
            "sequences": sorted(
                db.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            ),
        }


def table_count(settings_dict: dict) -> int:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        if not Path(settings_dict["NAME"]).exists():
            return 0
        with closing(sqlite3.connect(settings_dict["NAME"])) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    with pg_connect(settings_dict) as db:
        query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        return db.execute(query).fetchone()[0]


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manage(*args, env: dict, timeout: int = 180) -> subprocess.CompletedProcess:
    """`manage.py` as an operator runs it: a process of its own, settings from the environment."""
    full_env = {
        **os.environ,
        "SECRET_KEY": "backup-tests",
        "CLIENT_REFERENCE_KEY": "c" * 40,
        "DEBUG": "0",
        "EMAIL_BACKEND": "console",
        **env,
    }
    audit_key = getattr(settings, "AUDIT_KEY", None)
    if audit_key and "AUDIT_KEY" not in env:
        full_env["AUDIT_KEY"] = audit_key if isinstance(audit_key, str) else audit_key.decode()
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *map(str, args)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def rewrite(
    backup: Path, out: Path, *, manifest=None, member=None, drop_manifest: bool = False, fix_checksums: bool = False
) -> Path:
    """A copy of `backup` with its manifest changed by `manifest(dict)`, a member's bytes by
    `member(name, data) -> data` (the manifest's checksums then updated too if `fix_checksums`), or its
    manifest left off (as a copy cut short would)."""
    checksums = {}
    with tarfile.open(backup) as source, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == MANIFEST:
                if drop_manifest:
                    continue
                content = json.loads(data)
                if fix_checksums:
                    content["members"].update(checksums)
                data = json.dumps(manifest(content) if manifest else content).encode()
            elif member:
                data = member(info.name, data)
                checksums[info.name] = hashlib.sha256(data).hexdigest()
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out


def read_manifest(backup: Path) -> dict:
    with tarfile.open(backup) as archive:
        return json.loads(archive.extractfile(MANIFEST).read())


def database_member(backup: Path, into: Path) -> Path:
    with tarfile.open(backup) as archive:
        name = next(n for n in archive.getnames() if n.startswith("database."))
        into.write_bytes(archive.extractfile(name).read())
    return into

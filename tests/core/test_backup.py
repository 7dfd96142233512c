"""manage.py backup and restore: a backup of a database with real content restored into an empty one holds
every row (and its custody log still verifies), on whichever database the suite runs on; every bad input
is refused in one line and writes nothing."""

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import backup_restore
from core.errors import DomainError
from lending.models import Loan
from reuse.models import CustodyEvent, Evidence, SanitisationRecord
from tests.core.backup_support import (
    Database,
    database_member,
    database_url,
    files_under,
    manage,
    pg_connect,
    read_manifest,
    rewrite,
    snapshot,
    table_count,
)
from tests.factories import SiteFactory

VOSTRO_LOG = Path(__file__).resolve().parents[1] / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'")
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'")


@pytest.fixture
def demo(transactional_db, media_root):
    """Committed demo data (another process reads the backup): devices with custody chains, verified wipes,
    loans with drawn signatures, certificates in MEDIA_ROOT, and a wipe tool's log kept as evidence."""
    call_command("seed_demo", devices=60, borrowers=10, requests=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("import_wipe_log", str(VOSTRO_LOG), "--operator", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert CustodyEvent.objects.count() > 40
    assert SanitisationRecord.objects.exists() and Evidence.objects.exists()
    assert Loan.objects.filter(signature_png__isnull=False).exists()
    assert any(media_root.rglob("*.pdf")) and any((media_root / "evidence").rglob("*"))
    return media_root


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the suite's kind, dropped afterwards."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        settings_dict = {**source, "NAME": str(tmp_path / "restored" / "relay.sqlite3")}
        Path(settings_dict["NAME"]).parent.mkdir()
        yield Database(settings_dict, database_url(settings_dict))
        return
    settings_dict = {**source, "NAME": f"{source['NAME']}_restored"}
    with pg_connect(source, dbname="postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    yield Database(settings_dict, database_url(settings_dict))
    with pg_connect(source, dbname="postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def make_backup(path: Path) -> Path:
    call_command("backup", "--out", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return path


@pytest.fixture
def backup(db, media_root, tmp_path):
    """A backup of the suite's database as migrations leave it (what a test adds is not committed, so another
    connection does not see it) and of one evidence file."""
    (media_root / "evidence" / "2026" / "01").mkdir(parents=True)
    (media_root / "evidence" / "2026" / "01" / "wipe.log").write_bytes(b"nwipe: all passes verified\n")
    return make_backup(tmp_path / "relay.backup")


def restore_into(database: Database, path: Path, media_root: Path):
    """The library call behind `manage.py restore`, into `database` rather than the suite's own."""
    target = database.wrapper()
    try:
        return backup_restore(path=path, connection=target, media_root=media_root)
    finally:
        target.close()


# What a restore brings back ---------------------------------------------------------------------------------


def test_restored_copy_has_every_row_and_file_and_its_custody_log_verifies(demo, empty_database, tmp_path):
    backup = make_backup(tmp_path / "relay.backup")
    restored_media = tmp_path / "restored-media"
    env = {"DATABASE_URL": empty_database.url, "MEDIA_ROOT": str(restored_media)}

    done = manage("restore", backup, env=env)

    assert done.returncode == 0, done.stderr
    assert "Restored the" in done.stdout and "Traceback" not in done.stderr
    original, restored = snapshot(connection.settings_dict), snapshot(empty_database.settings_dict)
    assert restored["rows"]["reuse_custodyevent"] and restored["rows"]["lending_loan"]
    assert restored == original
    assert files_under(restored_media) == files_under(demo)
    audit = manage("verify_audit", env=env)
    assert audit.returncode == 0, audit.stderr
    assert "custody events check out" in audit.stdout


def test_backup_file_is_private_and_lists_every_member_with_its_checksum(backup, media_root, tmp_path):
    manifest = read_manifest(backup)
    assert backup.stat().st_mode & 0o777 == 0o600  # it holds personal data
    assert manifest["format"] == "relay-backup" and manifest["database"] == connection.vendor
    assert "reuse.0001_initial" in manifest["migrations"]
    log = (media_root / "evidence" / "2026" / "01" / "wipe.log").read_bytes()
    database = database_member(backup, tmp_path / "copy").read_bytes()
    assert manifest["members"] == {
        f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}": hashlib.sha256(database).hexdigest(),
        "media/evidence/2026/01/wipe.log": hashlib.sha256(log).hexdigest(),
    }


@on_sqlite
def test_sqlite_backup_takes_what_is_committed_in_the_wal_while_a_writer_holds_the_lock(transactional_db, tmp_path):
    """The service keeps running: committed pages still only in the WAL are in the backup, a write in
    progress is not, and the backup neither waits for the writer nor fails."""
    database = Path(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # keep the committed pages in the WAL, out of the file
    try:
        SiteFactory(code="WALONLY", name="Only In The Wal")
        assert b"Only In The Wal" in Path(f"{database}-wal").read_bytes()
        assert b"Only In The Wal" not in database.read_bytes()
        with closing(sqlite3.connect(database, isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE reuse_site SET name = 'Uncommitted' WHERE code = 'WALONLY'")
            call_command("backup", "--out", str(tmp_path / "live.backup"), stdout=open("/dev/null", "w"))  # noqa: SIM115
            writer.execute("ROLLBACK")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint=1000")
    copy = database_member(tmp_path / "live.backup", tmp_path / "copy.sqlite3")
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT name FROM reuse_site WHERE code = 'WALONLY'").fetchall() == [("Only In The Wal",)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file


# Refused, and nothing written --------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_has_tables(backup):
    """The suite's own database has its tables: restoring over it is refused, and it is left as it was."""
    before = snapshot(connection.settings_dict)
    with pytest.raises(CommandError, match=r"already has \d+ tables: restore only into an empty database"):
        call_command("restore", str(backup))
    assert snapshot(connection.settings_dict) == before


def test_restore_refuses_media_root_with_files_in_it(backup, empty_database, tmp_path):
    media = tmp_path / "media-in-use"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "someone-elses.log").write_text("keep me")
    with pytest.raises(DomainError, match="already holds files") as refused:
        restore_into(empty_database, backup, media)
    assert refused.value.code == "not_empty"
    assert table_count(empty_database.settings_dict) == 0
    assert files_under(media) == {"evidence/someone-elses.log": b"keep me"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,serial\nLatitude,ABC\n", "is not a Relay backup"),
        (b"PGDMP\x01\x0e\x00" + bytes(64), "is a bare database file, not a Relay backup"),
        (b"SQLite format 3\x00" + bytes(64), "is a bare database file, not a Relay backup"),
    ],
)
def test_restore_refuses_what_is_not_a_relay_backup(db, tmp_path, content, message):
    path = tmp_path / "not-a-backup"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*: no such file"):
        call_command("restore", str(tmp_path / "nowhere.backup"))


def test_restore_refuses_a_backup_cut_short(backup, tmp_path):
    cut = rewrite(backup, tmp_path / "cut.backup", drop_manifest=True)
    with pytest.raises(CommandError, match="is not a complete Relay backup"):
        call_command("restore", str(cut))
    half = tmp_path / "half.backup"
    half.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises(CommandError, match="is not a complete Relay backup"):
        call_command("restore", str(half))


def test_restore_refuses_a_backup_of_the_other_kind_of_database(backup, tmp_path):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]
    names = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

    def as_other(manifest):
        manifest["members"][names[other]] = manifest["members"].pop(names[connection.vendor])
        return {**manifest, "database": other}

    wrong = rewrite(backup, tmp_path / "other.backup", manifest=as_other)
    expected = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with pytest.raises(CommandError, match=f"is a backup of a {expected[other]} database; this Relay uses"):
        call_command("restore", str(wrong))


def test_restore_refuses_a_backup_from_a_newer_relay(backup, tmp_path):
    def from_the_future(manifest):
        return {**manifest, "migrations": [*manifest["migrations"], "reuse.9999_from_the_future"]}

    newer = rewrite(backup, tmp_path / "newer.backup", manifest=from_the_future)
    with pytest.raises(CommandError, match=r"made by a newer Relay \(1 migrations this one lacks, such as reuse.9999"):
        call_command("restore", str(newer))


def test_restore_refuses_a_damaged_backup_and_writes_nothing(backup, empty_database, tmp_path):
    def flip_a_byte(name, data):
        return data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:] if name.startswith("database.") else data

    damaged = rewrite(backup, tmp_path / "damaged.backup", member=flip_a_byte)
    media = tmp_path / "restored-media"
    with pytest.raises(DomainError, match="is damaged: its contents do not match its manifest"):
        restore_into(empty_database, damaged, media)
    assert table_count(empty_database.settings_dict) == 0
    assert not media.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".relay-restore")]
    if connection.vendor == "sqlite":
        assert list(Path(empty_database.name).parent.iterdir()) == []


@on_postgresql
def test_a_restore_that_fails_half_way_leaves_the_database_and_media_root_empty(backup, empty_database, tmp_path):
    """pg_restore runs as one transaction: a dump whose table data is corrupt (its checksum made to agree)
    fails after the tables are made, and they, and the files swapped in, are gone again."""

    def corrupt_the_data(name, data):
        if not name.startswith("database."):
            return data
        at = data.rindex(b"\x78\x9c") + 2  # inside the last zlib stream: the last table's rows, after the DDL
        return data[:at] + bytes(b ^ 0xFF for b in data[at : at + 4]) + data[at + 4 :]

    broken = rewrite(backup, tmp_path / "broken.backup", member=corrupt_the_data, fix_checksums=True)
    media = tmp_path / "restored-media"
    with pytest.raises(DomainError, match="pg_restore failed: .*could not uncompress data") as refused:
        restore_into(empty_database, broken, media)
    assert refused.value.code == "pg_tool_failed"
    assert table_count(empty_database.settings_dict) == 0
    assert not media.exists()


def test_backup_refuses_a_destination_it_cannot_write(db, tmp_path):
    with pytest.raises(CommandError, match="the folder .*missing does not exist"):
        call_command("backup", "--out", str(tmp_path / "missing" / "relay.backup"))
    with pytest.raises(CommandError, match="is a folder: give the backup file's name"):
        call_command("backup", "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_to_write_inside_media_root(db, media_root):
    (media_root / "backups").mkdir(parents=True)
    with pytest.raises(CommandError, match="it is inside MEDIA_ROOT, which the backup holds"):
        call_command("backup", "--out", str(media_root / "backups" / "relay.backup"))
    assert list((media_root / "backups").iterdir()) == []


@on_postgresql
def test_backup_without_pg_dump_on_path_says_so_in_one_line(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    with pytest.raises(CommandError, match=r"^pg_dump is not on PATH: install the PostgreSQL client tools"):
        call_command("backup", "--out", str(tmp_path / "relay.backup"))
    assert list(tmp_path.iterdir()) == []


def test_refusals_from_the_shell_are_one_line_with_a_non_zero_exit(db, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a backup")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "MEDIA_ROOT": str(tmp_path / "media")}

    restore = manage("restore", bad, env=env)
    backup = manage("backup", "--out", tmp_path / "missing" / "relay.backup", env=env)

    refusal = f"CommandError: {bad} is not a Relay backup (one made by manage.py backup)\n"
    assert (restore.returncode, restore.stderr) == (1, refusal)
    assert backup.returncode == 1 and backup.stderr.count("\n") == 1 and "does not exist" in backup.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

"""Bad settings stop start-up with one clear line naming the variable, not a traceback."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}


def manage(*args, **env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env={**BASE, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "1", "SITE_URL": "relay.example"}, "SITE_URL must be a URL starting with http://, https://"),
        ({"DEBUG": "1", "TASK_WORKERS": "lots"}, "TASK_WORKERS must be a whole number, not 'lots'"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL must be a URL"),
        ({"DEBUG": "1", "LOG_LEVEL": "chatty"}, "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"),
    ],
)
def test_bad_setting_stops_startup_with_one_line(env, message):
    result = manage("check", **env)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_good_settings_start(tmp_path):
    result = manage("check", DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="relay.example",
                    DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr


def test_sqlite_runs_in_wal_with_immediate_transactions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_suite_runs_on_the_database_ci_asked_for(db):
    """CI sets EXPECT_DATABASE so a PostgreSQL run that silently fell back to SQLite fails."""
    from django.db import connection

    expected = os.environ.get("EXPECT_DATABASE")
    if expected:
        assert connection.vendor == expected
    else:
        assert connection.vendor in {"sqlite", "postgresql"}

"""Bad settings stop start-up with one clear line naming the variable, not a traceback."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BASE = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**BASE, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set when DEBUG is off"),
        ({"SECRET_KEY": "x" * 50}, "AUDIT_KEY must be set when DEBUG is off"),
        ({"DEBUG": "1", "AUDIT_KEY": "short"}, "AUDIT_KEY must be at least 32 characters long"),
        ({"DEBUG": "1", "AUDIT_OLD_KEYS": "1"}, "AUDIT_OLD_KEYS must be id:key pairs"),
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
    result = manage(
        "check",
        DEBUG="0",
        SECRET_KEY="x" * 50,
        CLIENT_REFERENCE_KEY="c" * 40,
        AUDIT_KEY="a" * 40,
        ALLOWED_HOSTS="relay.example",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        EMAIL_BACKEND="console",
    )
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


# Start-up paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["help"],
        ["check", "--help"],
        ["check"],
        ["migrate", "--no-input"],
        ["qcluster"],
        ["runserver", "--noreload"],
    ],
)
def test_every_manage_command_stops_on_a_bad_setting(command):
    """Django would list its own commands for `help` and say "Unknown command" for qcluster."""
    result = manage(*command, DEBUG="1", LOAN_REMINDER_HOUR="25")
    assert result.returncode == 1
    assert result.stderr == "Relay cannot start: LOAN_REMINDER_HOUR must be at most 23, not 25\n"
    assert result.stdout == ""


def test_manage_still_honours_the_settings_option():
    result = manage("check", "--settings=config.settings", DEBUG="1", DJANGO_SETTINGS_MODULE="config.nowhere")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_wsgi_and_asgi_stop_on_a_bad_setting(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=settings.BASE_DIR,
        env={**BASE, "DEBUG": "1", "TIME_ZONE": "Mars/Base"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == "Relay cannot start: TIME_ZONE must be a time zone such as Europe/London, not 'Mars/Base'\n"


def gunicorn(tmp_path, *args, env, timeout=30):
    """A real gunicorn start, stopped (with its workers) whatever happens."""
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--no-control-socket", *args],
        cwd=settings.BASE_DIR,
        env={**BASE, "HOME": str(tmp_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return process.returncode, err


def test_gunicorn_with_preload_stops_on_a_bad_setting_with_one_line(tmp_path):
    """gunicorn.conf.py preloads the app, so a plain `gunicorn config.wsgi` stops with the one line."""
    code, err = gunicorn(
        tmp_path, "-w", "2", "-b", f"unix:{tmp_path}/g.sock", env={"DEBUG": "1", "TASK_WORKERS": "lots"}
    )
    assert code != 0
    assert err == "Relay cannot start: TASK_WORKERS must be a whole number, not 'lots'\n"


def test_gunicorn_worker_with_a_bad_setting_stops_the_master_instead_of_restarting_for_ever(tmp_path):
    """A worker exiting 1 is restarted in a loop; exit code 4 ("App failed to load") halts gunicorn."""
    empty_config = tmp_path / "no-preload.conf.py"
    empty_config.write_text("")
    code, err = gunicorn(
        tmp_path,
        "-c",
        str(empty_config),
        "-w",
        "1",
        "-b",
        f"unix:{tmp_path}/g.sock",
        env={"DEBUG": "1", "TASK_WORKERS": "lots"},
    )
    assert code == 4
    assert "Traceback" not in err
    assert err.count("Relay cannot start: TASK_WORKERS must be a whole number, not 'lots'\n") == 1
    assert "App failed to load" in err


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


def test_gunicorn_serves_with_good_settings(tmp_path):
    sock = tmp_path / "g.sock"
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi", "--preload", "--no-control-socket", "-w", "1", "-b", f"unix:{sock}"],
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={
            **BASE,
            "HOME": str(tmp_path),
            "SECRET_KEY": "s" * 50,
            "CLIENT_REFERENCE_KEY": "c" * 40,
            "AUDIT_KEY": "a" * 40,
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
            "EMAIL_BACKEND": "console",
        },
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = UnixHTTPConnection(str(sock))
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                break
            except (FileNotFoundError, ConnectionRefusedError):
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        # The database answers; the empty database has no task queue table, so the broker does not.
        assert json.loads(response.read())["database"] == "ok"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


# Each helper's checks, in-process (settings.py run afresh on a clean environment) --------------------


def test_defaults_need_no_environment(load):
    loaded = load()
    assert loaded["SITE_URL"] == "http://127.0.0.1:8000"
    assert loaded["ALLOWED_HOSTS"] == ["127.0.0.1"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8000"]
    assert loaded["DEFAULT_FROM_EMAIL"] == "Relay <relay@anytown.example>"
    assert loaded["OVERDUE_REMINDER_DAYS"] == [1, 7, 21]
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["Q_CLUSTER"]["retry"] > loaded["Q_CLUSTER"]["timeout"] == 600


@pytest.mark.parametrize(
    ("env", "name", "expected"),
    [
        ({"SITE_URL": "HTTPS://relay.example.org/"}, "SITE_URL", "https://relay.example.org"),
        ({"SITE_URL": "https://relay.example.org:8443"}, "CSRF_TRUSTED_ORIGINS", ["https://relay.example.org:8443"]),
        ({"SITE_URL": "https://relay.example.org"}, "ALLOWED_HOSTS", ["relay.example.org"]),
        ({"SITE_URL": "https://relay.example.org"}, "SESSION_COOKIE_SECURE", True),
        ({"SITE_URL": "http://[::1]:8000"}, "ALLOWED_HOSTS", ["[::1]"]),
        ({"DEBUG": "yes"}, "ALLOWED_HOSTS", ["127.0.0.1", "localhost"]),
        (
            {"ALLOWED_HOSTS": " .example.org, relay.example.org,10.0.0.5,[::1],*"},
            "ALLOWED_HOSTS",
            [".example.org", "relay.example.org", "10.0.0.5", "[::1]", "*"],
        ),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS", ["127.0.0.1"]),
        (
            {"CSRF_TRUSTED_ORIGINS": "https://*.example.org,https://relay.example.org"},
            "CSRF_TRUSTED_ORIGINS",
            ["https://*.example.org", "https://relay.example.org"],
        ),
        ({"TASK_WORKERS": ""}, "Q_CLUSTER", {"workers": 2}),
        ({"TASK_WORKERS": "64", "TASK_TIMEOUT": "10"}, "Q_CLUSTER", {"workers": 64, "timeout": 10, "retry": 70}),
        ({"LOAN_REMINDER_HOUR": "0"}, "LOAN_REMINDER_HOUR", 0),
        ({"LOAN_REMINDER_HOUR": " 23 "}, "LOAN_REMINDER_HOUR", 23),
        ({"LOG_LEVEL": "warning"}, "LOG_LEVEL", "WARNING"),
        ({"OVERDUE_REMINDER_DAYS": " 21, 7,7 ,1,"}, "OVERDUE_REMINDER_DAYS", [1, 7, 21]),
        ({"ASSET_TAG_PREFIX": "abc1"}, "ASSET_TAG_PREFIX", "ABC1"),
        ({"TIME_ZONE": "UTC"}, "WIPE_LOG_TIME_ZONE", "UTC"),
        ({"SERVICE_NAME": "  "}, "SERVICE_NAME", "Relay"),
        ({"COUNCIL_PHONE": "+44 (0)1632 960-000"}, "COUNCIL_PHONE", "+44 (0)1632 960-000"),
        (
            {"DEFAULT_FROM_EMAIL": "Anytown Relay <relay@anytown.gov.uk>"},
            "DEFAULT_FROM_EMAIL",
            "Anytown Relay <relay@anytown.gov.uk>",
        ),
        ({"EMAIL_HOST": "smtp.example.org"}, "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        (
            {"DATABASE_URL": "postgres://relay:pw@db:5432/relay"},
            "DATABASES",
            {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "relay", "PORT": 5432}},
        ),
        ({"REDIS_URL": "redis://:pw@cache:6379/2"}, "REDIS_URL", "redis://:pw@cache:6379/2"),
        ({"REDIS_URL": "unix:///run/redis.sock"}, "Q_CLUSTER", {"redis": "unix:///run/redis.sock"}),
        ({"LIBRARY_CARD_PATTERN": r"^A[0-9]{8}$"}, "LIBRARY_CARD_PATTERN", r"^A[0-9]{8}$"),
        ({"COUNCIL_POSTCODE_DISTRICTS": " an1, AN10 ,SW1A"}, "COUNCIL_POSTCODE_DISTRICTS", ["AN1", "AN10", "SW1A"]),
        ({"FOLLOW_UP_DAYS": "90, 30"}, "FOLLOW_UP_DAYS", [30, 90]),
        ({"CLIENT_REFERENCE_KEY": "k" * 32}, "CLIENT_REFERENCE_KEY", "k" * 32),
    ],
)
def test_good_values_are_read(load, env, name, expected):
    value = load(**env)[name]
    if isinstance(expected, dict):
        value = {
            key: (value[key] if not isinstance(sub, dict) else {k: value[key][k] for k in sub})
            for key, sub in expected.items()
        }
    assert value == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOAN_REMINDER_HOUR": "24"}, "LOAN_REMINDER_HOUR must be at most 23, not 24"),
        ({"LOAN_REMINDER_HOUR": "-1"}, "LOAN_REMINDER_HOUR must be at least 0, not -1"),
        ({"LOAN_REMINDER_HOUR": "9.5"}, "LOAN_REMINDER_HOUR must be a whole number, not '9.5'"),
        ({"TASK_WORKERS": "2\n3"}, "TASK_WORKERS must be a whole number, not '2\\n3'"),
        ({"EMAIL_PORT": "65536"}, "EMAIL_PORT must be at most 65535"),
        ({"TIME_ZONE": "Mars/Base"}, "TIME_ZONE must be a time zone such as Europe/London, not 'Mars/Base'"),
        ({"TIME_ZONE": "europe/london"}, "TIME_ZONE must be a time zone"),
        ({"TIME_ZONE": "Europe"}, "TIME_ZONE must be a time zone"),
        ({"TIME_ZONE": "../../etc/passwd"}, "TIME_ZONE must be a time zone"),
        ({"WIPE_LOG_TIME_ZONE": "GMT+25"}, "WIPE_LOG_TIME_ZONE must be a time zone"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not 'chatty'"),
        ({"SITE_URL": "relay.example.org"}, "SITE_URL must be a URL starting with http://, https://"),
        ({"SITE_URL": "ftp://relay.example.org"}, "SITE_URL must be a URL"),
        ({"SITE_URL": "https://"}, "SITE_URL must be a URL"),
        ({"SITE_URL": "https://relay.example.org/relay"}, "no path, query or fragment"),
        ({"SITE_URL": "https://relay.example.org/?from=label"}, "no path, query or fragment"),
        ({"SITE_URL": "https://relay.example.org#top"}, "no path, query or fragment"),
        ({"SITE_URL": "https://admin:pw@relay.example.org"}, "SITE_URL must be a URL"),
        ({"SITE_URL": "https://relay.example.org:99999"}, "SITE_URL must be a URL"),
        ({"ALLOWED_HOSTS": "relay.example.org:8000"}, "ALLOWED_HOSTS must be host names separated by commas"),
        ({"ALLOWED_HOSTS": "relay.example.org,https://relay.example.org"}, "not 'https://relay.example.org'"),
        ({"ALLOWED_HOSTS": "*.example.org"}, "ALLOWED_HOSTS must be host names"),
        ({"ALLOWED_HOSTS": "relay example"}, "ALLOWED_HOSTS must be host names"),
        ({"CSRF_TRUSTED_ORIGINS": "https://relay.example.org/app"}, "CSRF_TRUSTED_ORIGINS must be origins"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL must be a postgres:// URL or sqlite:///"),
        ({"DATABASE_URL": "mysql://relay@db/relay"}, "DATABASE_URL must be a postgres:// URL or sqlite:///"),
        ({"DATABASE_URL": "postgis://relay@db/relay"}, "DATABASE_URL must be a postgres:// URL or sqlite:///"),
        ({"DATABASE_URL": "postgres://relay@db"}, "DATABASE_URL must be a postgres:// URL that names a database"),
        ({"DATABASE_URL": "sqlite://"}, "DATABASE_URL must be sqlite:/// followed by a file's full path"),
        ({"DATABASE_URL": "sqlite:///relay.sqlite3"}, "DATABASE_URL must be sqlite:/// followed by a file's full path"),
        (
            {"DATABASE_URL": "sqlite:////no/such/folder/relay.sqlite3"},
            "DATABASE_URL names a SQLite file in a folder that does not exist",
        ),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must be a URL starting with redis://, rediss://, unix://"),
        ({"REDIS_URL": "redis://"}, "REDIS_URL must be a URL"),
        (
            {"REDIS_URL": "redis://:6379/0"},
            "REDIS_URL must be a URL starting with redis://, rediss://, unix:// and a host",
        ),
        ({"REDIS_URL": "redis://cache:6379/zero"}, "the path is a database number"),
        ({"LIBRARY_CARD_PATTERN": "["}, "LIBRARY_CARD_PATTERN is not a regular expression"),
        ({"LIBRARY_CARD_PATTERN": "^[0-9]*$"}, "LIBRARY_CARD_PATTERN must not match an empty value"),
        ({"OVERDUE_REMINDER_DAYS": "0,7"}, "OVERDUE_REMINDER_DAYS must be whole numbers from 1 to 365 separated by"),
        ({"OVERDUE_REMINDER_DAYS": "1,400"}, "OVERDUE_REMINDER_DAYS must be whole numbers from 1 to 365"),
        ({"OVERDUE_REMINDER_DAYS": "1;7"}, "not '1;7'"),
        ({"MEDIA_ROOT": "var/media"}, "MEDIA_ROOT must be an absolute path"),
        ({"MEDIA_ROOT": __file__}, "MEDIA_ROOT must be a folder, not a file"),
        ({"EMAIL_HOST": "smtp.example.org:587"}, "EMAIL_HOST must be a host name such as smtp.example.org"),
        ({"COUNCIL_EMAIL": "relay@"}, "COUNCIL_EMAIL must be an email address, not 'relay@'"),
        ({"COUNCIL_EMAIL": "Relay <relay@anytown.example>"}, "COUNCIL_EMAIL must be an email address"),
        ({"DEFAULT_FROM_EMAIL": "Relay <nobody>"}, "DEFAULT_FROM_EMAIL must be an email address (or Name <address>)"),
        ({"ASSET_TAG_PREFIX": "ANYTOWNRELAY"}, "ASSET_TAG_PREFIX must be 1 to 8 letters or digits"),
        ({"ASSET_TAG_PREFIX": "R/1"}, "ASSET_TAG_PREFIX must be 1 to 8 letters or digits"),
        ({"COUNCIL_PHONE": "12"}, "COUNCIL_PHONE must be a phone number"),
        ({"DEBUG": "2"}, "DEBUG must be true or false, not '2'"),
        ({"CLIENT_REFERENCE_KEY": "short"}, "CLIENT_REFERENCE_KEY must be at least 32 characters"),
        ({"COUNCIL_POSTCODE_DISTRICTS": "AN1 AN2"}, "COUNCIL_POSTCODE_DISTRICTS must be postcode districts"),
        ({"REQUEST_CONTACT_RETENTION_DAYS": "7"}, "REQUEST_CONTACT_RETENTION_DAYS must be at least 30"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named_first(load, env, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        load(**env)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{next(iter(env))} ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": "postgres://relay:hunter2@db"},
        {"REDIS_URL": "redis://:hunter2@cache:6379/x"},
        {"DATABASE_URL": "mysql://relay:hunter2@db/relay"},
        {"SITE_URL": "https://admin:hunter2@relay.example.org"},
    ],
)
def test_errors_never_show_a_password(load, env):
    with pytest.raises(ImproperlyConfigured) as caught:
        load(**env)
    assert "hunter2" not in str(caught.value) and ":***@" in str(caught.value)


def test_a_zone_only_the_tzdata_package_knows_is_refused_as_django_would(load, monkeypatch, tmp_path):
    (tmp_path / "UTC").write_bytes(b"")
    monkeypatch.setattr("config.env.SYSTEM_ZONES", tmp_path)
    assert load(TIME_ZONE="UTC")["TIME_ZONE"] == "UTC"
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE must be a time zone .* this system's time zone"):
        load(TIME_ZONE="Europe/London")


def test_the_default_sqlite_folder_is_created_but_a_named_one_must_exist(monkeypatch, tmp_path):
    from config.env import env_database

    monkeypatch.delenv("RELAY_TEST_DB", raising=False)
    default = f"sqlite:///{tmp_path / 'var' / 'relay.sqlite3'}"
    assert env_database("RELAY_TEST_DB", default)["NAME"] == str(tmp_path / "var" / "relay.sqlite3")
    assert (tmp_path / "var").is_dir()
    monkeypatch.setenv("RELAY_TEST_DB", f"sqlite:///{tmp_path / 'elsewhere' / 'relay.sqlite3'}")
    with pytest.raises(ImproperlyConfigured, match="in a folder that does not exist"):
        env_database("RELAY_TEST_DB", default)
    assert not (tmp_path / "elsewhere").exists()

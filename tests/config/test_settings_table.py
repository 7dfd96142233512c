"""The README's Configuration table is the list of settings: every variable settings.py reads is in it,
and every one of them, given a bad value, stops start-up with one line naming it."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

# One value per variable that a deployment could plausibly set and that must not start Relay. Most
# parse (a number out of range, a URL with a path, a zone that does not exist); a few do not.
BAD_VALUES = {
    "DEBUG": "maybe",
    "SECRET_KEY": "",  # with DEBUG off, as in BASE
    "AUDIT_KEY": "too-short",
    "AUDIT_KEY_ID": "key one",
    "AUDIT_OLD_KEYS": "1=old",
    "SITE_URL": "https://relay.example/app",
    "ALLOWED_HOSTS": "https://relay.example",
    "CSRF_TRUSTED_ORIGINS": "relay.example",
    "BEHIND_HTTPS_PROXY": "sometimes",
    "SSL_REDIRECT": "sometimes",
    "HSTS_SECONDS": "-1",
    "HSTS_INCLUDE_SUBDOMAINS": "maybe",
    "HSTS_PRELOAD": "maybe",
    "LOGIN_ADDRESS_FAILURE_LIMIT": "0",
    "BORROWER_RETENTION_DAYS": "0",
    "PROXY_COUNT": "-1",
    "DATABASE_URL": "mysql://relay@db/relay",
    "REDIS_URL": "localhost:6379",
    "TASK_WORKERS": "0",
    "TASK_TIMEOUT": "5",
    "TASKS_SYNC": "perhaps",
    "COUNCIL_PHONE": "call us",
    "COUNCIL_EMAIL": "relay.anytown.example",
    "ASSET_TAG_PREFIX": "RLY-",
    "EMAIL_HOST": "smtp://mail.example",
    "EMAIL_PORT": "70000",
    "EMAIL_USE_TLS": "starttls",
    "DEFAULT_FROM_EMAIL": "Relay",
    "LOGIN_FAILURE_LIMIT": "0",
    "LOGIN_COOLOFF_MINUTES": "forever",
    "SESSION_HOURS": "0",
    "MEDIA_ROOT": "var/media",
    "TIME_ZONE": "Mars/Base",
    "LOG_LEVEL": "chatty",
    "SANITISATION_SEPARATE_VERIFIER": "sometimes",
    "EVIDENCE_MAX_MB": "0",
    "WIPE_LOG_UPLOAD_MAX_FILES": "lots",
    "WIPE_LOG_UPLOAD_MAX_MB": "1001",
    "WIPE_LOG_TIME_ZONE": "Europe/Londn",
    "LABELS_SYNC_SHEETS": "0",
    "LABELS_MAX_BATCH": "1000000",
    "LABEL_JOB_KEEP_DAYS": "0",
    "LIBRARY_CARD_PATTERN": "[",
    "LOAN_DUE_SOON_DAYS": "0",
    "OVERDUE_REMINDER_DAYS": "1,seven",
    "LOAN_REMINDER_HOUR": "25",
    "HOLD_PICKUP_DAYS": "0",
    "RENEWAL_NOT_BEFORE_DAYS": "-1",
    "CONNECTIVITY_EXPIRY_WARNING_DAYS": "-1",
    "COUNCIL_POSTCODE_DISTRICTS": "AN1;AN2",
    "REQUEST_OPEN_LIMIT": "0",
    "REQUEST_FORM_MIN_SECONDS": "-5",
    "FOLLOW_UP_DAYS": "30,ninety",
    "REQUEST_CONTACT_RETENTION_DAYS": "10",
    "MATCHING_HOUR": "24",
    "CLIENT_REFERENCE_KEY": "",  # with DEBUG off, as in BASE: required
    "OPEN_DATA_REFRESH_MINUTES": "2",
    "EMAIL_BACKEND": "sendgrid",
    "SMS_BACKEND": "twilio",
    "NOTIFY_API_KEY": "not-a-notify-key",
    "NOTIFY_BASE_URL": "api.notifications.service.gov.uk",
    "NOTIFY_EMAIL_TEMPLATE_ID": "template-1",
    "NOTIFY_EMAIL_FILE_TEMPLATE_ID": "1234",
    "NOTIFY_SMS_TEMPLATE_ID": "sms",
    "API_RATE_PER_TOKEN": "lots",
    "API_RATE_PER_ADDRESS": "100/fortnight",
}
# Any text is valid for these, so there is no bad value to try.
FREE_TEXT = {"SERVICE_NAME", "COUNCIL_NAME", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"}


def base_env(tmp_path):
    """A production-like start that passes (checked below), so each failure is its one bad value's."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": "s" * 50,
        "CLIENT_REFERENCE_KEY": "c" * 40,
        "AUDIT_KEY": "a" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'walk.sqlite3'}",
        "EMAIL_BACKEND": "console",
    }


def readme_variables() -> set[str]:
    text = (settings.BASE_DIR / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows, "no Configuration table found in README.md"
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def settings_variables() -> set[str]:
    return set(
        re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", (settings.BASE_DIR / "config" / "settings.py").read_text())
    )


def manage_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_read_the_environment_only_through_the_helpers():
    source = (settings.BASE_DIR / "config" / "settings.py").read_text()
    assert "os.environ" not in source and "getenv" not in source
    assert "try:" not in source, "a setting's check belongs in a config.env helper"


def test_readme_lists_every_variable_settings_read():
    assert settings_variables() - readme_variables() == set(), "read by settings.py, missing from the README"


def test_readme_lists_no_variable_settings_do_not_read():
    assert readme_variables() - settings_variables() == set(), "in the README, not read by settings.py"


def test_every_variable_has_a_bad_value_or_is_free_text():
    variables = readme_variables()
    assert variables - BAD_VALUES.keys() - FREE_TEXT == set(), "give these a bad value, or list them as free text"
    assert BAD_VALUES.keys() - variables == set() and FREE_TEXT - variables == set()
    assert BAD_VALUES.keys() & FREE_TEXT == set()


def test_each_bad_value_in_the_table_stops_startup_with_one_line_naming_it(tmp_path):
    base = base_env(tmp_path)
    assert manage_check(base).returncode == 0, manage_check(base).stderr
    names = sorted(readme_variables() & BAD_VALUES.keys())
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(
            zip(names, pool.map(lambda name: manage_check({**base, name: BAD_VALUES[name]}), names), strict=True)
        )
    problems = []
    for name, result in results.items():
        lines = result.stderr.strip().splitlines()
        if (
            result.returncode != 1
            or len(lines) != 1
            or "Traceback" in result.stderr
            or not lines[0].startswith(f"Relay cannot start: {name} ")
        ):
            problems.append(f"{name}={BAD_VALUES[name]!r}: exit {result.returncode}, stderr {result.stderr[-300:]!r}")
    assert problems == []

"""Tiny helpers that read settings from the environment.

Each one checks its value (type, range, and the mistakes that parse but are wrong) and names the
variable in its one-line error, so a bad deployment stops at start-up with that line instead of a
traceback from somewhere deep in Django. A variable set to an empty value counts as unset.
"""

import os
import re
import sys
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}
SYSTEM_ZONES = Path("/usr/share/zoneinfo")
# An address a resident can write to; not RFC 5322, just the mistakes worth catching.
EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
# A DNS name or an IP address, as SMTP hosts and ALLOWED_HOSTS entries are written (no scheme, no port).
HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*\.?|\[[0-9A-Fa-f:.]+\]")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or not value.strip() else value


def _bad(name: str, expected: str, value: object) -> ImproperlyConfigured:
    # repr() keeps the message on one line whatever the value holds (a pasted newline, say).
    return ImproperlyConfigured(f"{name} must be {expected}, not {value!r}")


def _without_password(url: str) -> str:
    """A URL fit for an error message: a password in it is replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def env_str(name: str, default: str = "") -> str:
    """Free text: any value is valid."""
    raw = _raw(name)
    return default if raw is None else raw


def env_match(name: str, default: str, pattern: str, expected: str) -> str:
    """Text that must match `pattern` as a whole (surrounding spaces ignored)."""
    value = env_str(name, default).strip()
    if not re.fullmatch(pattern, value):
        raise _bad(name, expected, value)
    return value


def env_secret(name: str, pattern: str, expected: str) -> str:
    """A secret that must match `pattern` when set; the refusal never repeats the value."""
    value = env_str(name).strip()
    if value and not re.fullmatch(pattern, value):
        raise ImproperlyConfigured(f"{name} must be {expected} (the value given is not shown)")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise _bad(name, "true or false", raw)


def _int(name: str, raw: str, minimum: int, maximum: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise _bad(name, "a whole number", raw) from None
    if value < minimum:
        raise _bad(name, f"at least {minimum}", value)
    if value > maximum:
        raise _bad(name, f"at most {maximum}", value)
    return value


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = _raw(name)
    return default if raw is None else _int(name, raw, minimum, maximum)


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    """One of `choices`, in any case; returns it as written in `choices`."""
    value = env_str(name, default).strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    expected = ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
    raise _bad(name, expected, value)


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated items; blanks between commas are dropped."""
    items = [item.strip() for item in env_str(name, default).split(",") if item.strip()]
    return items or [item.strip() for item in default.split(",") if item.strip()]


def env_int_list(name: str, default: str, *, minimum: int, maximum: int) -> list[int]:
    """Comma-separated whole numbers, each within bounds; returned sorted, without repeats."""
    values = set()
    for item in env_list(name, default):
        try:
            values.add(_int(name, item, minimum, maximum))
        except ImproperlyConfigured:
            raise _bad(
                name,
                f"whole numbers from {minimum} to {maximum} separated by commas, e.g. {default}",
                env_str(name, default),
            ) from None
    return sorted(values)


def env_keys(name: str) -> dict[str, str]:
    """`id:secret` pairs separated by commas (retired signing keys, kept to check what they signed)."""
    keys = {}
    for item in env_list(name, ""):
        key_id, sep, secret = item.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z0-9._-]{1,16}", key_id) or len(secret) < 32:
            raise ImproperlyConfigured(
                f"{name} must be id:key pairs separated by commas, each key at least 32 characters "
                f"(the entry starting {item[:4]!r}... is not)"
            )
        keys[key_id] = secret
    return keys


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default).strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise _bad(name, "a time zone such as Europe/London", value) from None
    # Django refuses a zone the system's database lacks even when the tzdata package has it.
    if SYSTEM_ZONES.is_dir() and not (SYSTEM_ZONES / value).is_file():
        raise _bad(name, "a time zone such as Europe/London (one this system's time zone database has)", value)
    return value


def env_regex(name: str, default: str) -> str:
    """A regular expression that compiles and does not accept the empty string."""
    value = env_str(name, default).strip()
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ImproperlyConfigured(f"{name} is not a regular expression ({exc}): {value!r}") from None
    if compiled.fullmatch(""):
        raise ImproperlyConfigured(f"{name} must not match an empty value, as {value!r} does")
    return value


def env_path(name: str, default: str) -> Path:
    """An absolute path to a folder, which may not exist yet (a relative one would depend on where each
    process was started)."""
    value = env_str(name, default).strip()
    path = Path(value)
    if not path.is_absolute():
        raise _bad(name, "an absolute path such as /srv/relay/media", value)
    if path.exists() and not path.is_dir():
        raise _bad(name, "a folder, not a file", value)
    return path


def env_email(name: str, default: str, *, with_name: bool = False) -> str:
    """An email address; with `with_name`, also `Display Name <address>`."""
    value = env_str(name, default).strip()
    named = re.fullmatch(r"[^<>]*<(.*)>", value) if with_name else None
    if not EMAIL.fullmatch(named.group(1) if named else value):
        raise _bad(name, "an email address" + (" (or Name <address>)" if with_name else ""), value)
    return value


def env_hostname(name: str, default: str = "") -> str:
    """A host name or IP address without scheme or port; empty (unset) is allowed when the default is."""
    value = env_str(name, default).strip()
    if value and not HOSTNAME.fullmatch(value):
        raise _bad(name, "a host name such as smtp.example.org (no scheme, no port)", value)
    return value


def env_hosts(name: str, default: str) -> list[str]:
    """Django's ALLOWED_HOSTS: host names, `.domain` for a domain and its subdomains, or `*`."""
    hosts = list(dict.fromkeys(env_list(name, default)))
    for host in hosts:
        if host != "*" and not HOSTNAME.fullmatch(host.removeprefix(".")):
            raise _bad(name, "host names separated by commas, without scheme, port or path", host)
    return hosts


def _split(name: str, value: str, expected: str) -> SplitResult:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise _bad(name, expected, _without_password(value)) from None
    return parts


def _origin(name: str, value: str, expected: str) -> str:
    """http(s)://host[:port] and nothing more: what a browser sends as Origin."""
    parts = _split(name, value, expected)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "?" in value
        or "#" in value
    ):
        raise _bad(name, expected, _without_password(value))
    return f"{parts.scheme.lower()}://{parts.netloc}"


def host_of(url: str) -> str:
    """The host of a URL as ALLOWED_HOSTS writes it (an IPv6 address in brackets)."""
    host = urlsplit(url).hostname or ""
    return f"[{host}]" if ":" in host else host


def env_site_url(name: str, default: str) -> str:
    """The public address of the service: scheme, host and port only (every link is built on it)."""
    return _origin(
        name,
        env_str(name, default).strip(),
        "a URL starting with http://, https:// with a host and "
        "no path, query or fragment, such as https://relay.example.org",
    )


def env_origins(name: str, default: str) -> list[str]:
    expected = "origins such as https://relay.example.org separated by commas (no path)"
    return [_origin(name, item, expected) for item in env_list(name, default)]


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    """A URL with one of `schemes` and something after `://` (a host, or a socket path for unix://)."""
    value = env_str(name, default).strip()
    expected = "a URL starting with " + ", ".join(f"{s}://" for s in schemes)
    if not value:
        return value
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in schemes or not rest:
        raise _bad(name, expected, _without_password(value))
    parts = _split(name, value, expected)
    if scheme.lower() != "unix" and not parts.hostname:
        raise _bad(name, expected + " and a host", _without_password(value))
    return value.rstrip("/")


def env_redis_url(name: str) -> str:
    """Empty, or a Redis URL whose path, if any, is a database number."""
    value = env_url(name, "", schemes=("redis", "rediss", "unix"))
    if value and not value.lower().startswith("unix") and not re.fullmatch(r"(/\d+)?", urlsplit(value).path):
        raise _bad(
            name, "a Redis URL such as redis://cache:6379/0 (the path is a database number)", _without_password(value)
        )
    return value


def env_database(name: str, default: str, **options) -> dict:
    """DATABASE_URL as Django's DATABASES["default"]: PostgreSQL, or SQLite in a file named by its full
    path (an in-memory or relative database would differ between the web and worker processes). The
    default's folder is created; a folder someone named must exist."""
    import dj_database_url

    value = env_str(name, default).strip()
    if value == default and default.startswith("sqlite:///"):
        Path(default.removeprefix("sqlite:///")).parent.mkdir(exist_ok=True)
    shown = _without_password(value)
    expected = "a postgres:// URL or sqlite:/// followed by a file's full path"
    try:
        database = dj_database_url.parse(value, **options)
    except Exception:  # dj-database-url raises several kinds; all mean the same to an operator
        raise _bad(name, expected, shown) from None
    engine, db_name = database["ENGINE"], str(database.get("NAME") or "")
    if engine == "django.db.backends.sqlite3":
        if db_name == ":memory:" or not Path(db_name).is_absolute():
            raise _bad(
                name, "sqlite:/// followed by a file's full path, such as sqlite:////srv/relay/relay.sqlite3", shown
            )
        if not Path(db_name).parent.is_dir():
            raise ImproperlyConfigured(f"{name} names a SQLite file in a folder that does not exist: {shown!r}")
    elif engine == "django.db.backends.postgresql":
        if not db_name:
            raise _bad(name, "a postgres:// URL that names a database, such as postgres://relay@db/relay", shown)
    else:
        raise _bad(name, expected, shown)
    return database


@contextmanager
def stop_on_bad_settings(*, exit_code: int = 1) -> Iterator[None]:
    """Start-up paths (manage.py, wsgi, asgi) run inside this: a bad setting is an operator's mistake,
    not a bug, so it ends the process with one line naming the variable and no traceback."""
    try:
        yield
    except ImproperlyConfigured as exc:
        print(f"Relay cannot start: {exc}", file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(exit_code) from None

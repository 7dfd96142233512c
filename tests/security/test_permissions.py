"""Issue 11's permission matrix: every URL in the URL configuration, as every role, against the table in
`tests/security/permissions.py` (how to add a URL is written at its top).

One module-scoped data set (`tests/security/world.py`) is built once and rolled back at the end; each
request runs in its own savepoint. A refused request (sign in, 401, 403, 404, 405) must also have written
nothing to the database: every INSERT, UPDATE and DELETE it sends is caught, bar the session row.
"""

import json
import re

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.services import api_token_create
from tests.security.permissions import ADMIN_SAMPLE, DENIALS, TABLE, Entry
from tests.security.world import ADMINISTRATOR, ANON, COORD, DESK_HERE, DESK_THERE, IT_TECH, ROLES, build_world

pytestmark = pytest.mark.django_db

# Personal data in the data set, and who never sees it on any page: a borrower's name and email (not IT,
# not coordinators); a requesting group's contact (not IT, not the desks' own pages bar the handover).
BORROWER = ("Rosa Clarke", "rosa@example.com")
CONTACT = ("Priya Shah", "priya@northside.example")
NEVER_SHOWN = {ANON: BORROWER + CONTACT, IT_TECH: BORROWER + CONTACT, COORD: BORROWER}


def url_patterns(resolver=None, prefix="", namespace=()):
    """(name, route) of every pattern under `resolver`, names with their namespaces ("reuse:device-detail");
    an unnamed pattern is known by its route inside its namespace ("api:^v1/")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield ":".join(namespace + (pattern.name or str(pattern.pattern),)), prefix + str(pattern.pattern), pattern


ALL = {name: route for name, route, _ in url_patterns()}
ADMIN_NAMES = sorted(name for name in ALL if name.startswith("admin:"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, TASKS_SYNC=True), transaction.atomic():
        built = build_world()
        built.tokens = {
            role: {
                scope: api_token_create(user=user, name=f"{role} {scope}", scope=scope)[1]
                for scope in ("read", "write")
            }
            for role, user in built.users.items()
            if user is not None
        }
        yield built
        transaction.set_rollback(True)


# The session row, a token's "last used" (bumped once the token is known, whatever it may do), and the
# sign-in log's sign-out time (signing out lands on the sign-in page, like a refusal).
BOOKKEEPING = re.compile(
    r'"django_session"|UPDATE "api_apitoken" SET "last_used_at" = %s WHERE|UPDATE "axes_accesslog" SET "logout_time"'
)


class Writes:
    """Every statement that would change a row, bar bookkeeping."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", sql, re.I) and not BOOKKEEPING.search(sql):
            self.seen.append(sql[:160])
        return execute(sql, params, many, context)


def outcome(response) -> str:
    code = response.status_code
    if 300 <= code < 400:
        where = response["Location"]
        return "login" if where.startswith(("/accounts/login/", "/admin/login/")) else "go"
    return "ok" if 200 <= code < 300 else str(code)


def url_for(entry: Entry, world) -> str:
    if entry.path:
        return entry.path
    args = world.args[entry.args]
    return reverse(entry.name, kwargs=args) if isinstance(args, dict) else reverse(entry.name, args=args)


def send(client, method, url, entry, world, role):
    headers = {}
    if entry.api and role != ANON:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]['read' if method == 'get' else 'write']}"
    elif not entry.api and world.users[role] is not None:
        client.force_login(world.users[role])
    writes = Writes()
    with connection.execute_wrapper(writes):
        if method == "get":
            response = client.get(url, **headers)
        elif entry.api:
            response = client.post(url, "{}", content_type="application/json", **headers)
        else:
            response = client.post(url, {}, **headers)
    return outcome(response), writes.seen, response


def test_every_url_has_an_entry():
    """A new URL fails here until someone writes down who may use it."""
    pages = {name for name in ALL if not name.startswith("admin:")}
    assert sorted(pages - set(TABLE)) == [], "URLs without an entry in tests/security/permissions.py"
    assert sorted(set(TABLE) - pages) == [], "entries in tests/security/permissions.py for URLs that no longer exist"
    assert set(ADMIN_SAMPLE) <= set(ADMIN_NAMES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_as_role(client, world, name, role):
    entry = TABLE[name]
    url = url_for(entry, world)
    got, writes, response = send(client, "get", url, entry, world, role)
    expected = entry.expect("get", role)
    assert got == expected, f"GET {url} as {role}: {got}, the table says {expected}"
    if got in DENIALS:
        assert writes == [], f"GET {url} as {role} was refused ({got}) but wrote {writes}"
    if not response.streaming:
        body = response.content.decode("utf-8", "replace")
        assert not [word for word in NEVER_SHOWN.get(role, ()) if word in body], f"GET {url} as {role} shows them"
    post_expected = entry.expect("post", role)
    if post_expected is None and got not in DENIALS:
        return
    got, writes, _ = send(client, "post", url, entry, world, role)
    assert got == (post_expected or expected), (
        f"POST {url} as {role}: {got}, the table says {post_expected or expected}"
    )
    if got in DENIALS:
        assert writes == [], f"POST {url} as {role} was refused ({got}) but wrote {writes}"


@pytest.mark.parametrize("role", [IT_TECH, DESK_HERE, ADMINISTRATOR])
def test_read_tokens_write_nothing(client, world, role):
    """A read-scope token of anyone, even an administrator, may not create a device: 403, nothing written."""
    writes = Writes()
    with connection.execute_wrapper(writes):
        response = client.post(
            reverse("api:device-list"),
            json.dumps({"kind": "laptop", "make": "Dell", "model": "Latitude", "site": "DEPOT"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]['read']}",
        )
    assert response.status_code == 403 and response.json()["type"].endswith("/insufficient-scope")
    assert writes.seen == []


def admin_url(name, pattern) -> str:
    if pattern.name is None:  # the admin's catch-all, which answers any other path under /admin/
        return "/admin/no-such-page/"
    regex = pattern.pattern.regex
    kwargs = {group: ("reuse" if group == "app_label" else "1") for group in regex.groupindex}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", [ANON, IT_TECH, DESK_HERE, DESK_THERE, COORD])
def test_every_admin_page_is_for_administrators_only(client, world, role):
    """Every admin URL (all of them, not a sample), GET and POST, as everyone but administrators: the
    admin's sign-in page, and nothing written."""
    if world.users[role] is not None:
        client.force_login(world.users[role])
    patterns = {name: pattern for name, _, pattern in url_patterns() if name.startswith("admin:")}
    wrong = []
    for name in ADMIN_NAMES:
        if name == "admin:logout" or name == "admin:login":
            continue
        url = admin_url(name, patterns[name])
        for method in (client.get, client.post):
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = method(url)
            got = outcome(response)
            if got not in ("login", "404") or writes.seen:
                wrong.append((name, method.__name__, got, writes.seen))
    assert wrong == []


@pytest.mark.parametrize("role", [ADMINISTRATOR])
@pytest.mark.parametrize("name", sorted(ADMIN_SAMPLE))
def test_admin_sample(client, world, name, role):
    url, expected = ADMIN_SAMPLE[name]
    client.force_login(world.users[role])
    assert outcome(client.get(url)) == expected

"""API tokens: hashed at rest, scoped, expiring, revocable, last use recorded; created by the command
(the token as its last line) and in the admin (shown once), revoked in the admin."""

import datetime
import hashlib
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from core.errors import DomainError
from tests.api.conftest import Api, problem

pytestmark = pytest.mark.django_db
DEVICES = "/api/v1/devices/"


def test_only_a_hash_of_the_token_is_stored(alice):
    row, token = api_token_create(user=alice, name="Asset register sync")
    assert token.startswith("rly_") and len(token) > 40
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token not in str(stored)
    assert stored["key_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored["prefix"]) and len(stored["prefix"]) == 12


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": " "}, "Name the token"),
        ({"scope": "admin"}, "read or write"),
        ({"days": 0}, "from 1 to 3650 days"),
        ({"days": 3651}, "from 1 to 3650 days"),
    ],
)
def test_bad_token_requests_are_refused_and_write_nothing(alice, kwargs, message):
    with pytest.raises(DomainError, match=message):
        api_token_create(user=alice, **{"name": "Sync", **kwargs})
    assert ApiToken.objects.count() == 0


def test_a_user_without_a_role_gets_no_token(nobody):
    with pytest.raises(DomainError, match="no role"):
        api_token_create(user=nobody, name="Sync")


def test_a_good_token_is_accepted_and_its_use_recorded(client, alice, token_for):
    token = token_for(alice)
    assert Api(client, token).get(DEVICES).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header, code",
    [
        ("Bearer rly_notatokenatall", "token_unknown"),
        ("Bearer", "token_malformed"),
        ("Bearer two parts", "token_malformed"),
        ("Bearer nonsense", "token_unknown"),
    ],
)
def test_unknown_or_malformed_tokens_get_401(client, alice, header, code):
    body = problem(client.get(DEVICES, HTTP_AUTHORIZATION=header), 401)
    assert body["code"] == code and body["type"].endswith("/api/problems/invalid-token")


def test_no_token_gets_401_with_the_bearer_challenge(client, db):
    response = client.get(DEVICES)
    assert problem(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_scheme_counts_as_no_token(client, db):
    assert problem(client.get(DEVICES, HTTP_AUTHORIZATION="Basic YWxpY2U6cGFzcw=="), 401)["code"] == "not_authenticated"


def test_an_expired_token_gets_401(client, alice, token_for):
    token = token_for(alice)
    past = timezone.now() - datetime.timedelta(days=2)
    ApiToken.objects.update(created_at=past, expires_at=past + datetime.timedelta(days=1))
    assert problem(Api(client, token).get(DEVICES), 401)["code"] == "token_expired"


def test_a_revoked_token_gets_401_at_once(client, alice, ada, token_for):
    token = token_for(alice)
    api_token_revoke(token=ApiToken.objects.get(), actor=ada)
    assert problem(Api(client, token).get(DEVICES), 401)["code"] == "token_revoked"
    assert ApiToken.objects.get().revoked_by == ada


def test_a_token_of_a_switched_off_account_gets_401(client, alice, token_for):
    token = token_for(alice)
    alice.is_active = False
    alice.save()
    assert problem(Api(client, token).get(DEVICES), 401)["code"] == "token_user_inactive"


def test_command_prints_the_token_as_its_last_line(client, alice, capsys):
    call_command("api_token", "create", "--user", "alice", "--scope", "write", "--expires", "30")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    row = ApiToken.objects.get()
    assert (row.user, row.scope, row.name) == (alice, "write", "alice (command line)")
    assert abs((row.expires_at - row.created_at) - datetime.timedelta(days=30)) < datetime.timedelta(seconds=1)
    assert Api(client, token).get(DEVICES).status_code == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (["create"], "--user USERNAME"),
        (["create", "--user", "nosuchperson"], "No member of staff"),
        (["create", "--user", "alice", "--scope", "admin"], "--scope must be read or write"),
        (["create", "--user", "alice", "--expires", "ten"], "--expires must be a whole number"),
        (["create", "--user", "alice", "--expires", "0"], "--expires must be a whole number"),
        (["create", "--user", "nobody"], "no role"),
        (["delete", "--user", "alice"], "Say what to do"),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(alice, nobody, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args)
    assert ApiToken.objects.count() == 0


def test_command_bad_input_is_one_line_without_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}
    result = subprocess.run(
        [sys.executable, "manage.py", "api_token", "create", "--scope", "admin", "--user", "x"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["CommandError: --scope must be read or write, not 'admin'."]


def test_administrators_create_a_token_in_the_admin_and_see_it_once(client, ada, alice):
    client.force_login(ada)
    response = client.post(
        "/admin/api/apitoken/add/", {"name": "Stock system", "user": alice.pk, "scope": "read", "days": 10}
    )
    assert response.status_code == 200
    page = response.content.decode()
    row = ApiToken.objects.get()
    token = page.split('id="new-token" type="text" readonly size="60" value="', 1)[1].split('"', 1)[0]
    assert token.startswith(row.prefix) and row.created_by == ada and row.name == "Stock system"
    assert "no-store" in response["Cache-Control"]
    assert token not in client.get(f"/admin/api/apitoken/{row.pk}/change/").content.decode()
    assert token not in client.get("/admin/api/apitoken/").content.decode()
    assert Api(client, token).get(DEVICES).status_code == 200


def test_admin_refuses_a_token_for_someone_without_a_role(client, ada, nobody):
    client.force_login(ada)
    response = client.post("/admin/api/apitoken/add/", {"name": "X", "user": nobody.pk, "scope": "read", "days": 10})
    assert response.status_code == 200 and "has no role" in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_administrators_list_and_revoke_tokens_in_the_admin(client, ada, alice, token_for):
    token = token_for(alice, name="Wiping station")
    row = ApiToken.objects.get()
    client.force_login(ada)
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert "Wiping station" in listing and row.prefix in listing
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]})
    assert ApiToken.objects.get().revoked_at is not None
    assert problem(Api(client, token).get(DEVICES), 401)["code"] == "token_revoked"


def test_tokens_cannot_be_deleted_or_edited_in_the_admin(client, ada, alice, token_for):
    token_for(alice)
    row = ApiToken.objects.get()
    client.force_login(ada)
    assert client.post(f"/admin/api/apitoken/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/api/apitoken/{row.pk}/change/", {"name": "Renamed", "scope": "write"})
    assert ApiToken.objects.get().name == "Tests" and ApiToken.objects.get().scope == "read"


def test_only_administrators_reach_the_tokens_in_the_admin(client, alice):
    client.force_login(alice)
    assert client.get("/admin/api/apitoken/").status_code in (302, 403)

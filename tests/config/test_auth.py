import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import ADMIN, COORDINATOR, DESK, IT
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_roles_exist_as_groups_with_permissions():
    for role in (IT, DESK, COORDINATOR, ADMIN):
        assert Group.objects.filter(name=role).exists()
    it = Group.objects.get(name=IT)
    assert it.permissions.filter(codename="add_sanitisationrecord").exists()
    assert not Group.objects.get(name=DESK).permissions.filter(codename="add_sanitisationrecord").exists()


def test_home_needs_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_passwords_are_hashed_with_argon2(settings):
    assert settings.PASSWORD_HASHERS  # the test fixture swaps in a fast hasher; production's list is below
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_locks_out_after_repeated_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_lock_out_the_same_user_elsewhere(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 302


def test_failed_login_rerenders_with_error_summary(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"<title>Error: Sign in" in response.content


def test_navigation_follows_roles(client, alice, dina):
    client.force_login(alice)
    it_nav = client.get("/").context["navigation"]
    client.force_login(dina)
    desk_nav = client.get("/").context["navigation"]
    assert "Admin" not in [i["label"] for i in it_nav + desk_nav]
    assert [i["label"] for i in desk_nav][0] == "Home"


def test_administrator_role_grants_admin_site_and_losing_it_removes_it(client, nobody):
    admin_group = Group.objects.get(name=ADMIN)
    nobody.groups.add(admin_group)
    nobody.refresh_from_db()
    assert nobody.is_staff
    client.force_login(nobody)
    assert client.get("/admin/").status_code == 200
    nobody.groups.remove(admin_group)
    nobody.refresh_from_db()
    assert not nobody.is_staff
    assert client.get("/admin/").status_code == 302


def test_desk_staff_cannot_reach_admin(client, dina):
    client.force_login(dina)
    assert client.get("/admin/").status_code == 302

"""Attacks on the admin by an Administrator who is not a superuser: running code through a task schedule,
making itself (or a friend) a superuser, and admin access without the role."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django_q.models import Schedule

from core.roles import ADMIN, DESK
from tests.factories import PASSWORD, make_user

OS_SYSTEM = {
    "name": "pwned",
    "func": "os.system",
    "args": "'touch /tmp/relay-pwned'",
    "schedule_type": "O",
    "repeats": "-1",
    "next_run_0": "2026-01-01",
    "next_run_1": "00:00:00",
}


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def _user_form(user: User, **changes) -> dict:
    """What the admin's change form posts for `user`, with `changes` on top."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("who", ["ada", "root"])
def test_nobody_can_schedule_os_system_from_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:django_q_schedule_add")).status_code == 403
    response = client.post(reverse("admin:django_q_schedule_add"), OS_SYSTEM)
    assert response.status_code == 403
    assert not Schedule.objects.filter(func="os.system").exists()


@pytest.mark.parametrize("who", ["ada", "root"])
def test_nobody_can_point_an_existing_schedule_at_os_system(db, client, request, who):
    schedule = Schedule.objects.get(name="Loan reminders")
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("admin:django_q_schedule_change", args=[schedule.pk]), OS_SYSTEM)
    assert response.status_code == 403
    schedule.refresh_from_db()
    assert schedule.func == "lending.tasks.send_reminders"
    # The schedules can still be seen, so an administrator knows what runs when.
    page = client.get(reverse("admin:django_q_schedule_changelist"))
    assert page.status_code == 200 and b"Loan reminders" in page.content


def test_administrator_role_keeps_only_views_of_the_task_worker(db):
    codenames = set(
        Permission.objects.filter(group__name=ADMIN, content_type__app_label="django_q").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_schedule", "view_success", "view_failure"}


def test_administrator_cannot_make_itself_superuser(client, ada):
    client.force_login(ada)
    url = reverse("admin:auth_user_change", args=[ada.pk])
    response = client.post(url, _user_form(ada, is_superuser="on"))
    assert response.status_code == 403
    ada.refresh_from_db()
    assert not ada.is_superuser


def test_administrator_cannot_make_a_desk_user_superuser_or_give_permissions(client, ada, dina):
    client.force_login(ada)
    change_user = Permission.objects.get(codename="change_user")
    url = reverse("admin:auth_user_change", args=[dina.pk])
    response = client.post(
        url, _user_form(dina, is_superuser="on", is_staff="on", user_permissions=[str(change_user.pk)])
    )
    assert response.status_code == 302  # saved: the fields an administrator may not set were not taken
    dina.refresh_from_db()
    assert not dina.is_superuser and not dina.is_staff
    assert not dina.user_permissions.exists()
    assert client.get(url).status_code == 200


def test_administrator_cannot_give_the_administrator_role(client, ada, dina):
    client.force_login(ada)
    admin_group = Group.objects.get(name=ADMIN)
    response = client.post(
        reverse("admin:auth_user_change", args=[dina.pk]), _user_form(dina, groups=[str(admin_group.pk)])
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    dina.refresh_from_db()
    assert not dina.groups.filter(name=ADMIN).exists() and not dina.is_staff


def test_administrator_can_still_give_other_roles(client, ada, alice):
    client.force_login(ada)
    desk = Group.objects.get(name=DESK)
    groups = [str(pk) for pk in alice.groups.values_list("pk", flat=True)] + [str(desk.pk)]
    response = client.post(reverse("admin:auth_user_change", args=[alice.pk]), _user_form(alice, groups=groups))
    assert response.status_code == 302
    assert alice.groups.filter(name=DESK).exists()


def test_superuser_gives_the_administrator_role_and_admin_access_follows(client, root, dina):
    client.force_login(root)
    groups = [*dina.groups.values_list("pk", flat=True), Group.objects.get(name=ADMIN).pk]
    response = client.post(
        reverse("admin:auth_user_change", args=[dina.pk]), _user_form(dina, groups=[str(g) for g in groups])
    )
    assert response.status_code == 302
    dina.refresh_from_db()
    assert dina.is_staff


def test_administrator_cannot_change_a_superuser_or_its_password(client, ada, root):
    client.force_login(ada)
    assert client.post(reverse("admin:auth_user_change", args=[root.pk]), _user_form(root)).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(password_url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_is_staff_without_the_role_is_undone_on_save(dina):
    dina.is_staff = True
    dina.save()
    dina.refresh_from_db()
    assert not dina.is_staff


def test_is_staff_set_behind_the_service_s_back_does_not_open_the_admin(client, dina):
    User.objects.filter(pk=dina.pk).update(is_staff=True)  # a raw UPDATE: no signal
    client.force_login(dina)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin's sign-in page
    dina.refresh_from_db()
    assert not dina.is_staff


def test_is_staff_is_put_right_at_sign_in(client, dina):
    User.objects.filter(pk=dina.pk).update(is_staff=True)
    client.post(reverse("login"), {"username": "dina", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    dina.refresh_from_db()
    assert not dina.is_staff


def test_is_staff_follows_the_role_from_the_group_side_too(db):
    user = make_user("gary", None)
    group = Group.objects.get(name=ADMIN)
    group.user_set.add(user)
    user.refresh_from_db()
    assert user.is_staff
    group.user_set.clear()
    user.refresh_from_db()
    assert not user.is_staff


def test_administrator_reaches_the_admin(client, ada):
    client.force_login(ada)
    assert client.get(reverse("admin:index")).status_code == 200

"""Sanitisation settings, role permissions and the read-only admin for evidence-like records."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from core.roles import ADMIN, DESK, IT
from reuse.services.certificates import certificate_issue
from reuse.services.disposal import disposal_batch_create
from tests.factories import wipe_all


def manage(*args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SANITISATION_SEPARATE_VERIFIER": "sometimes"}, "SANITISATION_SEPARATE_VERIFIER must be true or false"),
        ({"EVIDENCE_MAX_MB": "0"}, "EVIDENCE_MAX_MB must be at least 1"),
        ({"WIPE_LOG_TIME_ZONE": "Mars/Olympus"}, "WIPE_LOG_TIME_ZONE must be a time zone such as Europe/London"),
    ],
)
def test_bad_sanitisation_setting_stops_startup_with_one_line(env, message):
    result = manage("check", **env)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_defaults_are_strict():
    assert settings.SANITISATION_SEPARATE_VERIFIER is True
    assert settings.EVIDENCE_MAX_BYTES == 25 * 1024 * 1024
    assert settings.WIPE_LOG_TIME_ZONE == settings.TIME_ZONE


def perms(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_it_technicians_hold_the_new_permissions(db):
    it = perms(IT)
    assert {
        "change_sanitisationrecord",
        "change_resetchecklist",
        "add_certificate",
        "view_certificate",
        "add_disposalbatch",
        "view_disposalbatch",
    } <= it
    assert not {"delete_certificate", "delete_evidence", "delete_sanitisationrecord"} & it
    assert {"view_certificate", "view_disposalbatch"} <= perms(ADMIN)
    assert not {"view_certificate", "add_disposalbatch", "view_evidence"} & perms(DESK)


@pytest.fixture
def records(make_device, alice, bob, media_root):
    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    from reuse.services.lifecycle import device_transition

    device_transition(device=device, to_status="sanitised", actor=alice)
    certificate = certificate_issue(devices=[device], actor=alice)
    batch = disposal_batch_create(
        devices=[make_device()], method="recycled", recycler="R Ltd", waste_transfer_note="WTN-1", actor=alice
    )
    return certificate, batch


@pytest.mark.parametrize("model", ["certificate", "disposalbatch", "sanitisationrecord", "evidence"])
def test_admin_shows_evidence_records_read_only(client, ada, records, model):
    client.force_login(ada)
    listing = client.get(f"/admin/reuse/{model}/")
    assert listing.status_code == 200
    assert client.get(f"/admin/reuse/{model}/add/").status_code == 403


def test_admin_change_page_of_a_certificate_cannot_save(client, ada, records):
    certificate, batch = records
    client.force_login(ada)
    page = client.get(f"/admin/reuse/certificate/{certificate.pk}/change/")
    assert page.status_code == 200 and certificate.number in page.content.decode()
    assert certificate.token not in page.content.decode()
    response = client.post(f"/admin/reuse/disposalbatch/{batch.pk}/change/", {"recycler": "Someone else"})
    assert response.status_code == 403
    batch.refresh_from_db()
    assert batch.recycler == "R Ltd"

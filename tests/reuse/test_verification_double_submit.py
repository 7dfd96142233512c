"""Idempotent sign-offs: a verifier's double click (or a form sent again) on "confirm this wipe" or "verify
this checklist" is harmless: one sign-off, the same answer twice. Someone else after them is refused."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection

from core.errors import DomainError
from reuse.models import ResetChecklist, SanitisationRecord
from reuse.services.sanitisation import reset_checklist_verify, sanitisation_verify
from tests.factories import record_wipe
from tests.races import run_at_once


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def unverified(make_device, alice):
    device = make_device()
    return record_wipe(device, device.media.get(), operator=alice, verifier=None)


@pytest.fixture
def checklist(make_device, alice):
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    return ResetChecklist.objects.create(device=phone, cycle=phone.cycle, operator=alice, **ResetChecklist.ALL_TICKED)


def test_confirming_a_wipe_twice_signs_it_off_once(client, bob, unverified):
    client.force_login(bob)
    url = f"/devices/sanitisation/wipes/{unverified.pk}/verify/"
    first = client.post(url, {"decision": "confirm"})
    signed = SanitisationRecord.objects.get(pk=unverified.pk)
    second = client.post(url, {"decision": "confirm"})
    assert first.status_code == second.status_code == 302
    assert _messages(second)[-1] == f"You confirmed the wipe of {unverified.medium}."
    again = SanitisationRecord.objects.get(pk=unverified.pk)
    assert (again.verified_by, again.verified_at, again.verification_result) == (bob, signed.verified_at, "passed")


def test_the_other_decision_afterwards_is_refused(client, bob, unverified):
    client.force_login(bob)
    url = f"/devices/sanitisation/wipes/{unverified.pk}/verify/"
    client.post(url, {"decision": "confirm"})
    response = client.post(url, {"decision": "reject", "reason": "changed my mind"})
    assert response.status_code == 200 and "You have already verified this wipe" in response.content.decode()
    assert SanitisationRecord.objects.get(pk=unverified.pk).verification_result == "passed"


def test_someone_else_after_the_verifier_is_told_who(ada, bob, unverified):
    sanitisation_verify(record=unverified, actor=bob, confirm=True)
    with pytest.raises(DomainError, match="Bob has already verified this wipe") as refused:
        sanitisation_verify(record=unverified, actor=ada, confirm=True)
    assert refused.value.code == "already_verified"


def test_verifying_a_checklist_twice_signs_it_off_once(client, bob, checklist):
    client.force_login(bob)
    url = f"/devices/sanitisation/checklists/{checklist.pk}/verify/"
    client.post(url)
    second = client.post(url)
    assert second.status_code == 302
    assert _messages(second)[-1] == f"You verified the reset checklist of {checklist.device.asset_tag}."
    assert ResetChecklist.objects.get(pk=checklist.pk).verified_by == bob


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite" and connection.is_in_memory_db(), reason="threads need a file")
def test_two_clicks_at_the_same_moment_sign_off_once(make_device, alice, bob):
    device = make_device(media=1)
    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    checklist = ResetChecklist.objects.create(
        device=phone, cycle=phone.cycle, operator=alice, **ResetChecklist.ALL_TICKED
    )
    results = run_at_once(
        *[lambda: sanitisation_verify(record=SanitisationRecord.objects.get(pk=record.pk), actor=bob, confirm=True)]
        * 2,
        *[lambda: reset_checklist_verify(checklist=ResetChecklist.objects.get(pk=checklist.pk), actor=bob)] * 2,
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    stored = SanitisationRecord.objects.get(pk=record.pk)
    assert stored.verified_by == bob and stored.verification_result == "passed"
    assert ResetChecklist.objects.get(pk=checklist.pk).verified_by == bob

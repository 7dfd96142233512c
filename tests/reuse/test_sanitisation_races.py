"""Two people at once: one wins, the other gets a clear refusal, and the records stay consistent.

Real threads with their own connections: on PostgreSQL they meet at row locks and constraints, on
SQLite (the test database is a WAL file, as in production) they queue on the write lock.
"""

import pytest
from django.db import connection

from core.errors import DomainError
from reuse.models import Certificate, SanitisationRecord
from reuse.services.certificates import certificate_issue
from reuse.services.lifecycle import device_transition
from reuse.services.sanitisation import sanitisation_verify
from tests.factories import record_wipe, wipe_all
from tests.races import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite" and connection.is_in_memory_db(), reason="threads need a database file or server"
    ),
]


def test_two_verifiers_at_once_one_wins(make_device, alice, bob, ada):
    device = make_device()
    record = record_wipe(device, device.media.get(), operator=alice, verifier=None)
    results = run_at_once(
        lambda: sanitisation_verify(record=SanitisationRecord.objects.get(pk=record.pk), actor=bob, confirm=True),
        lambda: sanitisation_verify(
            record=SanitisationRecord.objects.get(pk=record.pk), actor=ada, confirm=False, reason="disagree"
        ),
    )
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1 and errors[0].code == "already_verified"
    winner = next(r for r in results if not isinstance(r, DomainError))
    stored = SanitisationRecord.objects.get(pk=record.pk)
    assert stored.verified_by_id == winner.verified_by.pk
    assert stored.verification_result == ("passed" if winner.verified_by == bob else "failed")


def test_two_clicks_on_issue_certificate_make_one(make_device, alice, bob, media_root, settings):
    device = make_device()
    wipe_all(device, operator=alice, verifier=bob)
    device_transition(device=device, to_status="sanitised", actor=alice)
    results = run_at_once(
        lambda: certificate_issue(devices=[device], actor=alice), lambda: certificate_issue(devices=[device], actor=bob)
    )
    assert not any(isinstance(r, DomainError) for r in results)
    assert Certificate.objects.count() == 1
    assert results[0].pk == results[1].pk

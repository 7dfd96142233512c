"""Retention that really forgets: apply_retention (and its daily task) anonymises borrowers whose last loan
closed longer ago than BORROWER_RETENTION_DAYS, keeps their loans and the custody record, records what it
did in counts, and afterwards the removed values cannot be read back from the database file."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from core.models import AccessAction, RetentionRun
from core.privacy import accesses_of
from lending.models import Borrower, Loan
from lending.services.holds import hold_place
from lending.services.loans import loan_return
from reuse.models import CustodyEvent
from reuse.services.audit import audit_verify
from tests.factories import signature_bytes

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


def _closed_long_ago(issue, device, borrower, *, branch, dina, **kwargs):
    loan = issue(device, borrower, **kwargs)
    loan_return(loan=loan, actor=dina, site=branch)
    Loan.objects.filter(pk=loan.pk).update(closed_at=LONG_AGO)
    Borrower.objects.filter(pk=borrower.pk).update(created_at=LONG_AGO)
    return loan


def _apply(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def gone(make_borrower, lendable, issue, branch, dina):
    """A borrower whose only loan, signed on screen, closed 400 days ago."""
    borrower = make_borrower(
        name="Zephyrine Quillfeather",
        card_number="20417999912345",
        email="zephyrine.q@example.com",
        phone="07700 900123",
        postcode="AN1 2AB",
        support_needs="Needs large print",
    )
    loan = _closed_long_ago(
        issue, lendable(), borrower, branch=branch, dina=dina, signature_method="drawn", signature_png=signature_bytes()
    )
    return borrower, loan


def test_a_dry_run_counts_and_changes_nothing(gone):
    borrower, _loan = gone
    assert "borrowers: 1 due" in _apply("--dry-run")
    borrower.refresh_from_db()
    assert borrower.name == "Zephyrine Quillfeather" and not borrower.is_anonymised
    assert RetentionRun.objects.get(rule="borrowers").dry_run


def test_apply_retention_anonymises_what_is_due_and_keeps_the_loans(gone, make_borrower, lendable, issue, branch, dina):
    borrower, loan = gone
    borrowing = make_borrower(name="Still Borrowing")
    issue(lendable(), borrowing)
    Borrower.objects.filter(pk=borrowing.pk).update(created_at=LONG_AGO)
    waiting = make_borrower(name="Still Waiting")
    hold_place(borrower=waiting, site=branch, device_kind="laptop", actor=dina)
    Borrower.objects.filter(pk=waiting.pk).update(created_at=LONG_AGO)
    recent = make_borrower(name="Back Last Month")
    _closed_long_ago(issue, lendable(), recent, branch=branch, dina=dina)
    Loan.objects.filter(borrower=recent).update(closed_at=timezone.now() - datetime.timedelta(days=30))
    events = CustodyEvent.objects.count()

    assert "borrowers: 1 anonymised" in _apply()

    borrower.refresh_from_db()
    assert (borrower.name, borrower.email, borrower.phone, borrower.support_needs) == (
        "Anonymised borrower",
        "",
        "",
        "",
    )
    assert borrower.card_number == f"ANON-{borrower.pk}" and borrower.postcode == "AN1" and borrower.is_anonymised
    loan.refresh_from_db()
    assert loan.signature_png is None and loan.signature_erased_at and loan.signature_method == "drawn"
    assert loan.device_id and loan.outcome == "returned"  # the loan stays
    assert CustodyEvent.objects.count() == events and audit_verify()[1] == []
    for name in ("Still Borrowing", "Still Waiting", "Back Last Month"):
        assert Borrower.objects.filter(name=name).exists()
    run = RetentionRun.objects.get(rule="borrowers")
    assert (run.rule, run.count, run.period_days, run.dry_run) == ("borrowers", 1, 365, False)
    assert accesses_of(borrower).filter(action=AccessAction.ERASE, actor=None).count() == 1
    assert "borrowers: 0 anonymised" in _apply()  # nothing twice


def test_the_retention_period_is_a_setting(gone, settings):
    settings.BORROWER_RETENTION_DAYS = 500
    assert "borrowers: 0 due" in _apply("--dry-run")


def test_retention_runs_daily_on_the_worker(gone):
    from core import tasks

    schedule = Schedule.objects.get(func="core.tasks.retention_apply")
    assert schedule.schedule_type == Schedule.DAILY
    assert tasks.retention_apply() == 1
    assert Borrower.objects.get(pk=gone[0].pk).is_anonymised


VALUES = ["Zephyrine Quillfeather", "20417999912345", "zephyrine.q@example.com", "07700 900123", "Needs large print"]


def _file_bytes() -> bytes:
    path = Path(connection.settings_dict["NAME"])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.mark.django_db(transaction=True)
def test_after_retention_nothing_removed_can_be_read_from_the_database_file(gone):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite file; PostgreSQL's VACUUM is the operator's (README)")
    _borrower, loan = gone
    # Neighbours on the same pages: a row rewritten in a full page leaves its old bytes in a freed block.
    Borrower.objects.bulk_create(
        [Borrower(card_number=f"2041788{n:07d}", name=f"Neighbour {n}", postcode="AN2 3CD") for n in range(300)]
    )
    signature = bytes(loan.signature_png)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _file_bytes()
    assert all(value.encode() in before for value in VALUES) and signature in before  # so the test can fail

    _apply()
    connection.close()

    after = _file_bytes()
    found = [value for value in VALUES if value.encode() in after]
    assert found == [] and signature not in after


def test_secure_delete_is_on_for_every_sqlite_connection(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1

from io import StringIO

from django.core.management import call_command

from lending.models import Borrower, Hold, Loan
from reuse.models import CustodyEvent, Device


def test_demo_lends_through_the_services(db):
    call_command("seed_demo", devices=200, borrowers=30, requests=0, stdout=StringIO())
    assert Borrower.objects.count() == 30
    assert Loan.objects.open().exists() and Loan.objects.filter(outcome="returned").exists()
    assert Loan.objects.overdue().exists()
    assert Hold.objects.exists()
    for loan in Loan.objects.open():
        assert loan.device.status == "on_loan"
    # Every device's status matches its custody record's last event.
    for device in Device.objects.filter(loans__isnull=False).distinct():
        assert CustodyEvent.objects.filter(device=device).order_by("-seq").first().to_status == device.status
    call_command("verify_audit", stdout=StringIO())


def test_demo_without_borrowers_makes_no_loans(db):
    call_command("seed_demo", devices=50, borrowers=0, requests=0, stdout=StringIO())
    assert not Loan.objects.exists()

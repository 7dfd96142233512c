"""Lending: the desk's scan-to-device lookup and the loan agreement PDF, with 100,000 devices stored."""

import statistics
import time
import uuid
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from lending.models import Borrower, Loan
from lending.pdf import build_loan_agreement
from lending.services.loans import loan_issue
from reuse.models import Device, Site
from reuse.services.lifecycle import device_move

DEVICES = 100_000


def timed(fn, repeat: int) -> float:
    """Median wall time of `fn` in milliseconds, after one warm-up call."""
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def run(report):
    have = Device.objects.count()
    if have < DEVICES:
        call_command("seed_demo", devices=DEVICES - have, borrowers=0, requests=0, stdout=StringIO())
    branch = Site.objects.get(code="CENTRAL")
    dina = User.objects.get(username="dina")
    borrower, _ = Borrower.objects.get_or_create(
        card_number="20417000000001", defaults={"name": "Bench Borrower", "postcode": "AN1 1AA"}
    )
    devices = list(Device.objects.lendable().filter(kind="laptop")[:2])
    for device in devices:
        device_move(device=device, site=branch, actor=dina)
    client = Client()
    client.force_login(dina)
    device = devices[0]
    url = f"http://relay.example/d/{device.asset_tag.lower()} "

    def scan():
        response = client.post(f"/desk/{branch.code}/scan/", {"scan": url})
        assert response.status_code == 302, response.status_code

    report(
        f"scan a label to the device (POST, {Device.objects.count():,} devices)", timed(scan, 50), "ms", "under 50 ms"
    )

    def desk_page():
        response = client.get(f"/desk/{branch.code}/?device={device.pk}&borrower={borrower.key}")
        assert response.status_code == 200

    report("desk page with device, borrower and agreement", timed(desk_page, 30), "ms")

    import random

    from lending.demo import signature_png

    loan = loan_issue(
        device=devices[1],
        borrower=borrower,
        site=branch,
        actor=dina,
        idempotency_key=uuid.uuid4(),
        signature_method="drawn",
        signature_png=signature_png(random.Random(1), borrower.name),
    )
    report(
        "loan agreement PDF with a drawn signature",
        timed(lambda: build_loan_agreement(loan), 10) / 1000,
        "s",
        "under 0.5 s",
    )
    assert Loan.objects.filter(pk=loan.pk).exists()

"""The desk's day: the staff home's counts, a borrower search among 10,000 borrowers, and the slips."""

import statistics
import time
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from lending.models import Borrower, Loan
from lending.pdf import build_loan_slip

BORROWERS = 10_000


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
    have = Borrower.objects.count()
    if have < BORROWERS:
        call_command("seed_demo", devices=2000, borrowers=BORROWERS - have, requests=0, stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="dina"))

    def home():
        assert client.get("/").status_code == 200

    report("staff home for desk staff (counts per branch)", timed(home, 20), "ms")

    def search():
        assert client.post("/borrowers/search/", {"q": "smith"}).status_code == 302
        assert client.get("/borrowers/search/").status_code == 200

    report(f"borrower search by name, POST + results ({Borrower.objects.count():,} borrowers)", timed(search, 20), "ms")
    loan = Loan.objects.open().first()
    report("loan slip PDF, 80 mm receipt", timed(lambda: build_loan_slip(loan, layout="receipt"), 10) / 1000, "s")
    report("loan slip PDF, A4", timed(lambda: build_loan_slip(loan, layout="a4"), 10) / 1000, "s")

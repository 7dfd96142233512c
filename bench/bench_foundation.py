"""seed_demo at scale: it must be fast enough to fill a database for the other benchmarks."""

import time
from io import StringIO

from django.core.management import call_command

from reuse.models import CustodyEvent, Device


def run(report):
    started = time.perf_counter()
    call_command("seed_demo", devices=100_000, borrowers=0, requests=0, stdout=StringIO())
    elapsed = time.perf_counter() - started
    report("seed_demo --devices 100000", elapsed, "s", "bulk inserts")
    report("devices written per second", Device.objects.count() / elapsed, "/s")
    started = time.perf_counter()
    call_command("verify_audit", stdout=StringIO())
    report(f"verify_audit over {CustodyEvent.objects.count():,} events", time.perf_counter() - started, "s")

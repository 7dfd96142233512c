"""The inventory list at 130,000 devices, side by side with the Django admin changelist of Device.

Both pages are fetched through the test Client as a signed-in administrator, with the same filter and
the same page size (the admin's 100), the median of several runs after one warm-up, and their query counts.
The target: each inventory page in at most half the admin changelist's time.
"""

import statistics
import time
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reuse.models import Device

DEVICES = 130_000
RUNS = 7
CASES = [
    (
        "ready laptops with 8 GB RAM or more",
        "/devices/?status=ready&kind=laptop&min_ram=8&per_page=100",
        "/admin/reuse/device/?status__exact=ready&kind__exact=laptop&ram_gb__gte=8",
    ),
    (
        "search “Latitude”, ready",
        "/devices/?q=Latitude&status=ready&per_page=100",
        "/admin/reuse/device/?q=Latitude&status__exact=ready",
    ),
    (
        "received, sorted by serial number descending, page 5",
        "/devices/?status=received&sort=-serial&per_page=100&page=5",
        "/admin/reuse/device/?status__exact=received&o=-5&p=4",
    ),
]


def timed(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm-up: templates, connections, caches
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, len(queries)


def run(report):
    missing = DEVICES - Device.objects.count()
    if missing > 0:
        call_command("seed_demo", devices=missing, borrowers=0, requests=0, stdout=StringIO())
    # A live database has planner statistics (autovacuum on PostgreSQL); a freshly bulk-filled one does not,
    # and without them both pages sort 20,000 rows for a page of 100 instead of walking the asset tag index.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.org", "bench-only-password"
    )
    client = Client()
    client.force_login(admin)
    report("devices in the database", Device.objects.count(), "")
    for name, ours, theirs in CASES:
        mine, mine_queries = timed(client, ours)
        admin_ms, admin_queries = timed(client, theirs)
        report(f"inventory: {name}", mine, f"ms, {mine_queries} queries", "≤ 0.5 x admin, ≤ 10 queries")
        report(f"admin changelist: {name}", admin_ms, f"ms, {admin_queries} queries")
        report(f"  inventory / admin: {name}", mine / admin_ms, "x", "≤ 0.5 x")

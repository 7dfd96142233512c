"""The depot's device page and stocktakes: the page of a device with a long history (1,000 moves, every
app's providers on its timeline, the same number of queries as a short one), and a stocktake of a site's
shelves: 1,000 tags pasted at once, and the finish that compares them with the record and moves the
devices found there but recorded elsewhere."""

import statistics
import time
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from reuse.models import Device, Site
from reuse.services.lifecycle import device_move
from reuse.services.stocktakes import stocktake_finish, stocktake_scan_many, stocktake_start

DEVICES = 5_000
MOVES = 1_000
PASTED = 1_000  # the most one paste takes (reuse.services.stocktakes.MAX_PASTE)


def timed(call, runs=10) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(report):
    if Device.objects.count() < DEVICES:
        call_command("seed_demo", devices=DEVICES, borrowers=0, requests=0, stdout=StringIO())
    alice = User.objects.get(username="alice")
    depot = Site.objects.get(code="DEPOT")
    branch = Site.objects.exclude(pk=depot.pk).filter(kind=Site.Kind.BRANCH).first()
    device = Device.objects.filter(site=depot, status="ready").first()
    client = Client()
    client.force_login(alice)
    url = device.get_absolute_url()

    def page():
        assert client.get(url).status_code == 200

    def queries() -> int:
        # Counted by a wrapper: Django empties connection.queries at the start of every request.
        count = []
        with connection.execute_wrapper(lambda execute, *args: count.append(1) or execute(*args)):
            page()
        return len(count)

    page()
    short = queries()
    for _ in range(MOVES // 2):
        device_move(device=device, site=branch, actor=alice)
        device_move(device=device, site=depot, actor=alice)
    report(f"device page, {device.events.count():,} custody events on its timeline (GET)", timed(page), "ms")
    report("  its queries, long history", queries(), f"queries (short history: {short})")

    here = list(
        Device.objects.filter(site=depot)
        .exclude(status__in=["on_loan", "lost", "gifted", "recycled", "destroyed"])
        .values_list("asset_tag", flat=True)[: PASTED - 100]
    )
    elsewhere = list(
        Device.objects.exclude(site=depot).filter(status="ready").values_list("asset_tag", flat=True)[:100]
    )
    stocktake = stocktake_start(site=depot, actor=alice)
    text = "\n".join(here + elsewhere)
    started = time.perf_counter()
    stocktake_scan_many(stocktake=stocktake, actor=alice, text=text)
    report(f"stocktake: {len(here) + len(elsewhere):,} tags pasted at once", time.perf_counter() - started, "s")
    started = time.perf_counter()
    stocktake_finish(stocktake=stocktake, actor=alice)
    report(
        f"  its finish ({len(elsewhere)} devices moved, {stocktake.missing.count():,} missing)",
        time.perf_counter() - started,
        "s",
    )

"""The worst cases the security review found, before and after: nwipe logs built to make the Drive Status
pattern backtrack (a 17.5 KB log, a 48 KB row), and a 19 MB CSV preview, which re-parsed the whole file on
every view and now reads the plan stored at upload.

"Before" runs the old pattern (kept here, verbatim) on the 17.5 KB log only: the 48 KB row took the
reviewer 94 s and is not re-run. The CSV's "before" is what every preview view used to do (parse and
check the whole file); "after" is one preview view reading the stored summary.
"""

import contextlib
import re
import statistics
import time
import tracemalloc

from django.contrib.auth.models import User
from django.test import Client

from core.roles import IT
from reuse.intake.plan import plan_import
from reuse.models import DeviceImport, Site
from reuse.nwipe import NwipeLogError, parse_nwipe_log
from reuse.services.intake import upload_store
from tests.factories import make_user
from tests.reuse.intake_support import native_csv
from tests.reuse.nwipe_support import FIXTURE

OLD_STATUS_ROW = re.compile(r"^([! ])\s*(\S+) \|\s*(.+?)\s*\|\s*(.*?) \| (\d+):(\d\d):(\d\d) \| (.*)$")
SDA_ROW = "       sda | Erased |  80 MB/s | 02:13:09 | WDC WD3200LPVX-6/WD-WXC1A14S2591"
CSV_ROWS = 50_000  # the most a file may hold (reuse.intake.reader.MAX_ROWS)


def _log_with_row(row: str) -> str:
    return FIXTURE.read_text().replace(SDA_ROW, row)


def _seconds(call, runs=5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _parse(text):
    with contextlib.suppress(NwipeLogError):
        parse_nwipe_log(text)


def _big_csv() -> bytes:
    notes = "Returned from the Housing office after the refresh; charger and bag included, screen has light scratches. "
    rows = [
        {
            "kind": "laptop",
            "make": "Dell",
            "model": "Latitude 5490",
            "serial": f"TRUST{n:07d}",
            "council_asset_number": f"TR{n:07d}",
            "cpu": "Intel Core i5-8350U",
            "ram_gb": "8",
            "storage_gb": "256",
            "storage_type": "ssd",
            "os_name": "Windows",
            "os_version": "11 Pro",
            "grade": "B",
            "source_department": "Housing",
            "received_at": "14/03/2025",
            "notes": notes * 2 + "Label checked at intake.",
            "drive1_kind": "ssd",
            "drive1_serial": f"TRD{n:07d}",
            "drive1_capacity_gb": "256",
        }
        for n in range(CSV_ROWS)
    ]
    return native_csv(rows)


def _peak_mb(call) -> float:
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def run(report):
    row_17k = "  sda | Erased |" + " " * (17_500 - len(FIXTURE.read_text()) + len(SDA_ROW)) + "x"
    log_17k = _log_with_row(row_17k)
    started = time.perf_counter()
    OLD_STATUS_ROW.match(row_17k.rstrip())
    took = time.perf_counter() - started
    report(f"nwipe: {len(log_17k) / 1000:.1f} KB log with one long Drive Status row, old pattern", took, "s")
    report("  the same log, parsed now", _seconds(lambda: _parse(log_17k)) * 1000, "ms")
    log_48k = _log_with_row("  sda | Erased |" + " " * 48_000 + "x")
    report(
        "nwipe: 48 KB Drive Status row, parsed now (the review: 94 s)", _seconds(lambda: _parse(log_48k)) * 1000, "ms"
    )

    data = _big_csv()
    site, _ = Site.objects.get_or_create(code="DEPOT", defaults={"name": "Civic Centre IT Depot", "kind": "depot"})
    user = User.objects.filter(username="trust-bench").first() or make_user("trust-bench", IT, [site])
    size = f"{len(data) / 1024 / 1024:.0f} MB CSV ({CSV_ROWS:,} rows)"
    report(
        f"{size}: what every preview view used to do (parse and check it)",
        _seconds(lambda: plan_import(data), runs=1),
        "s",
    )
    report("  its peak memory (Python objects, tracemalloc)", _peak_mb(lambda: plan_import(data)), "MB")
    started = time.perf_counter()
    record = upload_store(actor=user, site=site, file_name="big.csv", content=data, date_format="uk", lot="")
    report("  upload: parsed once, plan stored", time.perf_counter() - started, "s")
    client = Client()
    client.force_login(user)
    url = f"/devices/intake/{record.token}/"
    assert client.get(url).status_code == 200
    report("  a preview view now (reads the stored summary)", _seconds(lambda: client.get(url)) * 1000, "ms")
    report("  its peak memory now", _peak_mb(lambda: client.get(url)), "MB")
    DeviceImport.objects.filter(pk=record.pk).delete()

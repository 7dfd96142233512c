"""`import_devices` of 10,000 template rows against a bare `Device.objects.bulk_create` of the same devices.

The import also checks every row, looks for the serials and asset numbers already in Relay, allocates
asset tags, and writes each device's drive and first custody event; the target is under 3x the bare insert.
"""

import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from reuse.models import Device, Site
from tests.reuse.intake_support import native_csv

ROWS = 10_000
RUNS = 3
MODELS = [
    ("laptop", "Dell", "Latitude 5490", "Intel Core i5-8350U", "8", "256", "ssd"),
    ("laptop", "Lenovo", "ThinkPad T480", "Intel Core i5-8250U", "16", "512", "nvme"),
    ("desktop", "HP", "EliteDesk 800 G4", "Intel Core i5-8500", "8", "500", "hdd"),
]


def rows(run: int) -> list[dict]:
    out = []
    for n in range(ROWS):
        kind, make, model, cpu, ram, storage, stype = MODELS[n % len(MODELS)]
        out.append(
            {
                "kind": kind,
                "make": make,
                "model": model,
                "serial": f"B{run}SN{n:06d}",
                "council_asset_number": f"B{run}IT{n:06d}",
                "cpu": cpu,
                "ram_gb": ram,
                "storage_gb": storage,
                "storage_type": stype,
                "os_name": "Windows",
                "os_version": "11 Pro",
                "grade": "B",
                "source_department": "Housing",
                "lot": f"BENCH-{run}",
                "received_at": "14/03/2025",
                "drive1_kind": stype,
                "drive1_serial": f"B{run}D{n:06d}",
                "drive1_capacity_gb": storage,
            }
        )
    return out


def bare_devices(run: int, site: Site) -> list[Device]:
    received = timezone.now()
    return [
        Device(
            asset_tag=f"BARE-{run}{n:06d}",
            kind=r["kind"],
            make=r["make"],
            model=r["model"],
            serial=f"BARE{r['serial']}",
            council_asset_number=r["council_asset_number"],
            cpu=r["cpu"],
            ram_gb=int(r["ram_gb"]),
            storage_gb=int(r["storage_gb"]),
            storage_type=r["storage_type"],
            os_name=r["os_name"],
            os_version=r["os_version"],
            grade=r["grade"],
            source_department=r["source_department"],
            lot=r["lot"],
            received_at=received,
            site=site,
        )
        for n, r in enumerate(rows(run))
    ]


def run(report):
    site, _ = Site.objects.get_or_create(code="DEPOT", defaults={"name": "Civic Centre IT Depot", "kind": "depot"})
    imports, bares = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(RUNS):
            path = Path(tmp) / f"bench-{attempt}.csv"
            path.write_bytes(native_csv(rows(attempt)))
            started = time.perf_counter()
            call_command("import_devices", str(path), "--site", site.code, stdout=StringIO())
            imports.append(time.perf_counter() - started)

            devices = bare_devices(attempt, site)
            started = time.perf_counter()
            with transaction.atomic():
                Device.objects.bulk_create(devices, batch_size=1000)
            bares.append(time.perf_counter() - started)
    Device.objects.filter(asset_tag__startswith="BARE-").delete()
    imported, bare = statistics.median(imports), statistics.median(bares)
    report(f"import_devices, {ROWS:,} rows (with a drive and a custody event each)", imported, "s")
    report(f"bare Device.objects.bulk_create of the same {ROWS:,}", bare, "s")
    report("import / bare bulk_create", imported / bare, "x", "under 3x")

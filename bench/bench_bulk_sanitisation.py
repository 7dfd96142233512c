"""A batch of 200 laptops through the bulk paths: 200 nwipe logs in one upload, 200 wipes confirmed at once."""

import tempfile
import time
from io import StringIO

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from reuse.models import SanitisationRecord, Site, StorageMedium
from reuse.services.devices import device_register
from reuse.services.sanitisation import sanitisation_confirm_many
from reuse.services.wipelog import wipe_logs_import
from tests.reuse.nwipe_support import one_drive_log

BATCH = 200


def _laptops(actor, site, first: int) -> list[tuple[str, bytes]]:
    logs = []
    for n in range(first, first + BATCH):
        serial, drive = f"B{n:06d}", f"NS8BN0638{n:06d}BD"
        device = device_register(actor=actor, site=site, kind="laptop", make="Dell", model="Vostro 5581", serial=serial)
        StorageMedium.objects.create(device=device, kind="nvme", serial=drive, capacity_gb=256)
        logs.append((f"{serial}.log", one_drive_log(system_serial=serial, drive_serial=drive, n=n)))
    return logs


def run(report):
    if not User.objects.filter(username="alice").exists():
        from django.core.management import call_command

        call_command("seed_demo", devices=50, borrowers=0, requests=0, stdout=StringIO())
    alice, bob = User.objects.get(username="alice"), User.objects.get(username="bob")
    site = Site.objects.get(code="DEPOT")
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        logs = _laptops(alice, site, 1)
        started = time.perf_counter()
        outcomes = wipe_logs_import(files=logs, actor=alice)
        elapsed = time.perf_counter() - started
        assert all(o.result for o in outcomes)
        report(f"{BATCH} nwipe logs imported in one call (wipe_logs_import)", elapsed, "s")
        report("  per log", elapsed / BATCH * 1000, "ms")

        records = list(
            SanitisationRecord.objects.filter(evidence__in=[o.result.evidence for o in outcomes]).select_related(
                "device", "medium"
            )
        )
        started = time.perf_counter()
        outcome = sanitisation_confirm_many(records=records, actor=bob)
        elapsed = time.perf_counter() - started
        assert len(outcome.confirmed) == len(records) == BATCH
        report(f"{len(records)} wipes confirmed in one call (sanitisation_confirm_many)", elapsed, "s")

        # The same upload through the page, as a browser sends it (one multipart POST).
        client = Client()
        client.force_login(alice)
        files = [SimpleUploadedFile(name, content) for name, content in _laptops(alice, site, BATCH + 1)]
        started = time.perf_counter()
        response = client.post("/devices/sanitisation/import/", {"log": files})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and response.context["imported"] == BATCH
        report(f"upload page: POST of {BATCH} logs to the summary page", elapsed, "s", "< 30 s")

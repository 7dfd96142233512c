"""Certificates of sanitisation (one device, a batch of 200) and nwipe log parse + import."""

import io
import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from reuse.models import Device, DeviceStatus
from reuse.nwipe import parse_nwipe_log
from reuse.services.certificates import certificate_issue, certificate_pdf
from reuse.services.devices import device_register
from reuse.services.wipelog import wipe_log_import

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
BATCH = 200


def _wiped(count: int) -> list[Device]:
    devices = list(Device.objects.filter(status=DeviceStatus.READY, sanitised_cycle=1).order_by("asset_tag")[:count])
    if len(devices) < count:
        call_command("seed_demo", devices=count * 3, borrowers=0, requests=0, stdout=StringIO())
        devices = list(
            Device.objects.filter(status=DeviceStatus.READY, sanitised_cycle=1).order_by("asset_tag")[:count]
        )
    return devices


def _timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(report):
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        devices = _wiped(BATCH)
        alice = User.objects.get(username="alice")

        one = certificate_issue(devices=devices[:1], actor=alice)
        report("certificate PDF, one device (median of 5)", _timed(lambda: certificate_pdf(one), 5), "s", "< 1 s")
        batch = certificate_issue(devices=devices, actor=alice)
        pdf = b""

        def render_batch():
            nonlocal pdf
            pdf = certificate_pdf(batch)

        report(f"certificate PDF, batch of {len(devices)} devices", _timed(render_batch, 1), "s", "background task")
        report("  pages in that PDF", len(PdfReader(io.BytesIO(pdf)).pages), "pages")

        text = FIXTURE.read_text()
        report("nwipe log parse (median of 200)", _timed(lambda: parse_nwipe_log(text), 200) * 1000, "ms")
        site = devices[0].site
        imports = []
        for n in range(20):
            serial = f"BENCH{n:04d}"
            content = (
                text.replace("3FBJ6P2", serial)
                .replace("WD-WXC1A14S2591", f"WD-{serial}")
                .replace("NS8BN06381120BD03", f"NS-{serial}")
            ).encode()
            device_register(actor=alice, site=site, kind="laptop", make="Dell", model="Vostro 5581", serial=serial)
            started = time.perf_counter()
            wipe_log_import(content=content, filename=f"{serial}.log", actor=alice)
            imports.append(time.perf_counter() - started)
        report("nwipe log parse + match + import, 2 drives (median of 20)", statistics.median(imports) * 1000, "ms")

"""Issue 3's "Done when", in Chromium: a CSV of decommissioned laptops becomes certified, sanitised devices.

alice registers them from a native-template CSV, then uploads every laptop's nwipe log in one go; bob,
the second technician, confirms every wipe from the queue (page by page); from the inventory, filtered
to that intake, the whole lot becomes one sanitisation batch, is marked sanitised and certified, and
the certificate PDF names every tag. With 200 laptops the walk takes about 25 s on two cores, so the
browser suite walks the whole 200 (no smaller stand-in needed).
"""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reuse.models import Certificate, CustodyEvent, Device, DeviceImport, SanitisationRecord
from tests.e2e.browser import assert_accessible, sign_in
from tests.reuse.intake_support import laptop, native_csv
from tests.reuse.nwipe_support import laptop_serials, one_drive_log

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOPS = 200


@pytest.fixture(autouse=True)
def _media(media_root, settings, live_server):
    settings.SITE_URL = live_server.url
    return media_root


def decommissioned(count: int) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The asset register's CSV of `count` Vostro laptops (one NVMe drive each) and the nwipe log of each."""
    rows, logs = [], []
    for n in range(1, count + 1):
        serial, drive = laptop_serials(n)
        rows.append(
            laptop(
                n,
                model="Vostro 5581",
                serial=serial,
                storage_type="nvme",
                drive1_kind="nvme",
                drive1_serial=drive,
                drive1_capacity_gb="256",
            )
        )
        logs.append((f"nwipe_log_{serial}.txt", one_drive_log(system_serial=serial, drive_serial=drive, n=n)))
    return native_csv(rows), logs


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_csv_of_laptops_to_certified_sanitised_devices_in_the_browser(page, alice, bob, depot, tmp_path):
    page.set_default_timeout(120_000)  # one request imports every log; another renders the certificate
    started = time.perf_counter()
    csv_bytes, logs = decommissioned(LAPTOPS)
    path = tmp_path / "decommissioned-laptops.csv"
    path.write_bytes(csv_bytes)

    sign_in(page, "alice")
    page.goto("/devices/intake/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name=f"Import {LAPTOPS} devices at Civic Centre IT Depot").click()
    page.wait_for_url("**/devices/?intake=*")
    intake = DeviceImport.objects.get()
    assert Device.objects.filter(status="received").count() == LAPTOPS

    page.goto("/devices/sanitisation/import/")
    page.get_by_label("nwipe or ShredOS logs").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": content} for name, content in logs]
    )
    page.get_by_role("button", name="Import logs").click()
    expect(page.get_by_role("heading", name=f"{LAPTOPS} of {LAPTOPS} wipe logs imported")).to_be_visible()
    assert page.locator("tbody tr").count() == LAPTOPS
    assert_accessible(page, "bulk-wipe-log-summary")
    assert SanitisationRecord.objects.filter(operator=alice, verified_by=None).count() == LAPTOPS
    sign_out(page)

    sign_in(page, "bob")
    page.goto("/devices/sanitisation/")
    assert_accessible(page, "bulk-verification-queue")
    rounds = 0
    while page.locator('input[name="record"]').count():
        rounds += 1
        page.get_by_label("Select every wipe listed").check()
        page.get_by_role("button", name="Confirm selected").click()
        page.wait_for_load_state()
        assert "You confirmed" in page.locator(".govuk-notification-banner--success").inner_text()
        assert rounds <= LAPTOPS  # each round confirms at least one wipe, or this would never end
    assert SanitisationRecord.objects.filter(verified_by=bob).count() == LAPTOPS

    page.goto(f"/devices/?intake={intake.pk}&per_page=200")
    expect(page.get_by_role("heading", name=f"{LAPTOPS} devices")).to_be_visible()
    page.get_by_label("Select every device on this page").check()
    page.get_by_role("button", name="Start a sanitisation batch").click()
    expect(page.get_by_text(f"{LAPTOPS} ready to be marked sanitised")).to_be_visible()
    page.get_by_role("button", name="Mark ticked devices sanitised").click()
    assert f"{LAPTOPS} devices marked sanitised" in page.locator(".govuk-notification-banner").first.inner_text()
    page.get_by_role("button", name=f"Issue one certificate for the {LAPTOPS} sanitised devices").click()
    expect(page.get_by_role("heading", name="RLY-SC-000001")).to_be_visible()
    certificate = Certificate.objects.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download_info.value.path()).pages)
    elapsed = time.perf_counter() - started

    devices = list(Device.objects.order_by("asset_tag"))
    assert len(devices) == LAPTOPS and {d.status for d in devices} == {"sanitised"}
    assert all(d.asset_tag in text for d in devices)
    assert CustodyEvent.objects.filter(to_status="sanitised", from_status="received", actor=bob).count() == LAPTOPS
    assert certificate.entries.count() == LAPTOPS
    Path(download_info.value.path()).unlink()
    print(f"\nDone-when walk with {LAPTOPS} laptops in Chromium: {elapsed:.1f} s")

"""In the browser: a technician records a wipe for each drive, a second one verifies, the device is marked
sanitised and its certificate downloads. axe runs on every page this part of Relay adds."""

import datetime
import hashlib
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from reuse.models import Certificate, Device, Evidence, SanitisationRecord
from tests.e2e.browser import assert_accessible, sign_in
from tests.factories import record_wipe, wipe_all

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "nwipe" / "shredos-dell-vostro-5581.log"
LOG = b"[2026/01/24 13:35:06]  notice: nwipe 0.35 wipe of one drive, kept as evidence\n"


@pytest.fixture(autouse=True)
def _media(media_root, settings, live_server):
    settings.SITE_URL = live_server.url
    return media_root


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def record_wipe_in_browser(page, device, medium, evidence: bytes):
    page.goto(device.get_absolute_url())
    page.get_by_role("link", name=f"Record wipe of {medium}").click()
    expect(page.get_by_role("heading", name="Record a wipe")).to_be_visible()
    now = timezone.localtime()
    page.get_by_label("Clear", exact=True).check()
    page.get_by_label("Technique").select_option("overwrite")
    page.get_by_label("Tool", exact=True).fill("nwipe")
    page.get_by_label("Tool version (optional)").fill("0.35")
    page.get_by_label("Started").fill((now - datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Finished").fill((now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_result").check()
    page.get_by_label("Verification method").fill("nwipe read back the last pass")
    page.locator("#id_verification_result").check()
    page.get_by_label("Tool report (optional)").set_input_files(
        files=[{"name": f"nwipe-{medium.serial}.log", "mimeType": "text/plain", "buffer": evidence}]
    )
    assert_accessible(page, "sanitisation-record-wipe")
    page.get_by_role("button", name="Record wipe").click()
    page.wait_for_load_state()
    assert "A second technician must now verify it" in page.locator(".govuk-notification-banner").inner_text()


def test_wipe_each_drive_verify_mark_sanitised_and_download_the_certificate(page, make_device, alice, bob):
    device = make_device(media=2, serial="5CG0412ABC")
    media = list(device.media.all())

    sign_in(page, "alice")
    for medium in media:
        record_wipe_in_browser(page, device, medium, LOG + medium.serial.encode())
    assert page.locator(".govuk-tag", has_text="Awaiting verification").count() == 2
    assert_accessible(page, "sanitisation-device-awaiting-verification")
    sign_out(page)

    sign_in(page, "bob")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sanitisation").click()
    assert_accessible(page, "sanitisation-home")
    for medium in media:
        page.get_by_role("link", name=f"Verify the wipe of {medium} on {device.asset_tag}").click()
        download_evidence_and_check_it(page, medium)
        page.get_by_label("I have checked this wipe and its evidence: confirm it").check()
        assert_accessible(page, "sanitisation-verify")
        page.get_by_role("button", name="Save my check").click()
        page.wait_for_load_state()
        page.goto("/devices/sanitisation/")
    assert SanitisationRecord.objects.filter(verified_by=bob).count() == 2

    page.goto(device.get_absolute_url())
    assert page.locator(".govuk-tag", has_text="Wiped and verified").count() == 2
    page.get_by_label("Sanitised", exact=True).check()
    page.get_by_label("Reason (optional)").fill("Both drives wiped and verified")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_load_state()
    assert f"{device.asset_tag} is now sanitised" in page.locator(".govuk-notification-banner").inner_text()
    assert Device.objects.get(pk=device.pk).status == "sanitised"
    assert_accessible(page, "sanitisation-device-sanitised")

    page.get_by_role("button", name="Certificate for this wipe").click()
    page.wait_for_load_state()
    certificate = Certificate.objects.get()
    expect(page.get_by_role("heading", name=certificate.number)).to_be_visible()
    assert_accessible(page, "sanitisation-certificate")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    pdf = Path(download.path()).read_bytes()
    text = PdfReader(download.path()).pages[0].extract_text()
    assert device.asset_tag in text and "5CG0412ABC" in text and all(m.serial in text for m in media)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=4).to_pil()
    verify_url = [r.text for r in zxingcpp.read_barcodes(image)][0]
    assert verify_url == certificate.verify_url

    sign_out(page)
    page.goto(verify_url)
    expect(page.get_by_role("heading", name=f"Certificate {certificate.number} is genuine")).to_be_visible()
    assert "Alice" not in page.content() and "5CG0412ABC" not in page.content()
    assert_accessible(page, "sanitisation-verify-public")


def download_evidence_and_check_it(page, medium):
    evidence = Evidence.objects.get(records__medium=medium)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=evidence.original_name).click()
    body = Path(download_info.value.path()).read_bytes()
    assert hashlib.sha256(body).hexdigest() == evidence.sha256


def test_gate_problems_shown_when_marking_too_early(page, make_device, alice, bob):
    device = make_device(media=2)
    record_wipe(device, device.media.first(), operator=alice, verifier=bob)
    sign_in(page, "alice")
    page.goto(device.get_absolute_url())
    page.get_by_label("Sanitised", exact=True).check()
    page.get_by_role("button", name="Change status").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert f"No passing, verified wipe for {device.media.last()}." in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "sanitisation-transition-error")


def test_import_batch_and_disposal_pages_are_accessible(page, make_device, alice, bob):
    vostro = make_device(make="Dell", model="Vostro 5581", serial="3FBJ6P2", media=0, lot="LOT-E2E")
    ready = make_device(lot="LOT-E2E")
    wipe_all(ready, operator=alice, verifier=bob)
    sign_in(page, "alice")

    page.goto("/devices/sanitisation/import/")
    page.get_by_label("nwipe or ShredOS log").set_input_files(
        files=[{"name": "partial.log", "mimeType": "text/plain", "buffer": FIXTURE.read_bytes()[:3000]}]
    )
    page.get_by_role("button", name="Import log").click()
    assert "the log is partial" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "sanitisation-import-error")
    page.get_by_label("nwipe or ShredOS log").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Import log").click()
    page.wait_for_load_state()
    assert page.url.endswith(vostro.get_absolute_url())
    assert SanitisationRecord.objects.filter(device=vostro).count() == 2

    page.goto("/devices/sanitisation/batch/?lot=LOT-E2E")
    assert_accessible(page, "sanitisation-batch")
    page.get_by_role("button", name="Mark ticked devices sanitised").click()
    page.wait_for_load_state()
    assert "1 device marked sanitised" in page.locator(".govuk-notification-banner").first.inner_text()
    assert Device.objects.get(pk=ready.pk).status == "sanitised"

    page.goto(f"/devices/{vostro.asset_tag}/drives/add/")
    assert_accessible(page, "sanitisation-add-drive")
    page.goto(f"/devices/{vostro.asset_tag}/drives/{vostro.media.first().pk}/remove/")
    assert_accessible(page, "sanitisation-remove-drive")
    phone = make_device(kind="phone", media=0, imei="356938035643809")
    page.goto(f"/devices/{phone.asset_tag}/reset-checklist/")
    page.get_by_label("factory reset done").check()
    page.get_by_role("button", name="Record checklist").click()
    page.wait_for_load_state()
    assert "Still to do: encryption was on before the reset" in page.content()
    assert_accessible(page, "sanitisation-phone-checklist")

    page.goto("/devices/disposal/new/")
    page.get_by_label("Recycle", exact=True).check()
    page.get_by_label("Recycler").fill("Anytown Electronics Recycling Ltd")
    page.get_by_label("Waste transfer note reference").fill("WTN-2026-0042")
    page.get_by_label("Asset tags").fill(f"{ready.asset_tag}\nRLY-999999")
    page.get_by_role("button", name="Dispose of these devices").click()
    assert "No device has the tag RLY-999999" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "disposal-new-error")
    page.get_by_label("Asset tags").fill(ready.asset_tag)
    page.get_by_role("button", name="Dispose of these devices").click()
    page.wait_for_load_state()
    assert Device.objects.get(pk=ready.pk).status == "recycled"
    assert_accessible(page, "disposal-detail")
    page.goto("/devices/disposal/")
    assert_accessible(page, "disposal-list")

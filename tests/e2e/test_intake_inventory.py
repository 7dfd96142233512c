"""In Chromium: a CSV goes in through the preview, the devices show up in the inventory, and every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from reuse.models import Device
from tests.e2e.browser import assert_accessible, sign_in
from tests.reuse.intake_support import FIXTURES, laptop, native_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm_then_find_and_filter_the_devices(page, alice, depot, branch, tmp_path):
    rows = [laptop(n) for n in range(1, 4)] + [
        {"kind": "phone", "make": "Samsung", "model": "Galaxy A52", "imei": "490154203237518"}
    ]
    path = tmp_path / "returned-kit.csv"
    path.write_bytes(native_csv(rows))
    sign_in(page, "alice")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Intake").click()
    assert_accessible(page, "intake-upload")

    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    assert page.locator("tbody tr").count() == 4
    assert_accessible(page, "intake-preview")

    page.get_by_role("button", name="Import 4 devices at Civic Centre IT Depot").click()
    assert "Imported 4 devices from returned-kit.csv" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("tbody tr").count() == 4
    assert_accessible(page, "inventory-after-import")

    page.get_by_role("link", name="Show all devices").click()
    page.get_by_text("More filters").click()
    page.get_by_label("Type").select_option("phone")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 device")).to_be_visible()
    assert "Samsung Galaxy A52" in page.locator("tbody tr").inner_text()
    assert "?kind=phone&per_page=25" in page.url  # empty filters are dropped from the address
    assert_accessible(page, "inventory-filtered")

    page.get_by_label("Type").select_option("laptop")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="RAM").click()  # sort
    page.locator("tbody tr").first.get_by_role("checkbox").check()
    page.locator("tbody tr").nth(1).get_by_role("checkbox").check()
    page.get_by_label("Site to move them to").select_option(label="Central Library (CENTRAL)")
    page.get_by_role("button", name="Move to site").click()
    assert "Moved 2 devices to Central Library" in page.locator(".govuk-notification-banner").inner_text()
    assert Device.objects.filter(site=branch).count() == 2


def test_a_broken_snipe_it_export_shows_every_problem_accessibly(page, alice, depot):
    sign_in(page, "alice")
    page.goto("/devices/intake/")
    page.get_by_label("CSV file").set_input_files(str(FIXTURES / "assets-sample-BAD.csv"))
    page.get_by_label("US: month/day/year").check()
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    assert "224 problems to fix" in summary.inner_text()
    assert "Line 1, column Category (M)" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert page.get_by_role("button", name=re.compile(r"^Import \d")).count() == 0
    page.set_default_timeout(30_000)  # a long page to screenshot: 200 rows, each with its problems
    assert_accessible(page, "intake-preview-errors")


def test_register_one_laptop_by_hand(page, alice, depot):
    sign_in(page, "alice")
    page.goto("/devices/add/")
    assert_accessible(page, "device-add")
    page.get_by_label("Laptop").check()
    page.get_by_label("Make", exact=True).fill("Lenovo")
    page.get_by_label("Model", exact=True).fill("ThinkPad T480")
    serial = page.get_by_label("Serial number").first
    serial.fill("PF1ABCDE")
    serial.press("Enter")  # a barcode scanner's Enter moves on instead of sending the form
    assert page.url.endswith("/devices/add/")
    page.get_by_role("button", name="Register device").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert "needs at least one drive" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "device-add-errors")
    page.locator("#id_media-0-kind").select_option("ssd")
    page.locator("#id_media-0-serial").fill("S4DX123")
    page.get_by_role("button", name="Register device").click()
    page.wait_for_url("**/devices/RLY-*/")  # the click returns before the server has answered
    device = Device.objects.get()
    expect(page.get_by_role("heading", name=device.asset_tag)).to_be_visible()
    assert (device.serial, device.media.get().serial) == ("PF1ABCDE", "S4DX123")

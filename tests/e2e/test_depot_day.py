"""In the browser, a day at the depot: edit a device's site and see the move on its timeline, correct a
status changed by mistake, count a shelf (one device missing, one recorded elsewhere), and the device page
fits a 390 px phone. axe runs on every page this part of Relay adds."""

import pytest
from playwright.sync_api import expect

from reuse.models import DeviceStatus, Stocktake
from reuse.services.lifecycle import device_move
from tests.e2e.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_edit_the_site_and_the_timeline_shows_the_move(page, alice, ready_device, branch):
    device = ready_device(serial="SN-E2E-1", ram_gb=8)
    sign_in(page, "alice")
    page.goto(device.get_absolute_url())
    page.get_by_role("link", name=f"Edit the details of {device.asset_tag}").click()
    page.get_by_label("Make").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the make")
    assert_accessible(page, "depot-edit-error")
    page.get_by_label("Make").fill("Dell")
    page.get_by_label("Where is it now?").select_option(label=f"{branch.name} ({branch.code})")
    page.get_by_label("Reason for the change").fill("Sent to the branch")
    page.get_by_role("button", name="Save changes").click()
    history = page.locator(".relay-timeline")
    expect(history.locator("li").first).to_contain_text(f"Moved from Civic Centre IT Depot to {branch.name}")
    expect(history).not_to_contain_text("Ready for reuse → Ready for reuse")
    expect(history).to_contain_text("Wiped:")
    assert_accessible(page, "depot-device-timeline")


def test_correct_a_status_changed_by_mistake(page, alice, ready_device):
    device = ready_device()
    sign_in(page, "alice")
    page.goto(device.get_absolute_url())
    page.get_by_role("link", name=f"Correct the last status change of {device.asset_tag}").click()
    page.get_by_role("button", name="Put it back to sanitised").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the status change was a mistake")
    assert_accessible(page, "depot-correct-error")
    page.get_by_label("Why was it a mistake?").fill("The screen is cracked")
    page.get_by_role("button", name="Put it back to sanitised").click()
    expect(page.locator(".relay-timeline li").first).to_contain_text(
        "Corrected: back from ready for reuse to sanitised"
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.SANITISED


def test_a_stocktake_with_one_missing_and_one_elsewhere(page, alice, ready_device, depot, branch):
    found, missing, away = ready_device(), ready_device(), ready_device()
    device_move(device=away, site=branch, actor=alice)
    sign_in(page, "alice")
    page.goto("/devices/stocktakes/")
    page.get_by_label("Site").select_option(label=f"{depot.name} ({depot.code})")
    page.get_by_label("Shelf or location").fill("Store room B")
    page.get_by_role("button", name="Start a stocktake").click()
    box = page.get_by_label("Scan a label or type its asset tag")
    box.fill(found.label_url)
    page.get_by_role("button", name="Record scan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{found.asset_tag} is here")
    expect(page.get_by_text("Scanned 1; 1 expected here not scanned yet")).to_be_visible()
    page.get_by_label("Or paste many asset tags").fill(f"{away.asset_tag}\nRLY-777777")
    page.get_by_role("button", name="Record these tags").click()
    assert_accessible(page, "depot-stocktake-scanning")
    page.get_by_role("button", name="Finish the stocktake").click()
    expect(page.locator("[data-section=missing]")).to_contain_text(missing.asset_tag)
    expect(page.locator("[data-section=elsewhere]")).to_contain_text(away.asset_tag)
    expect(page.locator("[data-section=unknown]")).to_contain_text("RLY-777777")
    assert_accessible(page, "depot-stocktake-report")
    away.refresh_from_db()
    assert away.site == depot and Stocktake.objects.get().is_finished


def test_the_device_page_fits_a_phone(browser, live_server, alice, make_device):
    device = make_device(media=2, serial="SN-A-VERY-LONG-SERIAL-NUMBER-0123456789", ram_gb=8)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, "alice")
        medium = device.media.first()
        pages = [
            device.get_absolute_url(),
            "/devices/",
            "/devices/add/",
            "/devices/intake/",
            "/devices/sanitisation/",
            f"/devices/{device.asset_tag}/drives/{medium.pk}/wipe/",
            f"/devices/{device.asset_tag}/drives/add/",
            "/devices/stocktakes/",
            f"/devices/{device.asset_tag}/edit/",
        ]
        too_wide = []
        for url in pages:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide.append(f"{url} is {width} px wide")
                page.screenshot(path=f"test-artifacts/too-wide-{len(too_wide)}.png", full_page=True)
        assert too_wide == []
        page.goto(device.get_absolute_url())
        # The drives' actions are on the screen, not cut off to the right.
        for link in (
            page.get_by_role("link", name="Mark removed").all() + page.get_by_role("link", name="Record wipe").all()
        ):
            link.scroll_into_view_if_needed()
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert_accessible(page, "depot-device-390")
    finally:
        context.close()

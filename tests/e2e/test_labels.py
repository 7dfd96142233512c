"""An administrator adds a label size, prints a calibration page, then a batch of labels that scan."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reuse.labels.seed import seed_label_templates
from reuse.models import Device, LabelJob, LabelTemplate
from tests.e2e.browser import assert_accessible, sign_in
from tests.factories import received_devices as make_received
from tests.reuse.labelcheck import assert_codes_in_cells, pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_SIZE = {  # Avery L7161: 18 a sheet, 63.5 x 46.6 mm, centred on A4
    "code": "l7161",
    "name": "Avery L7161 (18 per sheet, 63.5 x 46.6 mm)",
    "page_width_mm": "210",
    "page_height_mm": "297",
    "columns": "3",
    "rows": "6",
    "label_width_mm": "63.5",
    "label_height_mm": "46.6",
    "top_margin_mm": "8.7",
    "left_margin_mm": "7.21",
    "horizontal_pitch_mm": "66.04",
    "vertical_pitch_mm": "46.6",
    "corner_radius_mm": "1.76",
    "padding_mm": "2",
}


@pytest.fixture(autouse=True)
def label_sizes(db):
    """Transactional tests empty every table afterwards, data migrations' rows included: put them back."""
    seed_label_templates(LabelTemplate)


def received_devices(count, site, actor):
    return make_received(count, site=site, actor=actor, kind="laptop", make="Dell", model="Latitude 5490")


def download(page, click) -> bytes:
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def test_admin_adds_a_size_calibrates_and_prints_a_batch(page, ada, depot, media_root):
    devices = received_devices(40, depot, ada)
    sign_in(page, "ada")

    # A new label size, in the admin, without code. A mistake first: the labels run off the page.
    page.goto("/admin/reuse/labeltemplate/add/")
    for field, value in {**NEW_SIZE, "left_margin_mm": "20"}.items():
        page.fill(f"#id_{field}", value)
    page.get_by_role("button", name="Save", exact=True).click()
    assert "past the 210 mm page width" in page.locator(".errorlist").first.inner_text()
    page.fill("#id_left_margin_mm", NEW_SIZE["left_margin_mm"])
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url("**/labeltemplate/*/change/")  # saved: the admin has moved on to the change page
    template = LabelTemplate.objects.get(code="L7161")
    assert template.per_sheet == 18

    # Its calibration page, from the link on the admin page.
    page.get_by_role("link", name="Print a calibration page").click()
    expect(page.get_by_role("heading", name="Print a calibration page")).to_be_visible()
    assert page.get_by_label("Avery L7161 (18 per sheet, 63.5 x 46.6 mm)").is_checked()
    assert_accessible(page, "labels-calibration")
    pdf = download(page, lambda: page.get_by_role("button", name="Download the calibration page").click())
    assert "Calibration page: Avery L7161" in pdf_text(pdf)

    # Labels for every received device: three sheets, so a background job.
    page.goto("/devices/labels/")
    assert_accessible(page, "labels-print")
    page.get_by_role("button", name="Print labels").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert "Enter asset tags or choose a status" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "labels-print-error")
    page.get_by_label("Or every device with this status").select_option("received")
    page.get_by_label("Avery L7161 (18 per sheet, 63.5 x 46.6 mm)").check()
    page.get_by_label("Labels already used on the first sheet").fill("2")
    page.get_by_role("button", name="Print labels").click()
    expect(page.get_by_role("heading", name="Your labels are ready")).to_be_visible()
    assert "Printing 40 labels on 3 sheets" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "labels-job")
    job = LabelJob.objects.get()
    assert (job.status, job.count, job.pages) == ("done", 40, 3)
    pdf = download(page, lambda: page.get_by_role("link", name="Download the PDF").click())
    assert_codes_in_cells(pdf, template, [d.label_url for d in sorted(devices, key=lambda d: d.asset_tag)], skip=2)


def test_preprinted_labels_page_is_accessible(page, alice):
    sign_in(page, "alice")
    page.goto("/devices/labels/preprinted/")
    page.get_by_label("How many labels").fill("0")
    page.get_by_role("button", name="Print labels").click()
    assert "How many labels must be 1 or more" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "labels-preprint-error")


def test_a_job_still_running_refreshes_without_script(page, alice, depot):
    received_devices(1, depot, alice)
    job = LabelJob.objects.create(
        template=LabelTemplate.objects.get(code="L7160"),
        created_by=alice,
        count=1,
        tags=list(Device.objects.values_list("asset_tag", flat=True)),
    )
    sign_in(page, "alice")
    page.goto(f"/devices/labels/jobs/{job.pk}/")
    expect(page.get_by_role("heading", name="Preparing your labels")).to_be_visible()
    assert_accessible(page, "labels-job-waiting")
    from reuse.services.labels import label_job_run

    label_job_run(job_id=job.pk)
    # The Refresh header brings the finished state in by itself.
    page.get_by_role("heading", name="Your labels are ready").wait_for(timeout=10_000)


def test_reprint_one_label_from_its_device_page(page, alice, depot):
    device = received_devices(1, depot, alice)[0]
    sign_in(page, "alice")
    page.goto(f"/devices/{device.asset_tag}/")
    page.get_by_role("button", name="Print label").click()
    assert f"1 device chosen: {device.asset_tag}" in page.locator(".govuk-inset-text").inner_text()
    assert_accessible(page, "labels-print-one")
    page.get_by_label("Avery L7163 (14 per sheet, 99.1 x 38.1 mm)").check()
    page.get_by_label("Labels already used on the first sheet").fill("13")
    pdf = download(page, lambda: page.get_by_role("button", name="Print labels").click())
    assert_codes_in_cells(pdf, LabelTemplate.objects.get(code="L7163"), [device.label_url], skip=13)


def test_staff_scanning_a_spare_label_are_offered_to_register_it(page, alice):
    from reuse.services.labels import preprinted_tags_create

    tag = preprinted_tags_create(count=1, actor=alice)[0]
    sign_in(page, "alice")
    page.goto(f"/d/{tag}")
    expect(page.get_by_role("heading", name="This label is not yet attached to a device")).to_be_visible()
    assert_accessible(page, "labels-unclaimed")


def test_a_finder_sees_the_number_to_call_as_a_link(page, alice, depot, settings):
    settings.COUNCIL_PHONE = "01234 567890"
    device = received_devices(1, depot, alice)[0]
    page.goto(f"/d/{device.asset_tag}")
    call = page.get_by_role("link", name="01234 567890")
    expect(call).to_have_attribute("href", "tel:01234567890")
    assert_accessible(page, "labels-finder")


def test_a_printed_sheet_tells_the_finder_what_to_do(page, alice, depot, settings):
    settings.COUNCIL_PHONE = "01234 567890"
    devices = received_devices(3, depot, alice)
    sign_in(page, "alice")
    page.goto("/devices/labels/")
    page.get_by_label("Asset tags").fill(", ".join(d.asset_tag for d in devices))
    page.get_by_label("Avery L7160 (21 per sheet, 63.5 x 38.1 mm)").check()
    pdf = download(page, lambda: page.get_by_role("button", name="Print labels").click())
    assert " ".join(pdf_text(pdf).replace("\xa0", " ").split()).count("Found this? Call 01234 567890") == 3
    assert_codes_in_cells(
        pdf, LabelTemplate.objects.get(code="L7160"), [d.label_url for d in sorted(devices, key=lambda d: d.asset_tag)]
    )

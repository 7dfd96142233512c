"""Done when (issue 9), in the browser: a group submits a request and sees its estimated wait; a
coordinator verifies the organisation and approves; matching proposes devices with reasons and a shortage
report; the coordinator confirms; the group books a collection; the handover, signed on the pad, produces
the gift agreement PDF (read back) and the device is gifted; the status page follows each step; the 30-day
follow-up is answered and counted. axe runs on every page on the way."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from matching.models import CommunityRequest, FollowUp, Handover
from matching.services.followups import follow_ups_send_due
from tests.e2e.browser import assert_accessible, sign_in
from tests.e2e.test_lending import sign
from tests.matching.conftest import ready_at  # noqa: F401 - the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_date(page, legend: str, day: datetime.date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def go(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_request_from_the_form_to_the_follow_up(browser, live_server, settings, ready_at, branch, carl, dina):  # noqa: F811
    settings.REQUEST_FORM_MIN_SECONDS = 0
    settings.SITE_URL = live_server.url
    laptop = ready_at(branch, serial="SN-GIFT-0001", has_charger=True)
    group = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = group.new_page()
    page.set_default_timeout(10_000)

    # The group asks, on a phone-sized screen.
    page.goto("/request/")
    assert_accessible(page, "matching-start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Name of your organisation").fill("Northside Food Bank")
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Registered charity number").fill("1098765")
    assert_accessible(page, "matching-organisation")
    go(page, "Continue")
    go(page, "Continue")  # nothing typed: the error summary, then the answers
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your full name")
    assert_accessible(page, "matching-contact-errors")
    page.get_by_label("Your full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya@northside.example")
    go(page, "Continue")
    page.get_by_label("Jobseekers").check()
    page.get_by_label("How many people will the devices help?").fill("12")
    page.get_by_label("Where do the people you support live?").fill("AN2")
    assert_accessible(page, "matching-people")
    go(page, "Continue")
    page.get_by_label("Laptop").check()
    page.get_by_label("How many?").fill("1")
    page.get_by_label("Yes, for video calls").check()
    assert_accessible(page, "matching-line")
    go(page, "Add these devices")
    page.get_by_label("Yes").check()
    assert_accessible(page, "matching-devices")
    go(page, "Continue")
    page.get_by_label("Tablet").check()
    page.get_by_label("How many?").fill("2")
    go(page, "Add these devices")
    page.get_by_label("No").check()
    go(page, "Continue")
    page.get_by_label(re.compile("Central Library")).check()
    fill_date(page, "When do you need the devices by?", datetime.date.today() + datetime.timedelta(days=45))
    assert_accessible(page, "matching-collection")
    go(page, "Continue")
    expect(page.get_by_role("heading", name="Check your answers before sending your request")).to_be_visible()
    assert_accessible(page, "matching-check")
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    go(page, "Accept and send")
    req = CommunityRequest.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(req.reference)
    expect(page.locator("[data-estimate]").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "matching-confirmation")
    assert "priya" not in page.url.lower()
    page.get_by_role("link", name=f"See the progress of {req.reference}").click()
    status_url = page.url
    expect(page.get_by_text("Waiting to be checked").first).to_be_visible()
    expect(page.get_by_text("0 of 1 laptop so far.")).to_be_visible()
    assert_accessible(page, "matching-status-submitted")

    # The coordinator verifies the organisation, approves and runs matching.
    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.set_default_timeout(15_000)
    sign_in(desk, "carl")
    assert_accessible(desk, "matching-home-coordinator")
    desk.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests").click()
    assert_accessible(desk, "matching-request-list")
    desk.get_by_role("link", name=req.reference).click()
    assert_accessible(desk, "matching-request-detail")
    desk.get_by_label("How did you check it?").fill("Charity Commission register")
    go(desk, "Verify the organisation")
    desk.get_by_label(re.compile("^Tier 1: Urgent")).check()
    desk.get_by_label("Yes", exact=True).check()
    go(desk, "Approve")
    expect(desk.get_by_text(f"{req.reference} is approved")).to_be_visible()
    desk.get_by_role("navigation", name="Menu").get_by_role("link", name="Matching").click()
    assert_accessible(desk, "matching-runs")
    go(desk, "Run matching now")
    expect(desk.locator("[data-summary]")).to_contain_text("Proposed 1 device for 1 request")
    expect(desk.locator("[data-reasons]").first).to_contain_text("Tier 1 request")
    expect(desk.locator("[data-reasons]").first).to_contain_text("Already at Central Library, the collection branch.")
    expect(desk.locator("[data-shortage=tablet]")).to_contain_text("Tablets: 2 asked for, 0 allocated, 2 not met.")
    assert_accessible(desk, "matching-run-review")
    go(desk, f"Confirm the decisions for {req.reference}")
    expect(desk.get_by_text("1 device allocated; the group has been told.")).to_be_visible()
    laptop.refresh_from_db()
    assert laptop.status == "reserved"
    desk.goto("/matching/shortages/")
    assert_accessible(desk, "matching-shortages")

    # The group sees why, and books a day.
    page.goto(status_url)
    expect(page.get_by_text("1 of 1 laptop: set aside.")).to_be_visible()
    expect(page.get_by_text("Why this device went to you")).to_be_visible()
    assert_accessible(page, "matching-status-allocated")
    page.get_by_role("button", name="Book a day to collect them").click()
    assert_accessible(page, "matching-book")
    page.get_by_role("group", name="Which day will you collect?").get_by_role("radio").first.check()
    page.get_by_label(re.compile("^Morning")).check()
    go(page, "Book this day")
    expect(page.locator("[data-booking]")).to_contain_text("Collection booked: Central Library")
    assert_accessible(page, "matching-status-booked")

    # At the branch: the desk hands over, signed on the pad.
    staff.close()
    staff = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    desk = staff.new_page()
    desk.set_default_timeout(15_000)
    sign_in(desk, "dina")
    desk.get_by_role("navigation", name="Menu").get_by_role("link", name="Collections").click()
    assert_accessible(desk, "matching-collections")
    desk.get_by_role("link", name="Hand over to Northside Food Bank").click()
    expect(desk.get_by_text("SN-GIFT-0001")).to_be_visible()
    assert_accessible(desk, "matching-handover")
    desk.get_by_label("Name of the person signing for the organisation").fill("Priya Shah")
    sign(desk)
    desk.get_by_label(re.compile("They have read the terms")).check()
    go(desk, "Hand over and sign")
    handover = Handover.objects.get()
    expect(desk.get_by_text(f"Handed over: {handover.reference}")).to_be_visible()
    assert_accessible(desk, "matching-handover-detail")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Download the signed agreement (PDF)").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "Gift of refurbished devices",
        "Northside Food Bank",
        laptop.asset_tag,
        "SN-GIFT-0001",
        "Charger",
        "terms version 1",
        "Signed by Priya Shah",
        "Signed on screen",
    ):
        assert expected in text, expected
    assert len([image for p in pdf.pages for image in p.images]) == 1
    laptop.refresh_from_db()
    assert laptop.status == "gifted"
    staff.close()

    page.goto(status_url)
    expect(page.get_by_text("1 of 1 laptop: handed over.")).to_be_visible()
    expect(page.get_by_text("as a gift").first).to_be_visible()
    assert_accessible(page, "matching-status-handed-over")

    # Thirty days on: the follow-up is sent, answered and counted.
    thirty = FollowUp.objects.get(days=30)
    assert follow_ups_send_due(today=thirty.due_on) == 1
    [email] = [m for m in mail.outbox if "How are the devices doing" in m.subject]
    link = re.search(r"http\S+/request/follow-up/\S+/", email.body).group(0)
    page.goto(link)
    assert_accessible(page, "matching-follow-up")
    page.get_by_label("How many people have the devices reached so far?").fill("3")
    page.get_by_label("How many of the devices are in use now?").fill("1")
    page.get_by_label("How many are no longer needed?").fill("0")
    go(page, "Send your answers")
    expect(page.get_by_text("Thank you")).to_be_visible()
    assert_accessible(page, "matching-follow-up-thanks")
    assert FollowUp.objects.figures()["people_reached"] == 3
    page.goto(status_url)
    expect(page.get_by_text("30-day follow-up answered: 3 people reached.")).to_be_visible()
    group.close()

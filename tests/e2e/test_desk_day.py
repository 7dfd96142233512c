"""A desk's day in Chromium: the home counts lead to their lists, a device elsewhere is refused precisely
(and no card is asked for), a loan is issued and its slip printed, renewed on the issue day (the new date
named, counted once, a double submission renewing once), returned with a slip, Back leads nowhere dead,
and a borrower is found by name. axe on every page, and every page usable at 390 px."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from lending.models import Loan, LoanChange
from tests.e2e.browser import ARTIFACTS, assert_accessible, sign_in
from tests.factories import SiteFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scan(page, text):
    page.get_by_label("Scan a device label or a library card").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Look up").click()


def fits(page, name):
    """Usable at 390 px: nothing wider than the screen but inside a scrolling table wrapper."""
    page.set_viewport_size({"width": 390, "height": 900})
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(el => {
            if (el.closest('.relay-table-scroll')) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
        }).map(el => el.tagName + '.' + el.className).slice(0, 5)"""
    )
    assert overflow == [], f"{name} is wider than 390 px: {overflow}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def pdf_text(page, link_name) -> tuple[str, float]:
    href = page.get_by_role("link", name=link_name).get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return " ".join(reader.pages[0].extract_text().split()), float(reader.pages[0].mediabox.width) * 25.4 / 72


def test_a_desk_day(page, live_server, lendable, ready_device, make_borrower, issue, dina, alice):
    from reuse.services.lifecycle import device_move

    westfield = SiteFactory(code="WEST", name="Westfield Library", kind="branch")
    elsewhere = ready_device()
    device_move(device=elsewhere, site=westfield, actor=alice, reason="To Westfield")
    late = issue(lendable(), make_borrower(name="Olive Late"))
    Loan.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    device = lendable(serial="SN-DAY-1")
    borrower = make_borrower(name="Maryam Khan", card_number="20417123456789")

    sign_in(page, "dina")
    expect(page.get_by_role("heading", name="Today at Central Library")).to_be_visible()
    assert_accessible(page, "day-home")
    fits(page, "day-home")
    overdue = page.locator('[data-count="overdue"]')
    expect(overdue).to_contain_text("1 overdue")
    with page.expect_navigation():
        overdue.click()
    expect(page.get_by_text("1 loan", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Olive Late")).to_be_visible()
    fits(page, "day-overdue-list")

    page.goto("/desk/CENTRAL/")
    scan(page, elsewhere.asset_tag)
    expect(page.get_by_text(f"{elsewhere.asset_tag} is at Westfield Library, not Central Library")).to_be_visible()
    expect(page.get_by_text("Send it here first")).to_be_visible()
    expect(page.get_by_text("Now scan the borrower's library card")).to_have_count(0)
    assert_accessible(page, "day-refused-elsewhere")
    fits(page, "day-refused-elsewhere")

    page.goto("/desk/CENTRAL/")
    scan(page, device.asset_tag)
    scan(page, borrower.card_number)
    page.get_by_label("Signed on paper").check()
    page.get_by_label("The borrower has read the terms").check()
    fits(page, "day-issue-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Issue loan").click()
    loan = Loan.objects.get(device=device)
    expect(page.get_by_text(f"Loan issued: {device.asset_tag}")).to_be_visible()
    text, width = pdf_text(page, re.compile("receipt printer"))
    assert round(width) == 80 and device.asset_tag in text and f"{loan.due_date:%-d %B %Y}" in text
    assert borrower.card_number not in text.replace(" ", "") and borrower.masked_card in text

    # Renew on the issue day: the new date is named, one renewal counted.
    first_due = loan.due_date
    with page.expect_navigation():
        page.get_by_role("button", name="Renew").click()
    loan.refresh_from_db()
    assert loan.renewals == 1 and loan.due_date > first_due
    expect(page.get_by_text(f"Renewed: now due back on {loan.due_date:%A %-d %B %Y} (1 of 2")).to_be_visible()
    expect(page.locator("[data-renewals]")).to_contain_text("1 of 2")
    assert_accessible(page, "day-renewed")
    fits(page, "day-loan-page")

    # Back to the page as it was before the renewal, and its form sent again: still one renewal.
    page.go_back()
    page.go_back()
    if page.get_by_role("button", name="Renew").count():
        token = page.locator("form[action$='/renew/'] input[name=token]").input_value()
        used = LoanChange.objects.filter(kind="renewed").values_list("token", flat=True).get()
        if str(used) == token:
            with page.expect_navigation():
                page.get_by_role("button", name="Renew").click()
            expect(page.get_by_text("Already renewed")).to_be_visible()
    loan.refresh_from_db()
    assert loan.renewals == 1
    # The same form sent three times at once (a double click, an impatient third): one renewal.
    page.goto(f"/loans/{loan.pk}/")
    token = page.locator("form[action$='/renew/'] input[name=token]").input_value()
    page.evaluate(
        """() => { const form = document.querySelector("form[action$='/renew/']");
            const send = () => fetch(form.action, {method: 'POST', body: new FormData(form)});
            return Promise.all([send(), send(), send()]); }"""
    )
    loan.refresh_from_db()
    assert loan.renewals == 2 and LoanChange.objects.filter(kind="renewed").count() == 2
    assert LoanChange.objects.filter(token=token).count() == 1

    # Return, its slip, and Back: the loan, not "Not Found".
    page.goto(f"/loans/{loan.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Take it back").click()
    return_url = page.url
    fits(page, "day-return-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_text("held the borrower's data").first).to_be_visible()
    text, width = pdf_text(page, re.compile("A4"))
    assert round(width) == 210 and "Returned" in text and device.asset_tag in text
    page.go_back()
    assert page.url == return_url or "/loans/" in page.url
    page.reload()
    expect(page.get_by_text("Not Found")).to_have_count(0)
    expect(page.get_by_role("heading", name=f"{device.asset_tag} lent to Maryam Khan")).to_be_visible()
    assert LoanChange.objects.filter(kind="returned").count() == 1

    # It was the wrong loan: undo the return, with a reason. The loan is open again, the device on loan.
    with page.expect_navigation():
        page.get_by_role("link", name="Undo the return").click()
    assert_accessible(page, "day-return-undo")
    fits(page, "day-return-undo")
    with page.expect_navigation():
        page.get_by_role("button", name="Undo the return").click()
    expect(page.get_by_role("link", name="Enter why the return is being undone")).to_be_visible()
    page.get_by_label("Why is the return being undone?").fill("Scanned the wrong device; she still has it")
    with page.expect_navigation():
        page.get_by_role("button", name="Undo the return").click()
    expect(page.get_by_text(f"Return undone: {device.asset_tag} is on loan again")).to_be_visible()
    expect(page.get_by_role("link", name="Take it back")).to_be_visible()
    expect(page.get_by_text("Reason: Scanned the wrong device; she still has it")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "day-return-undone.png"), full_page=True)
    loan.refresh_from_db()
    device.refresh_from_db()
    assert loan.is_open and device.status == "on_loan"
    page.goto(device.get_absolute_url())
    expect(page.get_by_text("Corrected: back from received to on loan")).to_be_visible()
    expect(page.get_by_text(f"Return undone: on loan again (loan {loan.pk})")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "day-return-undone-device.png"), full_page=True)

    # Find a borrower by name from the scan box.
    page.goto("/desk/CENTRAL/")
    scan(page, "maryam")
    expect(page.get_by_role("heading", name="Find a borrower")).to_be_visible()
    expect(page.get_by_role("link", name="Maryam Khan")).to_be_visible()
    assert "maryam" not in page.url.lower()
    assert_accessible(page, "day-borrower-search")
    fits(page, "day-borrower-search")
    for name, url in (("day-borrowers", "/borrowers/"), ("day-holds", "/holds/?state=offered")):
        page.goto(url)
        assert_accessible(page, name)
        fits(page, name)

"""Done when: a loan is issued with a drawn signature, its agreement PDF downloaded and read back,
renewed, returned, and the device then shows it needs a wipe. axe passes on every desk page on the way."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from lending.models import Loan
from tests.e2e.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scan(page, text):
    box = page.get_by_label("Scan a device label or a library card")
    assert box.evaluate("el => el === document.activeElement"), "the scan box should have the focus"
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # what a keyboard-wedge scanner sends after the code


def sign(page):
    canvas = page.locator("canvas.relay-signature")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 140)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(box["x"] + 40 + step * 15, box["y"] + (60 if step % 2 else 140), steps=3)
    page.mouse.up()
    expect(page.get_by_text("Signed.")).to_be_visible()


def test_issue_sign_download_renew_return(page, live_server, lendable, make_borrower, dina, alice):  # noqa: F811
    device = lendable(serial="SN-E2E-0042", has_charger=True)
    borrower = make_borrower(name="Maryam Khan", card_number="20417123456789", email="maryam@example.com")
    sign_in(page, "dina")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Desk").click()
    expect(page.get_by_role("heading", name="Desk")).to_be_visible()
    assert_accessible(page, "desk-home")

    scan(page, f"{live_server.url}/d/{device.asset_tag.lower()} ")
    expect(page.get_by_text("SN-E2E-0042")).to_be_visible()
    scan(page, "20417999999999")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("No borrower has the library card 20417999999999")).to_be_visible()
    assert page.get_by_label("Scan a device label or a library card").input_value() == "20417999999999"
    assert_accessible(page, "desk-unknown-card")

    page.get_by_label("Scan a device label or a library card").fill("")
    page.get_by_label("Scan a device label or a library card").focus()
    scan(page, borrower.card_number)
    expect(page.get_by_role("link", name="Maryam Khan")).to_be_visible()
    assert borrower.card_number not in page.url
    due = page.locator("[data-due-date]").inner_text()
    assert_accessible(page, "desk-agreement")

    sign(page)
    page.get_by_label("The borrower has read the terms").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Issue loan").click()
    expect(page.get_by_text(f"Loan issued: {device.asset_tag} is due back on {due}")).to_be_visible()
    loan = Loan.objects.get()
    assert loan.signature_method == "drawn" and bytes(loan.signature_png).startswith(b"\x89PNG")
    assert_accessible(page, "loan-detail")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the agreement (PDF)").click()
    pdf = PdfReader(download_info.value.path())
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())  # long dates wrap in their cell
    for expected in (
        "Maryam Khan",
        borrower.masked_card,
        device.asset_tag,
        "SN-E2E-0042",
        due,
        "terms version 1",
        "Signed by Maryam Khan",
    ):
        assert expected in text, expected
    assert borrower.card_number not in text.replace(" ", "")
    assert len([image for p in pdf.pages for image in p.images]) == 1

    with page.expect_navigation():
        page.get_by_role("button", name="Renew").click()
    expect(page.get_by_text("Renewed: now due back on")).to_be_visible()
    loan.refresh_from_db()
    assert loan.renewals == 1

    with page.expect_navigation():
        page.get_by_role("link", name="Take it back").click()
    assert_accessible(page, "loan-return")
    page.get_by_label("Charger").check()
    page.get_by_label("Condition notes").fill("Small scratch on the lid")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the return").click()
    expect(page.get_by_text("held the borrower's data").first).to_be_visible()
    loan.refresh_from_db()
    assert (loan.outcome, loan.missing_accessories) == ("returned", ["Charger"])

    with page.expect_navigation():
        page.get_by_role("link", name=device.asset_tag).first.click()
    expect(page.get_by_text("Needs a wipe")).to_be_visible()
    device.refresh_from_db()
    assert device.status == "received" and not device.wipe_stands
    assert_accessible(page, "device-needs-wipe")


def test_desk_works_without_javascript(browser, live_server, lendable, make_borrower, dina):  # noqa: F811
    device = lendable()
    borrower = make_borrower(name="Joan Paper")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "dina")
        page.goto("/desk/")
        page.get_by_label("Scan a device label or a library card").fill(device.asset_tag)
        page.get_by_role("button", name="Look up").click()
        page.get_by_label("Scan a device label or a library card").fill(borrower.card_number)
        page.get_by_role("button", name="Look up").click()
        expect(page.get_by_label("Signed on screen")).not_to_be_visible()
        page.get_by_label("Signed on paper").check()
        page.get_by_label("The borrower has read the terms").check()
        page.get_by_role("button", name="Issue loan").click()
        expect(page.get_by_text("Loan issued")).to_be_visible()
        assert Loan.objects.get().signature_method == "paper"
    finally:
        context.close()


def test_other_lending_pages_are_accessible(page, lendable, make_borrower, dina, other_branch):  # noqa: F811
    from lending.services.loans import loan_issue

    other_branch.staff.add(dina)
    import uuid

    borrower = make_borrower(name="Stanley Jones", phone="07700 900111")
    loan = loan_issue(
        device=lendable(),
        borrower=borrower,
        site=dina.sites.get(code="CENTRAL"),
        actor=dina,
        idempotency_key=uuid.uuid4(),
        signature_method="read_aloud",
    )
    sign_in(page, "dina")
    for name, url in [
        ("branch-choice", "/desk/"),
        ("loan-list", "/loans/"),
        ("borrower-detail", f"/borrowers/{borrower.key}/"),
        ("hold-form", f"/desk/CENTRAL/borrowers/{borrower.key}/hold/"),
        ("loan-lost", f"/loans/{loan.pk}/lost/"),
        ("borrower-new", "/desk/CENTRAL/borrowers/new/"),
    ]:
        page.goto(url)
        assert_accessible(page, name)
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "borrower-new-errors")

"""The pages issue 11 added, in Chromium under the Content Security Policy, at 390 px, checked with axe:
the published custody digests, the public certificate check, the sign-in pause, and a borrower's
subject-access and erasure pages."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reuse.services.audit import audit_digest_write
from tests.e2e.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def test_the_custody_digests_page(page, ready_device):
    ready_device()
    audit_digest_write(day=timezone.localdate() - datetime.timedelta(days=1))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/open-data/audit/")
    expect(page.get_by_role("heading", name="The custody log's daily digests")).to_be_visible()
    expect(page.get_by_role("link", name="CSV").first).to_be_visible()
    _fits(page)
    assert_accessible(page, "audit-digests-390")


def test_the_sign_in_pause_says_how_long_and_whom_to_ask(page, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("someone", "someone-else", "alice"):
        sign_in(page, name, "Winter2026!")
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
    assert "Try again in 15 minutes" in page.inner_text("main")
    expect(page.get_by_role("link", name="01632 960000")).to_have_attribute("href", "tel:01632960000")
    _fits(page)
    assert_accessible(page, "locked-out-390")


def test_a_borrower_s_data_pages(page, dina, borrower):
    sign_in(page, "dina")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(borrower.get_absolute_url())
    expect(page.get_by_role("link", name="Download what we hold about them (PDF)")).to_be_visible()
    page.get_by_role("link", name="Erase their personal details").click()
    expect(page.get_by_role("heading", name="Erase their personal details")).to_be_visible()
    _fits(page)
    assert_accessible(page, "borrower-erase-390")
    page.get_by_role("button", name="Erase their personal details").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Their personal details have been erased")


def test_the_public_certificate_check(page, ready_device, alice, media_root):
    from reuse.services.certificates import certificate_issue

    certificate = certificate_issue(devices=[ready_device()], actor=alice)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/verify/{certificate.token}")
    expect(page.get_by_role("heading", name=f"Certificate {certificate.number} is genuine")).to_be_visible()
    assert "as it was on that day" in page.inner_text("main")
    _fits(page)
    assert_accessible(page, "verify-390")

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible(page):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in to Relay")).to_be_visible()
    assert_accessible(page, "login")


def test_wrong_password_shows_an_error_summary(page, alice):
    sign_in(page, "alice", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Please enter a correct username and password" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page, "login-error")


def test_staff_home_after_signing_in(page, alice):
    sign_in(page, "alice")
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page, "home-it")


def test_signing_out_returns_to_login(page, dina):
    sign_in(page, "dina")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Relay")).to_be_visible()

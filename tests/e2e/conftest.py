"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Chromium comes from the system (`/usr/bin/chromium`), never from Playwright's own download, which this
network does not allow. Without it the tests skip on a newcomer's machine, but fail in CI.
"""

import os

import pytest

from tests.e2e.browser import CHROMIUM_ARGS, chromium_path

# Playwright's sync API runs an event loop in this thread; the ORM calls here are the test's own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: in CI a skipped browser test is a failure")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()

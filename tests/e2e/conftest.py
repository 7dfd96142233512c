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


# Every page runs under Relay's Content Security Policy, as in production: a script, style or image the
# policy blocks fails the test (the page would be broken for real users). Chromium reports each block as a
# `securitypolicyviolation` event, collected here before any page script runs, and on the console.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const what = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.violatedDirective} blocked ${what} on ${location.pathname}`);
});
"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    violations += _reported(page.main_frame)
    context.close()
    assert violations == [], "Content Security Policy violations:\n" + "\n".join(violations)


def _reported(frame) -> list[str]:
    try:
        return frame.evaluate("window.__cspViolations || []")
    except Exception:  # noqa: BLE001 - a frame that is navigating away has nothing to say
        return []

"""What the load test's users do, as a person at a library desk or in the IT depot would: start at the home
page, follow the menu, fill in the forms the pages hold and follow the redirects the server sends. No URL
is built here except what a QR label and a library card carry, so the journeys keep working while the pages'
addresses change; a page that lacks the link or form a person would use is a failed request.

Plain Python (the standard library's HTML parser): `bench/locustfile.py` drives these through Locust's
HTTP client, `tests/bench/test_journeys.py` through Django's test client.
"""

import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urlencode, urljoin, urlsplit

REDIRECTS = (301, 302, 303)
INPUTS_SENT = {"hidden", "text", "search", "number", "email", "tel", "date", "url", "password", ""}


class PageError(Exception):
    """The page is not what a person would expect to see next (a missing form or link, a refusal)."""


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # what a browser would send as it stands
    choices: dict[str, list[str]] = field(default_factory=dict)  # each select's, radio's and checkbox's values

    def data(self, **changes: str | None) -> list[tuple[str, str]]:
        """The fields with `changes` made (a value of None leaves the field out), as a browser submits them."""
        kept = [(name, value) for name, value in self.fields if name not in changes]
        return kept + [(name, value) for name, value in changes.items() if value is not None]


@dataclass
class Page:
    url: str
    status: int
    html: str
    location: str = ""
    forms: list[tuple[dict, Form]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, absolute URL)

    @classmethod
    def read(cls, url: str, status: int, html: str, location: str = "") -> "Page":
        page = cls(url=url, status=status, html=html, location=urljoin(url, location) if location else "")
        if "html" in html[:500].lower():
            parser = _Parser(url)
            parser.feed(html)
            page.forms, page.links = parser.forms, parser.links
        return page

    def redirect(self) -> str:
        if self.status not in REDIRECTS or not self.location:
            raise PageError(f"expected a redirect from {_path(self.url)}, got {self.status}{self._error()}")
        return self.location

    def form(self, *, id: str = "", action: str = "") -> Form:
        """The form with this id, or whose action contains `action`."""
        for attrs, form in self.forms:
            if (id and attrs.get("id") == id) or (action and action in form.action):
                return form
        raise PageError(f"no form {id or action!r} on {_path(self.url)}{self._error()}")

    def link(self, text: str) -> str:
        """The first link whose text is `text` (spaces and case aside)."""
        wanted = " ".join(text.split()).lower()
        for link_text, href in self.links:
            if link_text.lower() == wanted:
                return href
        raise PageError(f"no link {text!r} on {_path(self.url)}{self._error()}")

    def _error(self) -> str:
        """What the page says went wrong, if it says: its first GOV.UK error message."""
        found = re.search(r'class="govuk-error-message[^"]*"[^>]*>(.*?)</p>', self.html, re.S)
        if not found:
            return ""
        message = " ".join(re.sub("<[^>]+>", " ", found.group(1)).split()).removeprefix("Error:").strip()
        return f": {message}"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[tuple[dict, Form]] = []
        self.links: list[tuple[str, str]] = []
        self._link: list | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._option: str | None = None
        self._textarea: list | None = None

    @property
    def _form(self) -> Form | None:
        return self.forms[-1][1] if self.forms else None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self.forms.append((a, Form(action=action, method=(a.get("method") or "get").lower())))
        elif tag == "a" and a.get("href"):
            self._link = [urljoin(self.url, a["href"]), []]
        elif tag == "input" and self._form is not None and a.get("name"):
            self._input(a)
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._option = a.get("value", "")
            self._select[1].append(self._option)
            if "selected" in a:
                self._select[2].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], []]

    def _input(self, a: dict) -> None:
        kind = a.get("type", "").lower()
        form = self._form
        assert form is not None
        if kind in ("checkbox", "radio"):
            form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
            if "checked" in a:
                form.fields.append((a["name"], a.get("value", "on")))
        elif kind in INPUTS_SENT:
            form.fields.append((a["name"], a.get("value", "")))

    def handle_data(self, data):
        if self._link is not None:
            self._link[1].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((" ".join("".join(self._link[1]).split()), self._link[0]))
            self._link = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            self._form.choices[name] = options
            for value in selected or options[:1]:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None


class Browser(Protocol):
    """What a journey needs of an HTTP client. Redirects are not followed: the journey follows them, so each
    request is measured on its own. `name` groups requests in the figures."""

    def get(self, url: str, *, name: str) -> Page: ...

    def post(self, url: str, data: list[tuple[str, str]], *, name: str) -> Page: ...


def submit(browser: Browser, form: Form, data: list[tuple[str, str]], *, name: str) -> Page:
    if form.method == "post":
        return browser.post(form.action, data, name=name)
    query = urlencode([(k, v) for k, v in data if v != ""])
    return browser.get(f"{form.action.split('?')[0]}?{query}", name=name)


def ok(page: Page) -> Page:
    if page.status != 200:
        raise PageError(f"{_path(page.url)} answered {page.status}{page._error()}")
    return page


# The journeys ------------------------------------------------------------------------------------------------


def find_desk(browser: Browser, *, branch: str) -> str:
    """From the home page to the desk of `branch` (its name, as the branch list shows it): the desk's URL."""
    home = ok(browser.get("/", name="home"))
    page = browser.get(home.link("Desk"), name="desk: choose branch")
    if page.status in REDIRECTS:
        return page.redirect()  # the one branch this member of staff serves
    return ok(page).link(branch)


def find_inventory(browser: Browser) -> str:
    return ok(browser.get("/", name="home")).link("Inventory")


def scan(browser: Browser, desk: Page, value: str, *, name: str) -> Page:
    """Type `value` into the desk's scan box and follow where the desk sends it."""
    form = desk.form(id="scan-form")
    sent = browser.post(form.action, form.data(scan=value), name=f"desk: scan {name}")
    return ok(browser.get(sent.redirect(), name=f"desk: {name} shown"))


def lend_and_take_back(browser: Browser, *, desk_url: str, label: str, card: str, signature: str) -> None:
    """Scan a device's label and a borrower's card, issue the loan with a drawn signature, then, from the loan's
    page, take the device back."""
    desk = ok(browser.get(desk_url, name="desk"))
    desk = scan(browser, desk, label, name="label")
    desk = scan(browser, desk, card, name="card")
    issue = desk.form(action="/issue")
    sent = submit(
        browser,
        issue,
        issue.data(signature_method="drawn", signature_data=signature, agreed="on"),
        name="desk: issue loan",
    )
    loan = ok(browser.get(sent.redirect(), name="loan page"))
    form_page = ok(browser.get(loan.link("Take it back"), name="return: form"))
    returned = submit(browser, form_page.form(id="form"), form_page.form(id="form").data(), name="return: record")
    ok(browser.get(returned.redirect(), name="loan page"))


def look_up(browser: Browser, *, desk_url: str, label: str, card: str) -> None:
    """Scan a label and a card without lending: a resident asking about a device, staff checking one."""
    desk = ok(browser.get(desk_url, name="desk"))
    desk = scan(browser, desk, label, name="label")
    scan(browser, desk, card, name="card")


def browse_inventory(browser: Browser, *, inventory_url: str, rng: random.Random, search: list[str]) -> None:
    """Filter the inventory as IT staff do (status, type, minimum RAM, sometimes a search), then page on."""
    page = ok(browser.get(inventory_url, name="inventory"))
    form = page.form(id="filter-form")
    changes: dict[str, str | None] = {}
    for name in ("status", "kind", "min_ram"):
        values = [v for v in form.choices.get(name, []) if v]
        if values:
            changes[name] = rng.choice(values) if name != "status" else rng.choice(["ready", "received", *values])
    if rng.random() < 0.3:
        changes["q"] = rng.choice(search)
    listed = ok(submit(browser, form, form.data(**changes), name="inventory: filtered"))
    try:
        following = listed.link("Next page")  # GOV.UK pagination: "Next" and a hidden " page"
    except PageError:
        return  # one page of results
    ok(browser.get(following, name="inventory: next page"))

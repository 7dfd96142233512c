"""The load test's journeys (bench/journeys.py) against the pages as they are, through Django's test client:
if the desk or the inventory changes so that a person could no longer find their way, this fails in the
suite, not only in the load test's run."""

import base64
import random

import pytest
from django.conf import settings

from bench.journeys import (
    Page,
    PageError,
    browse_inventory,
    find_desk,
    find_inventory,
    lend_and_take_back,
    look_up,
)
from lending.models import Loan
from reuse.models import DeviceStatus
from tests.factories import signature_bytes

SIGNATURE = "data:image/png;base64," + base64.b64encode(signature_bytes()).decode()


class DjangoBrowser:
    """bench.journeys.Browser over Django's test client; remembers each request's name."""

    def __init__(self, client):
        self.client, self.names = client, []

    def get(self, url, *, name):
        return self._page(url, self.client.get(url), name)

    def post(self, url, data, *, name):
        fields: dict[str, list[str]] = {}
        for key, value in data:
            fields.setdefault(key, []).append(value)
        return self._page(url, self.client.post(url, fields), name)

    def _page(self, url, response, name):
        self.names.append(name)
        return Page.read(
            f"http://testserver{url}" if url.startswith("/") else url,
            response.status_code,
            response.content.decode(),
            response.get("Location", ""),
        )


@pytest.fixture
def desk_browser(client, dina):
    client.force_login(dina)
    return DjangoBrowser(client)


def test_a_desk_lends_a_device_and_takes_it_back_following_only_links_and_forms(
    desk_browser, lendable, borrower, other_branch, dina
):
    other_branch.staff.add(dina)  # two branches: the desk is chosen from the list, by name
    device = lendable()

    desk_url = find_desk(desk_browser, branch="Central Library")
    lend_and_take_back(
        desk_browser,
        desk_url=desk_url,
        label=f"{settings.SITE_URL}/d/{device.asset_tag}",
        card=borrower.card_number,
        signature=SIGNATURE,
    )

    loan = Loan.objects.get(device=device)
    assert loan.borrower == borrower and loan.closed_at is not None and loan.signature_png
    device.refresh_from_db()
    assert device.status == DeviceStatus.RECEIVED
    assert desk_browser.names == [
        "home",
        "desk: choose branch",
        "desk",
        "desk: scan label",
        "desk: label shown",
        "desk: scan card",
        "desk: card shown",
        "desk: issue loan",
        "loan page",
        "return: form",
        "return: record",
        "loan page",
    ]


def test_a_look_up_scans_without_lending(desk_browser, lendable, borrower):
    device = lendable()
    desk_url = find_desk(desk_browser, branch="Central Library")
    look_up(desk_browser, desk_url=desk_url, label=device.asset_tag, card=borrower.card_number)
    assert not Loan.objects.exists()
    assert desk_browser.names[-2:] == ["desk: scan card", "desk: card shown"]


def test_a_device_that_cannot_be_lent_stops_the_journey_with_what_the_page_says(desk_browser, make_device, borrower):
    device = make_device()  # received, not wiped
    desk_url = find_desk(desk_browser, branch="Central Library")
    with pytest.raises(PageError, match="no form '/issue'"):
        lend_and_take_back(
            desk_browser, desk_url=desk_url, label=device.asset_tag, card=borrower.card_number, signature=SIGNATURE
        )
    assert not Loan.objects.exists()


def test_inventory_is_filtered_from_its_own_form_and_paged(client, alice, ready_device):
    for _ in range(3):
        ready_device()
    client.force_login(alice)
    browser = DjangoBrowser(client)
    rng = random.Random(4)
    inventory_url = find_inventory(browser)
    for _ in range(5):
        browse_inventory(browser, inventory_url=inventory_url, rng=rng, search=["Latitude"])
    filtered = [n for n in browser.names if n == "inventory: filtered"]
    assert len(filtered) == 5


def test_form_data_is_what_a_browser_would_send():
    page = Page.read(
        "http://relay.example/desk/",
        200,
        """<html><form id="f" method="post" action="go/"><input type="hidden" name="token" value="t1">
        <input type="checkbox" name="agreed" value="on"><input type="radio" name="how" value="paper" checked>
        <input type="radio" name="how" value="drawn"><select name="branch"><option value="3">A</option>
        <option value="4" selected>B</option></select><textarea name="notes">fine</textarea>
        <button type="submit">Go</button></form><a href="/loans/7/"> Take it
        back </a></html>""",
    )
    form = page.form(id="f")
    assert form.action == "http://relay.example/desk/go/" and form.method == "post"
    assert form.data(agreed="on", token=None) == [
        ("how", "paper"),
        ("branch", "4"),
        ("notes", "fine"),
        ("agreed", "on"),
    ]
    assert form.choices == {"agreed": ["on"], "how": ["paper", "drawn"], "branch": ["3", "4"]}
    assert page.link("take it back") == "http://relay.example/loans/7/"


def test_a_refusal_says_what_the_page_said():
    page = Page.read(
        "http://relay.example/desk/C/issue/",
        200,
        """<html><p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Confirm that the
        borrower agrees</p></html>""",
    )
    with pytest.raises(PageError, match="redirect from /desk/C/issue/, got 200: Confirm that the borrower agrees$"):
        page.redirect()

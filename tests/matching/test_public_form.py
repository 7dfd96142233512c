"""The public request form: question pages, "Check your answers", the confirmation; no personal data in
any URL; GOV.UK error summaries that keep what was typed; and the bot defences (honeypot, signed
time-to-submit, per-address rate limit)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from matching.forms.public import started_token
from matching.models import CommunityRequest

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + datetime.timedelta(days=40)


@pytest.fixture(autouse=True)
def _no_minimum_time(settings):
    settings.REQUEST_FORM_MIN_SECONDS = 0


ORGANISATION = {"organisation_name": "Northside Food Bank", "organisation_kind": "charity", "charity_number": "1098765"}
CONTACT = {"contact_name": "Priya Shah", "contact_email": "priya@northside.example", "contact_phone": "07700 900123"}
PEOPLE = {"served_groups": ["jobseekers", "older_people"], "people_count": "12", "area": "AN2 4XY"}
LINE = {
    "kind": "laptop",
    "quantity": "3",
    "min_ram_gb": "8",
    "min_storage_gb": "0",
    "webcam": "yes",
    "setup_help": "no",
    "connectivity": "sim",
}


def collection(site):
    return {"collection_site": site.pk, "needed_by_0": SOON.day, "needed_by_1": SOON.month, "needed_by_2": SOON.year}


def walk(client, branch, *, line=None):
    """Answer every question page; returns the URLs the visitor passed through."""
    urls = []
    response = client.get("/request/organisation/")
    token = re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)
    for path, data in (
        ("/request/organisation/", {**ORGANISATION, "started": token}),
        ("/request/contact/", CONTACT),
        ("/request/people/", PEOPLE),
        ("/request/devices/add/", line or LINE),
        ("/request/devices/", {"another": "no"}),
        ("/request/collection/", collection(branch)),
    ):
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content.decode()[:2000])
        urls += [path, response.url]
    return urls


def test_the_whole_form_sends_a_request_and_shows_the_reference_wait_and_status_link(
    client, branch, django_capture_on_commit_callbacks
):
    assert "Start now" in client.get("/request/").content.decode()
    urls = walk(client, branch)
    check = client.get("/request/check/").content.decode()
    for shown in (
        "Northside Food Bank",
        "Priya Shah",
        "priya@northside.example",
        "AN2 4XY",
        "3 × laptop",
        "Central Library",
    ):
        assert shown in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/request/check/", {"consent": "on"})
    assert response.status_code == 302 and response.url == "/request/done/"
    req = CommunityRequest.objects.get()
    done = client.get("/request/done/")
    page = done.content.decode()
    assert "Request sent" in page and req.reference in page
    assert f"/request/status/{req.status_token}/" in page
    assert "Estimated wait" in page and "Worked out from" in page
    assert done["Cache-Control"].startswith("max-age=0") and "no-store" in done["Cache-Control"]
    line = req.lines.get()
    assert (line.kind, line.quantity, line.min_ram_gb, line.webcam, line.connectivity) == ("laptop", 3, 8, True, "sim")
    assert (req.area, req.in_area, req.people_count, req.needed_by) == ("AN2", True, 12, SOON)
    assert len(mail.outbox) == 1
    for url in [*urls, response.url]:
        for personal in ("Priya", "northside", "07700", "AN2", "12"):
            assert personal.lower() not in url.lower(), url
    # The answers are gone from the session: the form starts afresh.
    assert client.get("/request/check/").url == "/request/organisation/"


def test_a_question_page_reached_too_early_sends_the_visitor_back(client):
    assert client.get("/request/people/").url == "/request/organisation/"
    assert client.get("/request/check/").url == "/request/organisation/"
    assert client.get("/request/done/").url == "/request/"


def test_errors_are_summarised_and_what_was_typed_is_kept(client, branch):
    walk(client, branch)
    response = client.post("/request/contact/", {**CONTACT, "contact_email": "priya-at-northside", "contact_name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and page.count("govuk-error-summary__list") == 1
    assert 'href="#id_contact_email"' in page and "Enter an email address in the correct format" in page
    assert "Enter your full name" in page
    assert 'value="priya-at-northside"' in page and 'value="07700 900123"' in page
    assert "<title>Error:" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "Enter at least 1"),
        ("quantity", "51", "Enter at most 50"),
        ("quantity", "lots", "Enter how many as a whole number"),
        ("accessibility", "x" * 301, "The accessibility needs must be 300 characters or fewer"),
    ],
)
def test_line_values_are_bounded(client, branch, field, value, message):
    walk(client, branch)
    response = client.post("/request/devices/add/", {**LINE, field: value})
    assert response.status_code == 200 and message in response.content.decode()


def test_lengths_are_capped_on_every_text_field(client):
    token = started_token()
    response = client.post("/request/organisation/", {**ORGANISATION, "organisation_name": "N" * 151, "started": token})
    assert "The name of your organisation must be 150 characters or fewer" in response.content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (timezone.localdate() - datetime.timedelta(days=1), "must be today or in the future"),
        (timezone.localdate() + datetime.timedelta(days=800), "must be within 2 years"),
    ],
)
def test_needed_by_may_not_be_in_the_past_or_years_away(client, branch, day, message):
    walk(client, branch)
    data = {**collection(branch), "needed_by_0": day.day, "needed_by_1": day.month, "needed_by_2": day.year}
    page = client.post("/request/collection/", data).content.decode()
    assert message in page
    assert f'value="{day.year}"' in page  # kept as typed


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2027"), "The date you need the devices by must be a real date"),
        (("", "2", "2027"), "The date you need the devices by must include a day"),
        (("", "", ""), "Enter the date you need the devices by"),
    ],
)
def test_the_date_boxes_get_govuk_messages(client, branch, parts, message):
    walk(client, branch)
    data = {**collection(branch), "needed_by_0": parts[0], "needed_by_1": parts[1], "needed_by_2": parts[2]}
    assert message in client.post("/request/collection/", data).content.decode()


def test_a_security_updates_minimum_in_the_past_is_refused(client, branch):
    walk(client, branch)
    past = timezone.localdate() - datetime.timedelta(days=3)
    data = {**LINE, "updates_until_0": past.day, "updates_until_1": past.month, "updates_until_2": past.year}
    assert "must be today or in the future" in client.post("/request/devices/add/", data).content.decode()


def test_another_type_of_device_can_be_added_changed_and_removed(client, branch):
    walk(client, branch)
    assert client.post("/request/devices/", {"another": "yes"}).url == "/request/devices/add/"
    client.post("/request/devices/add/", {**LINE, "kind": "tablet", "quantity": "2"})
    page = client.get("/request/devices/").content.decode()
    assert "You have asked for 2 types of device" in page and "2 × tablet" in page
    client.post("/request/devices/2/", {**LINE, "kind": "phone", "quantity": "4"})
    assert "4 × phone" in client.get("/request/devices/").content.decode()
    client.post("/request/devices/1/remove/")
    page = client.get("/request/devices/").content.decode()
    assert "3 × laptop" not in page and "4 × phone" in page
    assert client.get("/request/devices/9/").status_code == 404


def test_changing_an_answer_from_check_your_answers_comes_back_to_it(client, branch):
    walk(client, branch)
    response = client.post("/request/contact/?change=1", {**CONTACT, "contact_name": "Priya K Shah"})
    assert response.url == "/request/check/"
    assert "Priya K Shah" in client.get("/request/check/").content.decode()


def test_consent_is_required(client, branch):
    walk(client, branch)
    page = client.post("/request/check/", {}).content.decode()
    assert "Confirm that you have read the privacy notice" in page
    assert not CommunityRequest.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused(client, branch):
    walk(client, branch)
    response = client.post("/request/check/", {"consent": "on", "website": "http://spam.example"})
    assert "We could not accept this form" in response.content.decode()
    assert not CommunityRequest.objects.exists()
    response = client.post("/request/contact/", {**CONTACT, "website": "x"})
    assert response.status_code == 200 and "We could not accept this form" in response.content.decode()


def test_a_form_completed_faster_than_a_person_could_is_refused(client, branch, settings):
    settings.REQUEST_FORM_MIN_SECONDS = 600
    walk(client, branch)
    page = client.post("/request/check/", {"consent": "on"}).content.decode()
    assert "completed too quickly" in page
    assert not CommunityRequest.objects.exists()


def test_a_forged_or_missing_start_stamp_is_refused_but_keeps_the_answers(client):
    for token in ("", "1700000000:forged-signature"):
        response = client.post("/request/organisation/", {**ORGANISATION, "started": token})
        page = response.content.decode()
        assert response.status_code == 200 and "This page had expired" in page
        assert 'value="Northside Food Bank"' in page
        fresh = re.search(r'name="started" value="([^"]+)"', page).group(1)
        assert fresh not in ("", token)


def test_submissions_are_rate_limited_per_address(client, branch):
    walk(client, branch)
    statuses = [client.post("/request/check/", {}).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_an_over_the_cap_organisation_is_told_plainly(client, branch, settings):
    settings.REQUEST_OPEN_LIMIT = 1
    from tests.matching.support import submit

    submit(branch)
    walk(client, branch)
    page = client.post("/request/check/", {"consent": "on"}).content.decode()
    assert "the most we can take at once" in page
    assert CommunityRequest.objects.count() == 1


def test_the_privacy_notice_states_the_retention_period(client, settings):
    settings.REQUEST_CONTACT_RETENTION_DAYS = 400
    assert "400 days after the request is finished" in client.get("/request/privacy/").content.decode()

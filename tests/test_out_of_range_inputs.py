"""Attack: ids and dates out of range in any query string or form (`?received_to=31/12/9999`,
`?device=99999999999999999999`). Every page, generated from the URL configuration so that a new page is
covered too, answers each with a page (a form error, a 400 or a 404), never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from reuse.models import DeviceStatus
from reuse.services.lifecycle import device_transition

HUGE = "99999999999999999999"
VALUES = [HUGE, "31/12/9999", "9999-12-31", "01/01/0001", "-1"]
# Every query or form parameter a Relay page reads (filters, id lists, dates, paging).
PARAMS = [
    "device",
    "borrower",
    "record",
    "checklist",
    "mark",
    "connectivity",
    "received_from",
    "received_to",
    "started_at",
    "ended_at",
    "due_date",
    "intake",
    "page",
    "per_page",
    "site",
    "min_ram",
    "min_storage",
    "template",
    "printer",
    "skip",
    "count",
    "expected",
]


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if not str(entry.pattern).startswith("admin/"):
                yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


PATTERNS = sorted(set(_patterns()))


@pytest.fixture
def url_for(lendable, borrower, issue, branch, alice):
    device = lendable(serial="OOR-1")
    issue(device, borrower)
    received = lendable(serial="OOR-2")
    device_transition(device=received, to_status=DeviceStatus.RECEIVED, actor=alice, reason="fault found")

    def build(pattern: str) -> str:
        url = "/" + pattern
        for name, value in {
            "<str:tag>": device.asset_tag,
            "<str:code>": branch.code,
            "<str:token>": "not-a-token",
            "<str:number>": "RLY-SC-000001",
            "<str:reference>": "RLY-DB-000001",
        }.items():
            url = url.replace(name, value)
        while "<int:" in url:
            start = url.index("<int:")
            url = url[:start] + HUGE + url[url.index(">", start) + 1 :]
        return url

    return build


@pytest.mark.parametrize("pattern", PATTERNS)
def test_out_of_range_ids_and_dates_are_never_a_500(client, ada, url_for, pattern):
    url = url_for(pattern)
    client.force_login(ada)  # an administrator passes every role check, so every page is reached
    client.raise_request_exception = True
    tries = [(method, {name: value for name in PARAMS}) for value in VALUES for method in (client.get, client.post)]
    tries += [(client.get, {name: value}) for name in PARAMS for value in (HUGE, "31/12/9999")]
    tries += [(client.post, {name: HUGE}) for name in PARAMS]
    for method, data in tries:
        response = method(url, data)
        assert response.status_code < 500, (method.__name__, url, data)


def test_a_date_too_far_ahead_is_a_form_error_on_the_inventory(client, alice):
    client.force_login(alice)
    response = client.get("/devices/", {"received_to": "31/12/9999"})
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2200" in response.content.decode()


def test_a_huge_device_id_is_dropped_from_a_batch(client, alice):
    client.force_login(alice)
    response = client.get("/devices/sanitisation/batch/", {"device": HUGE})
    assert response.status_code == 200


def test_a_huge_device_id_in_a_bulk_move_is_a_form_error(client, alice, depot):
    client.force_login(alice)
    response = client.post("/devices/move/", {"device": HUGE, "site": depot.pk}, follow=True)
    assert response.status_code == 200
    assert f"{HUGE}” is not one of them" in response.content.decode()

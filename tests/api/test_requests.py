"""Community requests through the API: coordinators read them with their contacts, administrators without,
nobody else at all; every read of a contact logged as an API access; filters, paging and bad filters."""

import datetime

import pytest
from django.utils import timezone

from core.models import AccessChannel, PersonalDataAccess
from core.privacy import accesses_of
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db
REQUESTS = "/api/v1/requests/"


@pytest.fixture
def requests(community, other_branch):
    """A waiting charity request at Central, a declined community group's at Northgate, and a fulfilled one
    (one laptop handed over) submitted ten days ago."""
    waiting = community("waiting", contact_phone="07700 900555")
    declined = community("declined", kind="community", site=other_branch)
    fulfilled = community("fulfilled", submitted=timezone.now() - datetime.timedelta(days=10))
    return waiting, declined, fulfilled


def test_signed_out_is_401(api_as, requests):
    assert problem(api_as(None).get(REQUESTS), 401)["code"] == "not_authenticated"


@pytest.mark.parametrize("who", ["alice", "dina"])
def test_other_roles_are_refused(api_as, requests, who, request):
    api = api_as(request.getfixturevalue(who))
    assert problem(api.get(REQUESTS), 403)["code"] == "permission_denied"
    assert problem(api.get(f"{REQUESTS}{requests[0].reference}/"), 403)["code"] == "permission_denied"
    assert PersonalDataAccess.objects.count() == 0


def test_coordinators_read_requests_with_lines_allocations_and_contact(api_as, requests, carl):
    waiting, declined, fulfilled = requests
    results = api_as(carl).get(REQUESTS).json()["results"]
    assert [r["reference"] for r in results] == [waiting.reference, declined.reference, fulfilled.reference]
    first = results[0]
    assert first["contact"] == {"name": waiting.contact_name, "email": waiting.contact_email, "phone": "07700 900555"}
    assert first["status"] == "submitted" and first["branch"] == "CENTRAL" and first["area"] == "AN2"
    assert first["organisation"] == {"name": waiting.organisation.name, "type": "charity", "verified": False}
    assert first["lines"][0]["kind"] == "laptop" and first["lines"][0]["quantity"] == 1
    assert "accessibility" in first["lines"][0] and first["allocations"] == []
    done = api_as(carl).get(f"{REQUESTS}{fulfilled.reference.lower()}/").json()
    [allocation] = done["allocations"]
    assert done["status"] == "fulfilled" and allocation["state"] == "handed_over"
    assert allocation["line"] == done["lines"][0]["id"] and allocation["handover"].startswith("HO-")
    assert allocation["device"] == fulfilled.allocations.get().device.asset_tag


def test_administrators_read_requests_without_the_contact(api_as, requests, ada):
    results = api_as(ada).get(REQUESTS).json()["results"]
    assert len(results) == 3
    assert all(r["contact"] is None for r in results)
    assert all(line["accessibility"] is None for r in results for line in r["lines"])
    body = api_as(ada).get(f"{REQUESTS}{requests[0].reference}/").content.decode()
    assert requests[0].contact_email not in body and requests[0].contact_name not in body
    assert PersonalDataAccess.objects.count() == 0  # nothing personal was read


def test_every_api_read_of_a_contact_is_logged(api_as, requests, carl):
    waiting, declined, fulfilled = requests
    api = api_as(carl)
    api.get(REQUESTS)
    api.get(f"{REQUESTS}{waiting.reference}/")
    logged = list(accesses_of(waiting))
    assert len(logged) == 2
    assert {(a.actor, a.channel) for a in logged} == {(carl, AccessChannel.API)}
    assert {a.what for a in logged} == {"API: request list", "API: request"}
    assert len(accesses_of(declined)) == len(accesses_of(fulfilled)) == 1
    api.get(REQUESTS, {"status": "declined"})
    assert len(accesses_of(declined)) == 2 and len(accesses_of(waiting)) == 2  # only what was read


def test_filters(api_as, requests, carl):
    waiting, declined, fulfilled = requests
    api = api_as(carl)

    def refs(**query):
        return [r["reference"] for r in api.get(REQUESTS, query).json()["results"]]

    assert refs(status="declined") == [declined.reference]
    assert refs(status=["submitted", "fulfilled"]) == [waiting.reference, fulfilled.reference]
    assert refs(organisation_type="community") == [declined.reference]
    assert refs(branch="NORTHGATE") == [declined.reference]
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert refs(submitted_after=since) == [waiting.reference, declined.reference]
    assert refs(submitted_before=since) == [fulfilled.reference]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"status": "lost"}, "status"),
        ({"organisation_type": "club"}, "organisation_type"),
        ({"submitted_after": "yesterday"}, "submitted_after"),
        ({"cursor": "junk"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_malformed_filters_are_400_problems_naming_the_parameter(api_as, requests, carl, query, parameter):
    body = problem(api_as(carl).get(REQUESTS, query), 400)
    assert parameter in {e["parameter"] for e in body["errors"]}


def test_pages_follow_the_cursor(api_as, requests, carl):
    api = api_as(carl)
    first = api.get(REQUESTS, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert [r["reference"] for r in second["results"]] == [requests[2].reference] and second["next"] is None


def test_an_unknown_reference_is_404(api_as, requests, carl):
    problem(api_as(carl).get(f"{REQUESTS}REQ-1999-0001/"), 404)


def test_a_requests_page_fits_its_query_budget(api_as, requests, carl, django_assert_max_num_queries):
    api = api_as(carl)
    api.get(REQUESTS)  # content types cached
    with django_assert_max_num_queries(8):
        assert api.get(REQUESTS).status_code == 200


def test_requests_are_in_the_openapi_document(client, db):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/requests/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"status", "organisation_type", "submitted_after", "submitted_before", "cursor"} <= names
    assert {"401", "403", "400"} <= set(operation["responses"])
    assert "/api/v1/requests/{reference}/" in schema["paths"]

"""Loans through the API: desk staff at their own branches, administrators everywhere, nobody else; every
read of a borrower's name logged as an API access."""

import pytest

from core.models import AccessChannel, PersonalDataAccess
from core.privacy import accesses_of
from core.roles import DESK
from reuse.services.lifecycle import device_move
from tests.api.conftest import problem
from tests.factories import make_user

pytestmark = pytest.mark.django_db
LOANS = "/api/v1/loans/"


@pytest.fixture
def ellis(other_branch):
    """Library desk staff at Northgate Library."""
    return make_user("ellis", DESK, [other_branch])


@pytest.fixture
def loans(lendable, borrower, make_borrower, issue, other_branch, ready_device, alice, ellis):
    """One loan at Central Library (dina's), one at Northgate (ellis's)."""
    here = issue(lendable(), borrower)
    device = ready_device()
    device_move(device=device, site=other_branch, actor=alice)
    device.refresh_from_db()
    there = issue(device, make_borrower(), site=other_branch, actor=ellis)
    return here, there


def test_desk_staff_read_loans_at_their_branches_only(api_as, loans, dina):
    here, there = loans
    results = api_as(dina).get(LOANS).json()["results"]
    assert [r["id"] for r in results] == [here.pk]
    assert results[0]["borrower"] == {"id": here.borrower_id, "name": "Rosa Clarke", "card_last_digits": "9999"}
    assert results[0]["branch"] == "CENTRAL" and results[0]["device"] == here.device.asset_tag
    problem(api_as(dina).get(f"{LOANS}{there.pk}/"), 404)


def test_administrators_read_every_loan(api_as, loans, ada):
    assert {r["id"] for r in api_as(ada).get(LOANS).json()["results"]} == {loan.pk for loan in loans}


@pytest.mark.parametrize("who", ["alice", "carl"])
def test_other_roles_are_refused(api_as, loans, who, request):
    assert problem(api_as(request.getfixturevalue(who)).get(LOANS), 403)["code"] == "permission_denied"
    assert PersonalDataAccess.objects.count() == 0


def test_every_api_read_of_a_borrower_is_logged(api_as, loans, dina):
    here, _there = loans
    api = api_as(dina)
    api.get(LOANS)
    api.get(f"{LOANS}{here.pk}/")
    logged = list(accesses_of(here.borrower))
    assert len(logged) == 2
    assert {(a.actor, a.channel) for a in logged} == {(dina, AccessChannel.API)}
    assert {a.what for a in logged} == {"API: loan list", "API: loan"}


def test_filters_on_loans(api_as, loans, ada):
    here, there = loans
    api = api_as(ada)
    assert [r["id"] for r in api.get(LOANS, {"branch": "NORTHGATE"}).json()["results"]] == [there.pk]
    assert [r["id"] for r in api.get(LOANS, {"device": here.device.asset_tag.lower()}).json()["results"]] == [here.pk]
    assert len(api.get(LOANS, {"open": "true"}).json()["results"]) == 2
    assert api.get(LOANS, {"open": "false"}).json()["results"] == []
    assert "open" in {e["parameter"] for e in problem(api.get(LOANS, {"open": "maybe"}), 400)["errors"]}


def test_a_loans_page_fits_its_query_budget(api_as, loans, ada, django_assert_max_num_queries):
    api = api_as(ada)
    api.get(LOANS)  # content types cached
    with django_assert_max_num_queries(6):
        assert api.get(LOANS).status_code == 200

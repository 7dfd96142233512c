"""The open datasets in the API: no token, the same document as the JSON download, nothing personal."""

import pytest

from insights.datasets import DATASETS
from insights.services import figures_refresh
from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(lendable, borrower, issue, make_device, community):
    community("fulfilled", people=9)
    make_device(kind="desktop")
    issue(lendable(), borrower)
    figures_refresh()
    return borrower


def test_the_index_lists_every_dataset_without_a_token(client, published):
    body = client.get("/api/v1/open-data/").json()
    assert [d["name"] for d in body["datasets"]] == list(DATASETS)
    assert body["licence"]["name"] == "OGL-UK-3.0" and body["last_updated"]
    assert body["datapackage"].endswith("/open-data/datapackage.json")


@pytest.mark.parametrize("name", list(DATASETS))
def test_each_dataset_is_the_json_download(client, published, name):
    from_api = client.get(f"/api/v1/open-data/{name}/").json()
    assert from_api == client.get(f"/open-data/{name}.json").json()
    assert from_api["data"]


def test_a_bad_token_does_not_stop_a_public_read(client, published):
    assert client.get("/api/v1/open-data/", HTTP_AUTHORIZATION="Bearer rly_junk").status_code == 200


def test_an_unknown_dataset_is_a_404_problem(client, db):
    assert problem(client.get("/api/v1/open-data/borrowers/"), 404)["code"] == "not_found"


def test_public_api_responses_hold_nothing_personal(client, published, alice, dina):
    text = client.get("/api/v1/open-data/").content.decode()
    text += "".join(client.get(f"/api/v1/open-data/{name}/").content.decode() for name in DATASETS)
    text += client.get("/api/schema/").content.decode()
    for value in (published.name, published.email, published.card_number, published.postcode, alice.email, dina.email):
        assert value not in text


def test_open_data_in_the_api_fits_its_query_budget(client, published, django_assert_max_num_queries):
    for name in DATASETS:
        with django_assert_max_num_queries(10):
            assert client.get(f"/api/v1/open-data/{name}/").status_code == 200

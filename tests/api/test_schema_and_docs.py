"""The OpenAPI document, the docs page served from this service (no CDN, no inline script), the problem
type pages, and throttling."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from api.problems import PROBLEM_TYPES
from tests.api.conftest import Api, problem

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_is_public_and_documents_the_bearer_scheme_and_problems(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    devices = schema["paths"]["/api/v1/devices/"]
    assert devices["get"]["security"] == [{"bearerAuth": []}]
    for code in ("400", "401", "403", "429"):
        assert list(devices["post"]["responses"][code]["content"]) == ["application/problem+json"]
    assert "security" not in schema["paths"]["/api/v1/open-data/"]["get"] or schema["paths"]["/api/v1/open-data/"][
        "get"
    ]["security"] in ([], [{}])
    assert schema["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail", "code"]


def test_docs_page_uses_only_local_assets_and_no_inline_script(client, db):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 3 and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page and " style=" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "/api/docs/?script=" in sources
    for source in set(sources) - {
        "/api/docs/?script="
    }:  # shipped in drf-spectacular-sidecar, collected with the other static files
        assert source.startswith("/static/") and finders.find(source.removeprefix("/static/")), source
    init = client.get("/api/docs/?script=")
    assert init["Content-Type"].startswith("application/javascript") and "/api/schema/" in init.content.decode()


@pytest.mark.parametrize("slug", list(PROBLEM_TYPES))
def test_every_problem_type_has_its_page(client, db, slug):
    response = client.get(f"/api/problems/{slug}")
    assert response.status_code == 200 and PROBLEM_TYPES[slug].title in response.content.decode()


def test_an_unknown_path_under_the_api_is_404(client, alice, token_for):
    assert Api(client, token_for(alice)).get("/api/v1/devices/RLY-NOPE/").status_code == 404


def test_a_token_over_its_rate_gets_429_with_retry_after(client, alice, token_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/minute", "address": "100/minute"},
    }
    api = Api(client, token_for(alice))
    assert [api.get("/api/v1/sites/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/sites/")
    assert problem(response, 429)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another token of the same user has its own count.
    assert Api(client, token_for(alice)).get("/api/v1/sites/").status_code == 200


def test_an_address_over_its_rate_gets_429_whatever_the_token(client, alice, token_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100/minute", "address": "2/minute"},
    }
    assert client.get("/api/v1/open-data/").status_code == 200
    assert Api(client, token_for(alice)).get("/api/v1/sites/").status_code == 200
    problem(Api(client, token_for(alice)).get("/api/v1/sites/"), 429)
    problem(client.get("/api/v1/open-data/"), 429)
    # A different client address is counted apart.
    assert client.get("/api/v1/open-data/", REMOTE_ADDR="192.0.2.9").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/loans/0.5/", "/api/v1/nothing-here/", "/api/v1/devices/RLY-1/nope/"])
def test_paths_no_endpoint_matches_are_problem_404s(client, alice, token_for, path):
    assert problem(Api(client, token_for(alice)).get(path), 404)["code"] == "not_found"
    assert problem(client.post(path, "{}", content_type="application/json"), 404)["code"] == "not_found"

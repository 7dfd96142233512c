"""An integration written from the OpenAPI document alone, against a live server: it reads /api/schema/,
finds each operation by its operationId, builds the requests the document describes and checks every
response against the document's schema. It creates a device at intake, finds it by serial and reads its
custody events."""

import jsonschema
import pytest
import requests

from api.services import api_token_create

pytestmark = pytest.mark.django_db(transaction=True)


def json_schema(schema):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable: true` becomes a null alternative."""
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: json_schema(value) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Integration:
    """What a council's integrator writes with nothing but the document: operations by operationId."""

    def __init__(self, base_url: str, token: str):
        self.base = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.document = requests.get(f"{base_url}/api/schema/", params={"format": "json"}, timeout=10).json()
        self.operations = {
            operation["operationId"]: (method, path, operation)
            for path, item in self.document["paths"].items()
            for method, operation in item.items()
        }
        self.components = json_schema(self.document["components"])

    def call(self, operation_id: str, *, path=None, query=None, body=None):
        method, template, operation = self.operations[operation_id]
        response = self.session.request(
            method.upper(), self.base + template.format(**(path or {})), params=query, json=body, timeout=10
        )
        documented = operation["responses"][str(response.status_code)]
        media_type = response.headers["Content-Type"].split(";")[0]
        schema = documented["content"][media_type]["schema"]
        jsonschema.validate(response.json(), {**json_schema(schema), "components": self.components})
        return response


def test_an_integration_from_the_document_alone(live_server, depot, alice):
    token = api_token_create(user=alice, name="Asset register sync", scope="write")[1]
    api = Integration(live_server.url, token)

    sites = api.call("sites_list").json()
    depot_code = next(site["code"] for site in sites if site["kind"] == "depot")

    created = api.call(
        "devices_create",
        body={
            "site": depot_code,
            "kind": "laptop",
            "make": "Dell",
            "model": "Latitude 5490",
            "serial": "CN0ABC123",
            "drives": [{"kind": "ssd", "serial": "S3Z9NB0K"}],
        },
    )
    assert created.status_code == 201
    tag = created.json()["asset_tag"]

    found = api.call("devices_lookup_retrieve", query={"serial": "CN0ABC123"})
    assert found.json()["asset_tag"] == tag and found.json()["status"] == "received"

    events = api.call("devices_events_list", path={"asset_tag": tag}).json()["results"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [("", "received")]
    assert events[0]["actor"] == "Alice"

    # The refusals the document promises come as it describes them too.
    again = api.call(
        "devices_create",
        body={"site": depot_code, "kind": "laptop", "make": "Dell", "model": "X", "serial": "CN0ABC123"},
    )
    assert again.status_code == 400 and {e["pointer"] for e in again.json()["errors"]} >= {"#/serial", "#/drives"}
    missing = api.call("devices_lookup_retrieve", query={"serial": "NOT-THERE"})
    assert missing.status_code == 404

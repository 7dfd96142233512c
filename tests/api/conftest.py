"""API fixtures: tokens for the personas, and a client that sends them as `Authorization: Bearer`."""

import json

import pytest

from api.services import api_token_create


class Api:
    """The Django test client with a token: `api.get(path, **query)`, `api.post(path, body)`."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self, extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **extra}

    def get(self, path, query=None, **extra):
        return self.client.get(path, query or {}, **self._headers(extra))

    def post(self, path, body=None, *, raw=None, content_type="application/json", **extra):
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(path, data, content_type=content_type, **self._headers(extra))

    def put(self, path, body=None, **extra):
        return self.client.put(path, json.dumps(body or {}), content_type="application/json", **self._headers(extra))


@pytest.fixture
def token_for(db):
    """`token_for(user, scope="read", days=90) -> str`: a new API token acting as `user`."""

    def make(user, scope="read", days=90, name="Tests"):
        return api_token_create(user=user, name=name, scope=scope, days=days)[1]

    return make


@pytest.fixture
def api_as(client, token_for):
    """`api_as(user, scope="read")`: an API client holding a new token for `user`; `api_as(None)` has none."""

    def make(user, scope="read"):
        return Api(client, token_for(user, scope) if user is not None else None)

    return make


def problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = response.json()
    assert body["status"] == status and body["type"].endswith(f"/api/problems/{body['type'].rsplit('/', 1)[1]}")
    return body


def pointers(body: dict) -> dict[str, str]:
    return {e.get("pointer") or e.get("parameter"): e["detail"] for e in body.get("errors", [])}

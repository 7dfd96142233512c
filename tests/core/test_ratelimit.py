"""Rate limits answer with the branded 429 page, count per client address, and reset per window."""

import pytest

pytestmark = [pytest.mark.urls("tests.core.urls_for_tests"), pytest.mark.django_db]


def test_over_the_limit_is_a_branded_429_with_retry_after(client, settings):
    for _ in range(3):
        assert client.get("/limited/").status_code == 200
    response = client.get("/limited/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert "too many requests from your connection" in body
    assert settings.COUNCIL_PHONE in body
    assert "Nothing you sent has been saved" in body


def test_each_client_address_has_its_own_count(client):
    for _ in range(3):
        client.get("/limited/", REMOTE_ADDR="198.51.100.1")
    assert client.get("/limited/", REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.get("/limited/", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_behind_a_proxy_the_count_follows_the_client_not_the_proxy(client, settings):
    settings.PROXY_COUNT = 1
    for _ in range(3):
        client.get("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client.get("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert client.get("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    # A client that forges extra entries on the left is still counted as itself.
    forged = "192.0.2.99, 203.0.113.1"
    assert client.get("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged).status_code == 429


def test_a_writes_only_limit_leaves_reading_alone(client):
    for _ in range(5):
        assert client.get("/limited-writes/").status_code == 200
    assert client.post("/limited-writes/").status_code == 200
    assert client.post("/limited-writes/").status_code == 200
    assert client.post("/limited-writes/").status_code == 429

"""The client's address behind PROXY_COUNT proxies: the one login lockouts and rate limits key on."""

import pytest
from django.test import RequestFactory

from core.http import client_ip
from tests.factories import PASSWORD


def request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a forged entry on the left is ignored
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),  # fewer entries than proxies: went round them
        (1, "not-an-address", "10.0.0.9"),
        (1, "", "10.0.0.9"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_exactly_proxy_count_proxies(settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected


def test_no_header_behind_a_proxy_falls_back_to_the_connecting_address(settings):
    settings.PROXY_COUNT = 1
    assert client_ip(request()) == "10.0.0.9"


def test_lockout_behind_a_proxy_keys_on_the_client_not_on_the_user_name_alone(client, settings, alice):
    """Before, PROXY_COUNT did nothing: behind a proxy every attempt came from the proxy's address, so five
    wrong passwords from one attacker locked alice out for everyone."""
    settings.PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"}, **attacker)
    locked = client.post("/accounts/login/", {"username": "alice", "password": "wrong"}, **attacker)
    assert locked.status_code == 429
    colleague = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, **colleague)
    assert response.status_code == 302
    assert response.url == "/"

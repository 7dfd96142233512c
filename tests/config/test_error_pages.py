"""Dead ends are branded: 403, 404 and 500 carry the council's name and how to reach it."""

import pytest
from django.test import Client, RequestFactory

from config.views import server_error


def assert_branded(response, settings):
    body = response.content.decode()
    assert settings.COUNCIL_NAME in body
    assert settings.COUNCIL_PHONE in body
    assert f'href="tel:{settings.COUNCIL_PHONE.replace(" ", "")}"' in body
    assert f'href="mailto:{settings.COUNCIL_EMAIL}"' in body
    assert "govuk-heading-l" in body


def test_unknown_page_is_a_branded_404(client, db, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_branded(response, settings)


def test_signed_in_404_offers_the_way_home(client, alice, settings):
    client.force_login(alice)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/">Go to your home page' in response.content.decode()


def test_a_role_without_access_gets_a_branded_403(client, nobody, settings):
    client.force_login(nobody)
    response = client.get("/devices/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot see this page" in body
    assert "ask an administrator" in body
    assert_branded(response, settings)


@pytest.mark.urls("tests.core.urls_for_tests")
def test_a_bug_is_a_branded_500(db, settings):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert_branded(response, settings)


def test_the_500_page_reads_nothing_from_the_database(db, alice, django_assert_num_queries):
    """The database may be what failed: the page must render without it (no navigation, no roles)."""
    request = RequestFactory().get("/")
    request.user = alice
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()

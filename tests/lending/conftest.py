"""Fixtures for lending's page tests."""

import pytest


@pytest.fixture
def desk(client, dina):
    """A browser-less client signed in as Dina, desk staff at the branch."""
    client.force_login(dina)
    return client

"""`load(**env)`: settings.py run afresh on a clean environment holding only `env` (shared by the settings tests)."""

import runpy

import pytest
from django.conf import settings

from tests.config.test_settings_table import settings_variables


@pytest.fixture
def load(monkeypatch):
    def load(**env):
        for name in settings_variables():
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))

    return load

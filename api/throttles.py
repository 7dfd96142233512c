"""Throttling (DRF), counted in the cache: per token, and per client address (`core.http.client_ip`, the
same address lockouts and rate limits key on), so neither one busy integration nor one address sending
many tokens can crowd everyone else out."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from core.http import client_ip


class SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        # Read at each request, not once at import, so a changed setting (a test, a reload) applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenThrottle(SettingsRate):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressThrottle(SettingsRate):
    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

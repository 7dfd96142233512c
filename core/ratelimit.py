"""Per-address rate limits for public pages and forms, on django-ratelimit and the default cache.

Counts live in the cache: Redis when `REDIS_URL` is set (shared by every web process), otherwise local
memory, which is per process (with several gunicorn workers each keeps its own count). A request over
the limit raises `Ratelimited`, a `PermissionDenied`, which `config.views.forbidden` answers with the
branded 429 page.
"""

from django_ratelimit import ALL, UNSAFE
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from core.http import client_ip

__all__ = ["ALL", "UNSAFE", "Ratelimited", "rate_limit", "for_anonymous"]


def _client_key(group, request) -> str:
    return client_ip(request)


def rate_limit(group: str, rate: str, *, methods=ALL):
    """View decorator: at most `rate` ("10/m", "100/h") requests per client address to views sharing
    `group`; `methods=UNSAFE` counts only POSTs and other writes."""
    return ratelimit(group=group, key=_client_key, rate=rate, method=methods, block=True)


def for_anonymous(rate: str):
    """A rate for `rate_limit` that counts only requests from people not signed in (public pages that staff
    also use at speed: scanning a pile of labels at the depot must not hit the public page's limit)."""

    def rate_for(group, request):
        return None if request.user.is_authenticated else rate

    return rate_for

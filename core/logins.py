"""Password spraying: many user names tried from one address. django-axes locks a user name at one
address after LOGIN_FAILURE_LIMIT failures; this counts every failure from an address, whatever the user
name, and refuses that address once it reaches LOGIN_ADDRESS_FAILURE_LIMIT within LOGIN_COOLOFF_MINUTES.
The limit is higher than axes' own, since a library branch's staff share one address behind its router.
"""

import datetime

from django.conf import settings
from django.core.cache import cache

from core.http import client_ip


def _key(request) -> str:
    return f"relay-login-failures:{client_ip(request)}"


def cooloff() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def record_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """user_login_failed: one more failure from the request's address (the window starts at the first)."""
    if request is None:
        return
    key = _key(request)
    cache.add(key, 0, timeout=int(cooloff().total_seconds()))
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=int(cooloff().total_seconds()))


def address_locked_out(request) -> bool:
    return (cache.get(_key(request)) or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

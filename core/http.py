"""Who is asking: the client's address, read the same way by login lockouts and rate limits."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting exactly `PROXY_COUNT` reverse proxies in front of Relay.

    Each proxy appends the address it received the request from to `X-Forwarded-For`, so with N proxies
    the client is the N-th entry from the right; anything further left was written by the client and
    proves nothing. A header with fewer entries than that (a request that went round the proxies) or a
    malformed entry falls back to the connecting address, which cannot be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than `MAX_REQUEST_MB` before Django reads it: a form's own size check
    (CSV, evidence, wipe logs) runs only after the whole upload has been spooled to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.shortcuts import render

            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            response = render(request, "413.html", {"limit_mb": limit_mb}, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)

"""Public: the custody log's daily digests, so a copy of every chain's head lives outside Relay.

Asset tags, sequence numbers and hashes only: nothing personal, nothing that says where a device is.
The open-data index (/open-data/) links here.
"""

import datetime
import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.ratelimit import rate_limit
from reuse.models import AuditDigest

PER_PAGE = 30


@require_GET
@rate_limit("open-data", "60/m")
def audit_digest_list(request):
    digests = AuditDigest.objects.defer("heads").order_by("-day")
    page = Paginator(digests, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reuse/audit/digests.html", {"page": page})


def _digest(day: str) -> AuditDigest:
    try:
        when = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(AuditDigest, day=when)


def digest_json(digest: AuditDigest) -> dict:
    return {
        "day": digest.day.isoformat(),
        "made_at": digest.made_at.isoformat(),
        "last_event_id": digest.last_event_id,
        "chains": digest.chains,
        "events": digest.events,
        "sha256": digest.sha256,
        "signature": digest.signature,
        "key_id": digest.key_id,
        "heads": [{"asset_tag": tag, "seq": seq, "hash": h} for tag, seq, h in digest.head_rows()],
    }


@require_GET
@rate_limit("open-data", "60/m")
def audit_digest_csv(request, day: str):
    digest = _digest(day)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="relay-custody-heads-{digest.day}.csv"'
    response.write("day,asset_tag,seq,hash\n")
    response.write("".join(f"{digest.day},{line}\n" for line in digest.heads.splitlines()))
    return response


@require_GET
@rate_limit("open-data", "60/m")
def audit_digest_json(request, day: str):
    digest = _digest(day)
    response = HttpResponse(json.dumps(digest_json(digest), indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="relay-custody-heads-{digest.day}.json"'
    return response

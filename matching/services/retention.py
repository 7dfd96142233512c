"""Forgetting request contacts on the retention schedule (registered with `core.retention` by the app).

REQUEST_CONTACT_RETENTION_DAYS after a request is finished (declined, withdrawn, complete or closed), and
once no follow-up is still to be sent, its personal data goes: the contact's name, email and phone, the
household reference's HMAC, the name and signature of whoever signed for the devices, and free text that
may name people (accessibility needs, coordinators' notes, follow-up comments). The figures stay: what
was asked for, allocated and handed over, and how many people the devices reached.
"""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.retention import RetentionRule
from matching.models import CommunityRequest, FollowUp, Handover, RequestEvent, RequestLine

NAME = "request contacts"
ERASED = "(removed under the retention schedule)"


def contacts_due(now: datetime.datetime) -> QuerySet[CommunityRequest]:
    cutoff = now - datetime.timedelta(days=settings.REQUEST_CONTACT_RETENTION_DAYS)
    return (
        CommunityRequest.objects.filter(
            status__in=CommunityRequest.FINISHED, finished_at__lt=cutoff, anonymised_at__isnull=True
        )
        .exclude(pk__in=FollowUp.objects.filter(sent_at__isnull=True).values("request_id"))
        .order_by("pk")
    )


@transaction.atomic
def contact_anonymise(request: CommunityRequest) -> None:
    CommunityRequest.objects.filter(pk=request.pk).update(
        contact_name="", contact_email="", contact_phone="", client_reference_hmac="", anonymised_at=timezone.now()
    )
    Handover.objects.filter(request_id=request.pk).update(signed_by_name="", signed_by_role="", signature_png=None)
    RequestLine.objects.filter(request_id=request.pk).update(accessibility="")
    FollowUp.objects.filter(request_id=request.pk).update(comments="")
    RequestEvent.objects.filter(request_id=request.pk, kind=RequestEvent.Kind.NOTE).update(text=ERASED)
    request.refresh_from_db()


def _anonymise(record: models.Model) -> None:
    assert isinstance(record, CommunityRequest)
    contact_anonymise(record)


RULE = RetentionRule(name=NAME, period_setting="REQUEST_CONTACT_RETENTION_DAYS", due=contacts_due, anonymise=_anonymise)

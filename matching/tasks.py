"""django-q2 entry points. Each takes ids (never personal data) and calls a service or sends one email.

Emails go through Django's mail API (so any email backend works, GOV.UK Notify included); links in them
start with SITE_URL. Nothing is sent for a request whose contact has been forgotten.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from core.errors import DomainError
from matching.estimates import estimate_waits
from matching.models import CollectionBooking, CommunityRequest, FollowUp, Handover, MatchRun
from matching.pdf import agreement_filename, build_handover_agreement
from matching.services.followups import follow_ups_send_due
from matching.services.runs import match_run

log = logging.getLogger(__name__)


def status_url(request: CommunityRequest) -> str:
    return settings.SITE_URL + reverse("matching:status", args=[request.status_token])


def _send(request: CommunityRequest, subject: str, template: str, context: dict, attachment=None) -> bool:
    if request.is_anonymised or not request.contact_email:
        return False
    body = render_to_string(
        f"matching/email/{template}",
        {
            "request": request,
            "status_url": status_url(request),
            "SERVICE_NAME": settings.SERVICE_NAME,
            "COUNCIL_NAME": settings.COUNCIL_NAME,
            "COUNCIL_PHONE": settings.COUNCIL_PHONE,
            "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
            **context,
        },
    )
    message = EmailMessage(subject=f"{subject} ({request.reference})", body=body, to=[request.contact_email])
    if attachment:
        message.attach(*attachment)
    message.send()
    log.info("Emailed %s about %s", template.removesuffix(".txt"), request.reference)
    return True


def _request(request_id: int) -> CommunityRequest:
    return CommunityRequest.objects.select_related("organisation", "collection_site").get(pk=request_id)


def email_request_received(request_id: int) -> bool:
    request = _request(request_id)
    return _send(request, "We have your request", "received.txt", {"estimates": estimate_waits(request)})


def email_decision(request_id: int) -> bool:
    request = _request(request_id)
    if request.is_declined:
        return _send(request, "Your request has been declined", "declined.txt", {})
    return _send(request, "Your request is approved", "approved.txt", {"estimates": estimate_waits(request)})


def email_allocated(request_id: int) -> bool:
    request = _request(request_id)
    waiting = request.allocations.awaiting_handover().select_related("line", "device")
    return _send(request, "Devices are ready for you to collect", "allocated.txt", {"allocations": waiting})


def email_collection_booked(booking_id: int) -> bool:
    booking = CollectionBooking.objects.select_related("request", "site").get(pk=booking_id)
    request = _request(booking.request_id)
    return _send(request, "Your collection is booked", "booked.txt", {"booking": booking})


def email_handover(handover_id: int) -> bool:
    handover = Handover.objects.select_related("request").get(pk=handover_id)
    request = _request(handover.request_id)
    attachment = (agreement_filename(handover), build_handover_agreement(handover), "application/pdf")
    return _send(request, "Your signed agreement", "handed_over.txt", {"handover": handover}, attachment)


def email_follow_up(follow_up_id: int) -> bool:
    follow_up = FollowUp.objects.select_related("handover").get(pk=follow_up_id)
    if follow_up.is_answered:
        return False
    request = _request(follow_up.request_id)
    link = settings.SITE_URL + reverse("matching:follow-up", args=[follow_up.token])
    return _send(request, "How are the devices doing?", "follow_up.txt", {"follow_up": follow_up, "link": link})


def send_follow_ups() -> int:
    sent = follow_ups_send_due()
    log.info("Queued %s follow-up emails", sent)
    return sent


def run_nightly() -> int | None:
    """The nightly run: proposals stored for the coordinators' morning review."""
    try:
        run = match_run(trigger=MatchRun.Trigger.SCHEDULE, commit=True)
    except DomainError as error:
        log.warning("Nightly matching did not run: %s", error.message)
        return None
    return run.pk


def run_matching(run_id: int) -> int | None:
    """A run a coordinator started with the button (already recorded as running)."""
    run = MatchRun.objects.get(pk=run_id)
    try:
        match_run(run=run, commit=True)
    except DomainError as error:
        log.warning("Matching run %s failed: %s", run_id, error.message)
        return None
    return run.pk

"""The group's private pages, found only by an unguessable token: the request's status, booking the
collection, withdrawing, and the follow-up questions. A wrong token is the branded 404, which says
nothing; each page is rate limited per address and never cached; none shows another request."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.ratelimit import rate_limit
from matching.estimates import estimate_waits
from matching.forms.public import BookingForm, FollowUpForm, WithdrawForm
from matching.models import CommunityRequest, FollowUp
from matching.selectors import line_progress, open_follow_ups, request_steps
from matching.services.followups import follow_up_answer
from matching.services.handovers import collection_book, collection_days
from matching.services.requests import request_withdraw

# Enough for a person clicking about, far too few to guess a 43-character token.
token_rate = rate_limit("request-token", "30/m")


def _by_token(token: str) -> CommunityRequest:
    return get_object_or_404(
        CommunityRequest.objects.select_related("organisation", "collection_site"), status_token=token
    )


@never_cache
@token_rate
def status(request, token: str):
    req = _by_token(token)
    waiting = req.allocations.awaiting_handover().select_related("device", "line")
    context = {
        "req": req,
        "steps": request_steps(req),
        "lines": line_progress(req),
        "estimates": [e for e in estimate_waits(req) if e.remaining] if req.is_open else [],
        "waiting": waiting,
        "handed": req.allocations.handed_over().select_related("device", "line", "handover"),
        "booking": req.bookings.live().first(),
        "follow_ups": open_follow_ups(req),
        "events": req.events.filter(public=True).order_by("-at", "-pk"),
        "can_book": req.is_approved and waiting.exists(),
    }
    return render(request, "matching/status/status.html", context)


@never_cache
@token_rate
@require_http_methods(["GET", "POST"])
def status_book(request, token: str):
    req = _by_token(token)
    waiting = req.is_approved and req.allocations.awaiting_handover().exists()
    days = collection_days(req) if waiting else []
    form = BookingForm(request.POST if request.method == "POST" else None, days=days)
    if request.method == "POST" and form.is_valid():
        try:
            booking = collection_book(request=req, date=form.cleaned_data["date"], part=form.cleaned_data["part"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Collection booked: {booking.site}, {booking.date:%A %-d %B}, {booking.get_part_display().lower()}.",
            )
            return redirect("matching:status", token=token)
    return render(request, "matching/status/book.html", {"req": req, "form": form, "days": days})


@never_cache
@token_rate
@require_http_methods(["GET", "POST"])
def status_withdraw(request, token: str):
    req = _by_token(token)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            request_withdraw(request=req, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Request {req.reference} withdrawn.")
            return redirect("matching:status", token=token)
    return render(request, "matching/status/withdraw.html", {"req": req, "form": form})


@never_cache
@token_rate
@require_http_methods(["GET", "POST"])
def follow_up(request, token: str):
    item = get_object_or_404(FollowUp.objects.select_related("request__organisation", "handover"), token=token)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if not item.is_answered and request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(follow_up=item, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("matching:follow-up", token=token)
    handed = item.handover.allocations.count()
    return render(request, "matching/status/follow_up.html", {"item": item, "form": form, "handed": handed})

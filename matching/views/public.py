"""The public request form at /request/: a few question pages, "Check your answers", then the
confirmation. No account: what has been typed so far lives in the visitor's session (never in a URL).

Bots are stopped without a CAPTCHA: a honeypot field on every page, a per-address rate limit on every
submission, and a signed timestamp from the first question page, so a form completed faster than
REQUEST_FORM_MIN_SECONDS is refused.
"""

import datetime
import time

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.ratelimit import UNSAFE, rate_limit
from matching.estimates import estimate_waits
from matching.forms.public import (
    AnotherForm,
    CollectionForm,
    ConsentForm,
    ContactForm,
    LineForm,
    OrganisationForm,
    PeopleForm,
    started_at,
    started_token,
)
from matching.models import MAX_LINES, CommunityRequest, Connectivity, OrganisationKind, ServedGroup
from matching.services.requests import LineDraft, RequestDraft, request_submit
from reuse.models import DeviceKind, Site

DRAFT = "matching_request_draft"
SUBMITTED = "matching_request_submitted"
STEPS = ("organisation", "contact", "people", "devices", "collection")
TOO_QUICK = "We could not accept this form because it was completed too quickly. Check your answers and send it again."
form_rate = rate_limit("request-form", "60/h", methods=UNSAFE)
submit_rate = rate_limit("request-submit", "10/h", methods=UNSAFE)


def _draft(request) -> dict:
    return request.session.setdefault(DRAFT, {"lines": []})


def _save(request, key: str, value) -> None:
    draft = _draft(request)
    draft[key] = value
    request.session.modified = True


def _json(data: dict) -> dict:
    """Cleaned form data as the session keeps it (dates as ISO text, models as their pk)."""
    out = {}
    for key, value in data.items():
        if key in ("website", "started"):
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        out[key] = value
    return out


def _initial(data: dict | None) -> dict:
    if not data:
        return {}
    out = dict(data)
    for key in ("needed_by", "updates_until"):
        if out.get(key):
            out[key] = datetime.date.fromisoformat(out[key])
    return out


def _missing_step(draft: dict) -> str | None:
    for step in STEPS:
        if step == "devices":
            if not draft.get("lines"):
                return step
        elif step not in draft:
            return step
    return None


def _next(request, step: str) -> str:
    """Where a finished question page goes: back to "Check your answers" when changing an answer, or on."""
    draft = _draft(request)
    if request.GET.get("change") and _missing_step(draft) is None:
        return reverse("matching:request-check")
    missing = _missing_step(draft)
    return reverse(f"matching:request-{missing}") if missing else reverse("matching:request-check")


def _guard(request, step: str):
    """A question page reached before the ones it follows sends the visitor back to the first missing one."""
    draft = _draft(request)
    for earlier in STEPS[: STEPS.index(step)]:
        if (earlier == "devices" and not draft.get("lines")) or (earlier != "devices" and earlier not in draft):
            return redirect(f"matching:request-{earlier}")
    return None


def _page(request, template: str, form, step: str, **context):
    return render(
        request,
        f"matching/public/{template}",
        {"form": form, "step": step, "step_number": STEPS.index(step) + 1, "steps": len(STEPS), **context},
    )


@never_cache
def request_start(request):
    return render(request, "matching/public/start.html")


def request_privacy(request):
    days = settings.REQUEST_CONTACT_RETENTION_DAYS
    return render(request, "matching/public/privacy.html", {"retention_days": f"{days} days"})


def _step(step: str, form_class, template: str):
    @never_cache
    @require_http_methods(["GET", "POST"])
    @form_rate
    def view(request):
        blocked = _guard(request, step)
        if blocked:
            return blocked
        draft = _draft(request)
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                started = draft.get("started") or started_at(form.cleaned_data.get("started", ""))
                if step == "organisation" and started is None:
                    # Not started from this page (or hours ago): a fresh timestamp, and the answers kept.
                    form = form_class({**request.POST.dict(), "started": started_token()})
                    form.is_valid()
                    form.add_error(None, "This page had expired. Check your answers and continue.")
                    return _page(request, template, form, step)
                if step == "organisation":
                    _save(request, "started", started)
                _save(request, step, _json(form.cleaned_data))
                return redirect(_next(request, step))
        else:
            initial = _initial(draft.get(step))
            if step == "organisation":
                initial["started"] = started_token()
            form = form_class(initial=initial)
        return _page(request, template, form, step)

    view.__name__ = f"request_{step}"
    return view


request_organisation = _step("organisation", OrganisationForm, "organisation.html")
request_contact = _step("contact", ContactForm, "contact.html")
request_people = _step("people", PeopleForm, "people.html")
request_collection = _step("collection", CollectionForm, "collection.html")


def _line_summary(line: dict) -> str:
    kind = DeviceKind(line["kind"]).label.lower()
    words = [f"{line['quantity']} × {kind}"]
    spec = []
    if line.get("min_ram_gb"):
        spec.append(f"at least {line['min_ram_gb']} GB RAM")
    if line.get("min_storage_gb"):
        spec.append(f"at least {line['min_storage_gb']} GB storage")
    if line.get("webcam"):
        spec.append("a webcam")
    if line.get("updates_until"):
        until = datetime.date.fromisoformat(line["updates_until"])
        spec.append(f"security updates until at least {until:%-d %B %Y}")
    if spec:
        words.append("with " + ", ".join(spec))
    if line.get("connectivity"):
        words.append(f"with {Connectivity(line['connectivity']).label.lower()}")
    if line.get("setup_help"):
        words.append("help to get started")
    return "; ".join(words)


@never_cache
@require_http_methods(["GET", "POST"])
@form_rate
def request_devices(request):
    """The devices asked for so far, and whether another type is needed (GOV.UK's "add another")."""
    blocked = _guard(request, "devices")
    if blocked:
        return blocked
    lines = _draft(request).get("lines", [])
    if not lines:
        return redirect("matching:request-line-add")
    form = AnotherForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["another"] and len(lines) < MAX_LINES:
            return redirect("matching:request-line-add")
        return redirect(_next(request, "devices"))
    return _page(
        request,
        "devices.html",
        form,
        "devices",
        lines=[(n, _line_summary(line)) for n, line in enumerate(lines, start=1)],
        full=len(lines) >= MAX_LINES,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@form_rate
def request_line(request, number: int | None = None):
    """Add a type of device, or change the `number`-th one."""
    blocked = _guard(request, "devices")
    if blocked:
        return blocked
    lines = _draft(request).get("lines", [])
    if number is not None and not 1 <= number <= len(lines):
        raise Http404("No such device line")
    if number is None and len(lines) >= MAX_LINES:
        return redirect("matching:request-devices")
    if request.method == "POST":
        form = LineForm(request.POST)
        if form.is_valid():
            line = _json(form.cleaned_data)
            if number is None:
                lines.append(line)
            else:
                lines[number - 1] = line
            _save(request, "lines", lines)
            if request.GET.get("change") and _missing_step(_draft(request)) is None:
                return redirect("matching:request-check")
            return redirect("matching:request-devices")
    else:
        initial = _initial(lines[number - 1]) if number else {}
        if initial:
            initial["webcam"] = "yes" if initial.get("webcam") else "no"
            initial["setup_help"] = "yes" if initial.get("setup_help") else "no"
        form = LineForm(initial=initial)
    return _page(request, "line.html", form, "devices", number=number)


@require_POST
@form_rate
def request_line_remove(request, number: int):
    lines = _draft(request).get("lines", [])
    if not 1 <= number <= len(lines):
        raise Http404("No such device line")
    del lines[number - 1]
    _save(request, "lines", lines)
    return redirect("matching:request-devices")


def _to_draft(draft: dict) -> RequestDraft:
    organisation, contact, people, collection = (draft[k] for k in ("organisation", "contact", "people", "collection"))
    return RequestDraft(
        organisation_name=organisation["organisation_name"],
        organisation_kind=organisation["organisation_kind"],
        charity_number=organisation.get("charity_number", ""),
        company_number=organisation.get("company_number", ""),
        contact_name=contact["contact_name"],
        contact_email=contact["contact_email"],
        contact_phone=contact.get("contact_phone", ""),
        served_groups=people["served_groups"],
        served_other=people.get("served_other", ""),
        people_count=people["people_count"],
        area=people["area"],
        client_reference=people.get("client_reference", ""),
        collection_site_id=collection["collection_site"],
        needed_by=datetime.date.fromisoformat(collection["needed_by"]),
        lines=[
            LineDraft(
                kind=line["kind"],
                quantity=line["quantity"],
                min_ram_gb=line.get("min_ram_gb") or 0,
                min_storage_gb=line.get("min_storage_gb") or 0,
                webcam=bool(line.get("webcam")),
                updates_until=datetime.date.fromisoformat(line["updates_until"]) if line.get("updates_until") else None,
                accessibility=line.get("accessibility", ""),
                connectivity=line.get("connectivity", ""),
                setup_help=bool(line.get("setup_help")),
            )
            for line in draft["lines"]
        ],
    )


def _answers(draft: dict) -> dict:
    """What "Check your answers" shows, in words."""
    organisation, people, collection = draft["organisation"], draft["people"], draft["collection"]
    site = Site.objects.filter(pk=collection["collection_site"]).first()
    groups = [ServedGroup(g).label for g in people["served_groups"]]
    if people.get("served_other"):
        groups.append(people["served_other"])
    return {
        "organisation": organisation,
        "organisation_kind": OrganisationKind(organisation["organisation_kind"]).label,
        "contact": draft["contact"],
        "people": people,
        "served": groups,
        "lines": [(n, _line_summary(line)) for n, line in enumerate(draft["lines"], start=1)],
        "site": site,
        "needed_by": datetime.date.fromisoformat(collection["needed_by"]),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@submit_rate
def request_check(request):
    draft = _draft(request)
    missing = _missing_step(draft)
    if missing:
        return redirect(f"matching:request-{missing}")
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if time.time() - draft.get("started", time.time()) < settings.REQUEST_FORM_MIN_SECONDS:
            form.add_error(None, TOO_QUICK)
        else:
            try:
                submitted = request_submit(draft=_to_draft(draft))
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                request.session.pop(DRAFT, None)
                request.session[SUBMITTED] = submitted.pk
                return redirect("matching:request-done")
    return render(request, "matching/public/check.html", {"form": form, **_answers(draft)})


@never_cache
def request_done(request):
    """The confirmation panel: the reference, the private status link and the estimated wait per line."""
    submitted = CommunityRequest.objects.filter(pk=request.session.get(SUBMITTED) or 0).first()
    if submitted is None:
        return redirect("matching:request-start")
    return render(
        request,
        "matching/public/done.html",
        {
            "submitted": submitted,
            "estimates": estimate_waits(submitted),
            "status_path": reverse("matching:status", args=[submitted.status_token]),
        },
    )

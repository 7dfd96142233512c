from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.models import Count
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.context_processors import service
from config.health import check_broker, check_database
from core.logins import address_locked_out, cooloff
from core.ratelimit import Ratelimited
from core.roles import ADMIN, COORDINATOR, DESK, IT, user_roles
from reuse.models import Device, DeviceStatus, ResetChecklist, SanitisationRecord, Site


@never_cache  # a desk member's home names borrowers' counts per branch: nothing kept in a shared browser
@login_required
def home(request):
    """The staff home: what needs doing today, for the roles this person holds. Every count links to the
    filtered list it counts."""
    roles = user_roles(request.user)
    context = {"roles": roles, "sites": request.user.sites.all()}
    counts: dict = {}
    if roles & {IT, COORDINATOR, ADMIN}:
        counts = dict(Device.objects.order_by().values_list("status").annotate(n=Count("id")))
        context["status_counts"] = [(s, counts.get(s.value, 0)) for s in DeviceStatus]
    context["is_desk"] = DESK in roles
    if DESK in roles:
        context["desk_day"] = _desk_day(request.user)
    if roles & {IT, ADMIN}:
        context["depot_day"] = _depot_day(request.user, counts)
    if roles & {COORDINATOR, ADMIN}:
        from matching.selectors import coordinator_panel

        context["coordinator_panel"] = coordinator_panel()
    return render(request, "home.html", context)


def _desk_day(user) -> list[dict]:
    from lending.panels import desk_day
    from matching.selectors import awaiting_pickup_at

    rows = desk_day(Site.objects.desks_for(user))
    for row in rows:
        row["pickups"] = awaiting_pickup_at(row["branch"])
    return rows


def _depot_day(user, counts: dict) -> dict:
    from matching.selectors import shortage_summary

    return {
        "received": counts.get(DeviceStatus.RECEIVED.value, 0),
        "sanitised": counts.get(DeviceStatus.SANITISED.value, 0),
        "repair": counts.get(DeviceStatus.REPAIR.value, 0),
        "to_verify": SanitisationRecord.objects.verification_queue(user).count()
        + ResetChecklist.objects.verification_queue(user).count(),
        **shortage_summary(),
    }


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness for load balancers: the database and the task broker both answer."""
    checks = {"database": check_database(connection), "broker": check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


class SignInView(LoginView):
    """Django's sign-in, refusing an address that has failed too often whatever user names it tried
    (core.logins); django-axes locks a user name at one address on its own."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if address_locked_out(request):
            response = render(request, settings.AXES_LOCKOUT_TEMPLATE, {"cooloff_timedelta": cooloff()}, status=429)
            response["Retry-After"] = str(int(cooloff().total_seconds()))
            return response
        return super().post(request, *args, **kwargs)


# Branded error pages (config/urls.py names them): the council's contact details on every dead end.


def forbidden(request, exception=None):
    """403, or 429 when a rate limit said no (django-ratelimit's `Ratelimited` is a PermissionDenied)."""
    if isinstance(exception, Ratelimited):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = "60"
        return response
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without the request's context processors: they read the database, which may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render(service(request)))

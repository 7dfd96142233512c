"""What the desk home shows for a branch: due today, overdue, holds to fill, devices ready."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from lending.models import ConnectivityItem, Hold, Loan
from reuse.models import Device, DeviceKind

PANEL_ROWS = 25


def desk_panels(branch) -> dict:
    today = timezone.localdate()
    loans = Loan.objects.filter(site=branch).select_related("device", "borrower").order_by("due_date", "pk")
    warn = today + datetime.timedelta(days=settings.CONNECTIVITY_EXPIRY_WARNING_DAYS)
    return {
        "due_today": list(loans.due_on(today)[:PANEL_ROWS]),
        "overdue": list(loans.overdue(today)[:PANEL_ROWS]),
        "overdue_count": loans.overdue(today).count(),
        "holds_to_phone": list(
            Hold.objects.filter(site=branch, status=Hold.Status.OFFERED, notified_at__isnull=True)
            .select_related("borrower", "device")
            .order_by("collect_by")
        ),
        "holds_waiting": _by_kind(Hold.objects.filter(site=branch, status=Hold.Status.WAITING), "device_kind"),
        "holds_offered": list(
            Hold.objects.filter(site=branch, status=Hold.Status.OFFERED, notified_at__isnull=False)
            .select_related("borrower", "device")
            .order_by("collect_by")
        ),
        "ready_by_kind": _by_kind(Device.objects.lendable().filter(site=branch), "kind"),
        "ready_devices": list(Device.objects.lendable().filter(site=branch).order_by("asset_tag")[:PANEL_ROWS]),
        "expiring_connectivity": list(
            ConnectivityItem.objects.filter(site=branch, retired=False, expires_on__lte=warn).order_by("expires_on")
        ),
    }


def _by_kind(queryset, field: str) -> list[tuple[str, int]]:
    rows = queryset.order_by().values_list(field).annotate(n=Count("id")).order_by(field)
    return [(DeviceKind(kind).label, n) for kind, n in rows]


def desk_day(branches) -> list[dict]:
    """What the staff home counts for each branch a desk member works at: loans due back today and
    overdue, devices ready to collect for the waiting list and those whose last day is near. Each
    count comes with the filtered list it counts (the loan and waiting-list pages take the same filters)."""
    today = timezone.localdate()
    rows = []
    for branch in branches:
        loans = Loan.objects.filter(site=branch)
        offered = Hold.objects.filter(site=branch, status=Hold.Status.OFFERED)
        rows.append(
            {
                "branch": branch,
                "due_today": loans.due_on(today).count(),
                "overdue": loans.overdue(today).count(),
                "ready_to_collect": offered.count(),
                "expiring": offered.expiring(today).count(),
            }
        )
    return rows

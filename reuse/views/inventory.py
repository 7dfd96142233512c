"""The inventory: every device the user may see, filtered, sorted, paged, exported and acted on in bulk.

Who sees what: IT, coordinators and administrators see every device; library desk staff see the devices
at the sites they work at (their branches), because they act only for those. Only IT (and
administrators) get the bulk actions; moving devices between sites is IT's job.
"""

import csv

from django.contrib import messages
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.roles import ADMIN, COORDINATOR, DESK, IT, has_role, role_required
from core.scoping import reaches_every_site
from reuse.filters import DeviceFilter
from reuse.forms.inventory import BulkMoveForm
from reuse.models import Device, DeviceImport, Site
from reuse.services.inventory import devices_move

PAGE_SIZES = (25, 50, 100, 200)
# Beyond this many matches the list says "more than 1,000" instead of counting them all (a COUNT(*)
# over 130,000 rows on every page view); the pages past it are still reached with "Next".
COUNT_LIMIT = 1_000
MAX_PAGE = 100_000
COLUMNS = [  # sort parameter, heading, numeric
    ("tag", "Asset tag", False),
    ("model", "Device", False),
    ("serial", "Serial number", False),
    ("status", "Status", False),
    ("site", "Site", False),
    ("ram", "RAM", True),
    ("storage", "Storage", True),
    ("received", "Received", False),
]
EXPORT_HEADINGS = [
    "Asset tag",
    "Type",
    "Make",
    "Model",
    "Serial number",
    "IMEI",
    "Council asset number",
    "Status",
    "Site",
    "Grade",
    "CPU",
    "RAM (GB)",
    "Storage (GB)",
    "Storage type",
    "Operating system",
    "OS version",
    "Source department",
    "Lot",
    "Received date",
]
EXPORT_FIELDS = [
    "asset_tag",
    "kind",
    "make",
    "model",
    "serial",
    "imei",
    "council_asset_number",
    "status",
    "site__name",
    "grade",
    "cpu",
    "ram_gb",
    "storage_gb",
    "storage_type",
    "os_name",
    "os_version",
    "source_department",
    "lot",
    "received_at",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LISTED_FIELDS = [
    "asset_tag",
    "kind",
    "grade",
    "make",
    "model",
    "serial",
    "status",
    "site__name",
    "ram_gb",
    "storage_gb",
    "received_at",
]  # what a table row shows: the page query loads nothing else


class BoundedPaginator(Paginator):
    """A paginator that counts at most COUNT_LIMIT + 1 rows: exact up to the limit, `capped` past it."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_LIMIT

    def validate_number(self, number) -> int:
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not a whole number.") from None
        if not 1 <= number <= MAX_PAGE:
            raise EmptyPage("That page is out of range.")
        return number

    def page(self, number) -> Page:
        # A whole page even at the limit: the rows are fetched by offset, not cut at the count.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return _Page(self.object_list[bottom : bottom + self.per_page], number, self)


class _Page(Page):
    def has_next(self) -> bool:
        # Past the count's limit, a full page may have another after it.
        return len(self) == self.paginator.per_page if self.paginator.capped else super().has_next()

    def end_index(self) -> int:
        return self.start_index() + len(self) - 1 if len(self) else 0


def _bulk_action_urls() -> dict:
    """Bulk actions other pages carry out: the selected ids are posted to them as `device`."""
    return {"batch": reverse("reuse:sanitisation-batch"), "labels": reverse("reuse:label-print")}


def _per_page(value) -> int:
    return int(value) if value in {str(n) for n in PAGE_SIZES} else PAGE_SIZES[0]


def _columns(current: str) -> list[dict]:
    columns = []
    for param, heading, numeric in COLUMNS:
        state = "ascending" if current == param else "descending" if current == f"-{param}" else "none"
        columns.append(
            {
                "heading": heading,
                "numeric": numeric,
                "aria_sort": state,
                "next": f"-{param}" if state == "ascending" else param,
            }
        )
    return columns


@role_required(IT, DESK, COORDINATOR)
def device_list(request):
    given = [(key, value) for key, values in request.GET.lists() for value in values]
    if any(value == "" for _, value in given):  # a submitted filter form: keep the address short and shareable
        return redirect(f"{request.path}?{urlencode([(k, v) for k, v in given if v != ''])}")
    sites = list(Site.objects.visible_to(request.user).order_by("name"))
    devices = Device.objects.visible_to(request.user).select_related("site").only(*LISTED_FIELDS)
    device_filter = DeviceFilter(request.GET or None, queryset=devices, sites=sites)
    per_page = _per_page(request.GET.get("per_page"))
    page = BoundedPaginator(device_filter.qs, per_page).get_page(request.GET.get("page"))
    can_act = has_role(request.user, IT, ADMIN)
    intake = (
        device_filter.form.cleaned_data.get("intake") if device_filter.is_bound and device_filter.is_valid() else None
    )
    context = {
        "filter": device_filter,
        "page": page,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "count_limit": COUNT_LIMIT,
        "columns": _columns(request.GET.get("sort", "")),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "can_act": can_act,
        "action_urls": _bulk_action_urls() if can_act else {},
        "move_sites": [s for s in sites if s.active] if can_act else [],
        "intake": DeviceImport.objects.filter(pk=intake).first() if intake else None,
        "filtered": any(v for k, v in request.GET.items() if k not in {"page", "per_page", "sort"}),
        "own_sites_only": not reaches_every_site(request.user),
        "timezone": timezone.get_current_timezone(),
    }
    return render(request, "reuse/inventory/device_list.html", context)


class _Echo:
    def write(self, value):
        return value


def safe_cell(value) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection): prefix it with a quote."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@require_GET
@role_required(IT, DESK, COORDINATOR)
def device_export(request):
    """The filtered list as CSV: every matching device, not only one page, streamed."""
    device_filter = DeviceFilter(
        request.GET or None,
        queryset=Device.objects.visible_to(request.user),
        sites=list(Site.objects.visible_to(request.user)),
    )
    rows = device_filter.qs.values_list(*EXPORT_FIELDS).iterator(chunk_size=2000)
    writer = csv.writer(_Echo())
    tz = timezone.get_current_timezone()

    def lines():
        yield "\ufeff" + writer.writerow(EXPORT_HEADINGS)
        for row in rows:
            *rest, received = row
            yield writer.writerow([safe_cell(v) for v in rest] + [received.astimezone(tz).strftime("%d/%m/%Y")])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="relay-devices-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@require_POST
@role_required(IT)
def device_bulk_move(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("reuse:device-list")
    form = BulkMoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    site = form.cleaned_data["site"]
    try:
        moved, skipped = devices_move(
            devices=form.cleaned_data["device"].select_related("site"), site=site, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, f"{exc.message} Nothing was moved.")
        return redirect(back)
    text = f"Moved {len(moved)} device{'s' if len(moved) != 1 else ''} to {site.name}."
    if skipped:
        text += f" Not moved (on loan, lost or gone): {', '.join(d.asset_tag for d in skipped)}."
    messages.success(request, text)
    return redirect(back)

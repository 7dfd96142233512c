"""The inventory's filters (django-filter), shared by the list page and its CSV export."""

import datetime

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone

from core.forms import MAX_ID, BoundedDateField
from reuse.models import Device, DeviceImport, DeviceKind, DeviceStatus, Grade
from reuse.models.search import search_words

RAM_CHOICES = [(n, f"{n} GB or more") for n in (2, 4, 8, 16, 32)]
STORAGE_CHOICES = [(n, f"{n} GB or more") for n in (32, 64, 128, 256, 512)] + [(1000, "1 TB or more")]
SORTS = {  # parameter -> model field, in the order the table shows them
    "tag": "asset_tag",
    "type": "kind",
    "model": "make",
    "serial": "serial",
    "status": "status",
    "site": "site__name",
    "grade": "grade",
    "ram": "ram_gb",
    "storage": "storage_gb",
    "received": "received_at",
}


NULLABLE = {"ram_gb", "storage_gb"}


class SortFilter(django_filters.OrderingFilter):
    """Column sorting with the asset tag as tie-breaker (stable pages) and blanks last on every database.

    Only nullable columns say NULLS LAST: on a NOT NULL column it would stop PostgreSQL walking the index.
    """

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        if name not in NULLABLE:
            return f"-{name}" if descending else name
        return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "asset_tag") if value else qs


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DeviceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Asset tag, serial, model or council asset number",
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )
    status = django_filters.ChoiceFilter(choices=DeviceStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=DeviceKind.choices, label="Type", empty_label="Any type")
    site = django_filters.ChoiceFilter(field_name="site_id", empty_label="Any site")
    grade = django_filters.ChoiceFilter(choices=[c for c in Grade.choices if c[0]], empty_label="Any grade")
    min_ram = django_filters.ChoiceFilter(
        choices=RAM_CHOICES, method="at_least", field_name="ram_gb", label="RAM", empty_label="Any RAM"
    )
    min_storage = django_filters.ChoiceFilter(
        choices=STORAGE_CHOICES, method="at_least", field_name="storage_gb", label="Storage", empty_label="Any storage"
    )
    received_from = DateFilter(
        method="filter_received_from",
        label="Received from",
        help_text="For example, 31/01/2025",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    received_to = DateFilter(
        method="filter_received_to",
        label="Received to",
        help_text="For example, 28/02/2025",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    lot = django_filters.CharFilter(label="Lot or batch")
    intake = IdFilter(method="from_intake", widget=forms.HiddenInput)
    sort = SortFilter(fields=[(field, param) for param, field in SORTS.items()], widget=forms.HiddenInput)

    class Meta:
        model = Device
        fields = ["q", "status", "kind", "site", "grade"]

    def __init__(self, *args, sites=(), **kwargs):
        """`sites`: the sites this user may filter by, already fetched (the page lists them twice)."""
        super().__init__(*args, **kwargs)
        self.filters["site"].extra["choices"] = [(site.pk, site.name) for site in sites]

    def search(self, queryset, name, value):
        """Every word must be part of the asset tag, serial or model, or be the whole council asset number.

        Council asset numbers are typed whole (they come off a label or the asset register), and an exact
        comparison costs less than a substring scan on a 100,000-row table. Each word is answered from an
        index where the database has one (`reuse.models.search`).
        """
        return search_words(queryset, value.split()[:5])

    def at_least(self, queryset, name, value):
        return queryset.filter(**{f"{name}__gte": int(value)})

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_start_of(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_start_of(value + datetime.timedelta(days=1)))

    def from_intake(self, queryset, name, value):
        """Devices one CSV import created: its tags are one unbroken run, so a range on the unique index."""
        record = DeviceImport.objects.filter(pk=value).values("first_tag", "last_tag").first()
        if not record or not record["first_tag"]:
            return queryset.none()
        return queryset.filter(asset_tag__gte=record["first_tag"], asset_tag__lte=record["last_tag"])

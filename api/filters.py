"""The API's query filters (django-filter). A malformed value is a 400 naming the parameter."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from api.problems import InvalidQuery
from lending.models import Loan
from matching.models import CommunityRequest, OrganisationKind, RequestStatus
from reuse.models import Device, DeviceKind, DeviceStatus, Grade


class FilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None and not filterset.is_valid():
            raise InvalidQuery(filterset.errors)
        return filterset


class DeviceFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DeviceStatus.choices, help_text="Repeat for several.")
    kind = django_filters.MultipleChoiceFilter(choices=DeviceKind.choices, help_text="Repeat for several.")
    site = django_filters.CharFilter(field_name="site__code", help_text="A site's code, e.g. CENTRAL.")
    grade = django_filters.ChoiceFilter(choices=[c for c in Grade.choices if c[0]])
    serial = django_filters.CharFilter(help_text="The whole serial number.")
    asset_tag = django_filters.CharFilter(method="by_tag", help_text="The whole asset tag, e.g. RLY-000123.")
    council_asset_number = django_filters.CharFilter()
    lot = django_filters.CharFilter()
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="status_changed_at", lookup_expr="gte", help_text="Devices whose status changed at or after this."
    )

    class Meta:
        model = Device
        fields: list[str] = []

    def by_tag(self, queryset, name, value):
        return queryset.filter(asset_tag=value.strip().upper())


class LoanFilter(django_filters.FilterSet):
    open = django_filters.ChoiceFilter(
        choices=[("true", "Open"), ("false", "Closed")], method="by_open", help_text="true: open loans; false: closed."
    )
    branch = django_filters.CharFilter(field_name="site__code", help_text="A branch's code.")
    device = django_filters.CharFilter(method="by_tag", help_text="The device's asset tag.")
    issued_after = django_filters.IsoDateTimeFilter(field_name="issued_at", lookup_expr="gte")

    class Meta:
        model = Loan
        fields: list[str] = []

    def by_tag(self, queryset, name, value):
        return queryset.filter(device__asset_tag=value.strip().upper())

    def by_open(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=value == "true")


class RequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices, help_text="Repeat for several.")
    organisation_type = django_filters.MultipleChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices, help_text="Repeat for several."
    )
    branch = django_filters.CharFilter(
        field_name="collection_site__code", help_text="The code of the branch the group collects from."
    )
    submitted_after = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="gte", help_text="Requests submitted at or after this."
    )
    submitted_before = django_filters.IsoDateTimeFilter(
        field_name="submitted_at", lookup_expr="lt", help_text="Requests submitted before this."
    )

    class Meta:
        model = CommunityRequest
        fields: list[str] = []

import django_filters
from django.db.models import Q

from matching.models import CommunityRequest, RequestStatus, Tier
from reuse.models import DeviceKind, Site


class RequestFilter(django_filters.FilterSet):
    """The triage queue by status, tier, organisation verified, device type, branch and area. No contact
    fields: filters end up in URLs and logs."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=RequestStatus.choices, empty_label="Open (any)", method="filter_status"
    )
    tier = django_filters.ChoiceFilter(label="Tier", empty_label="Any")
    verified = django_filters.ChoiceFilter(
        label="Organisation",
        choices=[("yes", "Verified"), ("no", "Not verified yet")],
        empty_label="Any",
        method="filter_verified",
    )
    kind = django_filters.ChoiceFilter(
        label="Device type", choices=DeviceKind.choices, empty_label="Any", method="filter_kind"
    )
    collection_site = django_filters.ModelChoiceFilter(label="Branch", queryset=None, empty_label="Any")
    in_area = django_filters.ChoiceFilter(
        label="Area",
        choices=[("yes", "Inside the council's area"), ("no", "Outside it"), ("unknown", "Not decided")],
        empty_label="Any",
        method="filter_area",
    )
    q = django_filters.CharFilter(label="Reference or organisation", method="filter_q")

    class Meta:
        model = CommunityRequest
        fields = ["status", "tier", "verified", "kind", "collection_site", "in_area", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["collection_site"].queryset = Site.objects.branches().order_by("name")
        self.filters["tier"].extra["choices"] = [(t.number, f"{t.number}: {t.name}") for t in Tier.objects.all()]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_verified(self, queryset, name, value):
        return queryset.filter(organisation__verified_at__isnull=value != "yes")

    def filter_kind(self, queryset, name, value):
        return queryset.filter(lines__kind=value).distinct()

    def filter_area(self, queryset, name, value):
        return queryset.filter(in_area={"yes": True, "no": False, "unknown": None}[value])

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__icontains=value) | Q(organisation__name__icontains=value))

    @property
    def qs(self):
        queryset = super().qs
        chosen = self.form.cleaned_data.get("status") if self.is_bound and self.form.is_valid() else None
        if not chosen:
            queryset = queryset.filter(status__in=CommunityRequest.OPEN)
        return queryset

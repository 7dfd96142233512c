import django_filters
from django.utils import timezone

from lending.models import Hold, Loan
from reuse.models import DeviceKind


class LoanFilter(django_filters.FilterSet):
    """Loans by state, branch, device type and asset tag. No borrower fields: filters end up in URLs."""

    STATES = [
        ("open", "On loan"),
        ("overdue", "Overdue"),
        ("due_today", "Due today"),
        ("returned", "Returned"),
        ("lost", "Lost"),
    ]

    state = django_filters.ChoiceFilter(label="State", choices=STATES, method="filter_state", empty_label="Any")
    site = django_filters.ModelChoiceFilter(label="Branch", queryset=None, empty_label="All your branches")
    kind = django_filters.ChoiceFilter(
        label="Device type", field_name="device__kind", choices=DeviceKind.choices, empty_label="Any"
    )
    tag = django_filters.CharFilter(label="Asset tag", method="filter_tag")

    class Meta:
        model = Loan
        fields = ["state", "site", "kind", "tag"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["site"].queryset = branches

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        return {
            "open": queryset.open(),
            "overdue": queryset.overdue(today),
            "due_today": queryset.due_on(today),
            "returned": queryset.filter(outcome=Loan.Outcome.RETURNED),
            "lost": queryset.filter(outcome=Loan.Outcome.LOST),
        }.get(value, queryset)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(device__asset_tag__icontains=value.strip())


class HoldFilter(django_filters.FilterSet):
    """Waiting-list places by state and branch; "expiring" is an offered device's last days to collect."""

    STATES = [
        ("waiting", "Waiting"),
        ("offered", "Ready to collect"),
        ("expiring", "Ready to collect, last day soon"),
        ("closed", "Collected, cancelled or expired"),
    ]

    state = django_filters.ChoiceFilter(label="State", choices=STATES, method="filter_state", empty_label="Any")
    site = django_filters.ModelChoiceFilter(label="Branch", queryset=None, empty_label="All your branches")

    class Meta:
        model = Hold
        fields = ["state", "site"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["site"].queryset = branches

    def filter_state(self, queryset, name, value):
        return {
            "waiting": queryset.filter(status=Hold.Status.WAITING),
            "offered": queryset.filter(status=Hold.Status.OFFERED),
            "expiring": queryset.expiring(),
            "closed": queryset.exclude(status__in=Hold.LIVE),
        }.get(value, queryset)

"""The dashboard's filter (django-filter): a range of months and a site, over the published rollup."""

import django_filters
from django import forms

from insights.models import Tally
from insights.services import month_of
from reuse.models import Site


def _date_input():
    return forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "autocomplete": "off"})


class DashboardForm(forms.Form):
    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and month_of(data["start"]) > month_of(data["end"]):
            self.add_error("end", "The end must be the same month as the start or later")
        return data


class DashboardFilter(django_filters.FilterSet):
    start = django_filters.DateFilter(
        method="from_month", label="From", help_text="The month this date falls in, e.g. 1/4/2026", widget=_date_input()
    )
    end = django_filters.DateFilter(
        method="to_month", label="To", help_text="The month this date falls in, e.g. 31/3/2027", widget=_date_input()
    )
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.order_by("name"), empty_label="Every site")

    class Meta:
        model = Tally
        fields = ["start", "end", "site"]
        form = DashboardForm

    def from_month(self, queryset, name, value):
        return queryset.filter(month__gte=month_of(value))

    def to_month(self, queryset, name, value):
        return queryset.filter(month__lte=month_of(value))

    def months(self):
        """The (start, end) of the range the figures cover, once the form is valid; (None, None) otherwise."""
        if not self.is_valid():
            return None, None
        data = self.form.cleaned_data
        return data.get("start"), data.get("end")

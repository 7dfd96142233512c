from django.contrib import admin

from core.admin import ReadOnlyAdmin
from lending.models import AgreementVersion, Borrower, ConnectivityItem, Hold, Loan, LoanPolicy


@admin.register(LoanPolicy)
class LoanPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "device_kind", "site", "loan_days", "renewals_allowed", "max_devices"]
    list_filter = ["device_kind", "site"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    """Versions are frozen: 'changing' the terms means adding a new version, which starts from the latest."""

    list_display = ["number", "title", "created_at", "created_by"]
    readonly_fields = ["number", "created_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        latest = AgreementVersion.current()
        if latest is None:
            return super().get_changeform_initial_data(request)
        return {"title": latest.title, "body": latest.body}

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConnectivityItem)
class ConnectivityItemAdmin(admin.ModelAdmin):
    list_display = ["identifier", "kind", "provider", "allowance", "expires_on", "site", "retired"]
    list_filter = ["kind", "site", "retired"]
    search_fields = ["identifier"]
    date_hierarchy = "expires_on"


@admin.register(Borrower)
class BorrowerAdmin(admin.ModelAdmin):
    """For corrections and subject access requests. Borrowers are registered at the desk."""

    list_display = ["name", "postcode", "created_at"]
    search_fields = ["=card_number", "name"]
    readonly_fields = ["created_at", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(ReadOnlyAdmin):
    """Loans and holds change only at the desk, through the services that keep devices in step."""


@admin.register(Loan)
class LoanAdmin(ReadOnly):
    list_display = ["pk", "device", "site", "issued_at", "due_date", "closed_at", "outcome"]
    list_filter = ["site", "outcome"]
    search_fields = ["device__asset_tag"]
    list_select_related = ["device", "site"]
    exclude = ["signature_png"]


@admin.register(Hold)
class HoldAdmin(ReadOnly):
    list_display = ["pk", "device_kind", "site", "status", "created_at", "collect_by"]
    list_filter = ["site", "status", "device_kind"]

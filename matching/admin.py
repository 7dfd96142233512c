"""matching in the Django admin: tiers and terms are kept here; everything else is shown read-only, and
never the personal data (contacts, who signed): that is for coordinators' pages, where each view is logged."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from matching.models import (
    Allocation,
    CollectionBooking,
    CommunityRequest,
    FollowUp,
    Handover,
    HandoverTerms,
    MatchRun,
    Organisation,
    Proposal,
    RequestLine,
    Tier,
)


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "meaning"]


@admin.register(HandoverTerms)
class HandoverTermsAdmin(admin.ModelAdmin):
    """Versions are frozen: changing the terms means adding a new version of the same kind."""

    list_display = ["kind", "number", "title", "created_at", "created_by"]
    list_filter = ["kind"]
    readonly_fields = ["number", "created_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "charity_number", "company_number", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["name", "charity_number", "company_number"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]


class LineInline(ReadOnlyInline):
    model = RequestLine
    exclude = ["accessibility"]


@admin.register(CommunityRequest)
class CommunityRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "status", "tier", "in_area", "submitted_at"]
    list_filter = ["status", "tier", "in_area", "collection_site"]
    search_fields = ["reference", "organisation__name"]
    exclude = ["contact_name", "contact_email", "contact_phone", "client_reference_hmac", "status_token"]
    inlines = [LineInline]


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "started_at", "trigger", "status", "committed", "devices_seen", "proposed"]
    list_filter = ["status", "trigger", "committed"]
    exclude = ["input_data", "picks_data"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "run", "request", "device", "status", "tier", "waiting_days"]
    list_filter = ["status"]
    list_select_related = ["run", "request", "device"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "request", "device", "created_at", "cancelled_at", "handover"]
    list_select_related = ["request", "device", "handover"]


@admin.register(CollectionBooking)
class CollectionBookingAdmin(ReadOnlyAdmin):
    list_display = ["request", "site", "date", "part", "cancelled_at", "done_at"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["reference", "request", "site", "kind", "performed_at"]
    list_filter = ["kind", "site"]
    exclude = ["signed_by_name", "signed_by_role", "signature_png"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["handover", "days", "due_on", "sent_at", "answered_at", "people_reached"]
    exclude = ["token", "comments"]

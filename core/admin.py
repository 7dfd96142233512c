"""Admin base classes every app uses, and the personal-data access log (read-only)."""

from django.contrib import admin

from core.models import PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through their services (custody events, evidence, loans): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows of a read-only record (a certificate's devices, a disposal batch's): listed, never changed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "channel", "subject_type", "subject_id", "what")
    list_filter = ("action", "channel", "subject_type")
    date_hierarchy = "at"

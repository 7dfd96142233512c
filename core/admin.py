"""Admin base classes every app uses, and the personal-data access log (read-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django_q.models import Failure, OrmQ, Schedule, Success

from core.models import PersonalDataAccess
from core.roles import ADMIN, wants_admin_site


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


# Users: an administrator manages staff accounts and their roles, but only a superuser may make someone a
# superuser, an administrator, or give permissions outside the roles; `is_staff` is never typed in, it
# follows the roles (core.roles.staff_follows_roles).
ONLY_SUPERUSERS_SET = ("is_superuser", "is_staff", "user_permissions")


class RelayUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return list(dict.fromkeys(fields))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name=ADMIN)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _outranks(self, request, obj) -> bool:
        """A superuser or administrator account, edited by someone who is not a superuser."""
        return obj is not None and not request.user.is_superuser and wants_admin_site(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._outranks(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._outranks(request, obj)


admin.site.unregister(User)
admin.site.register(User, RelayUserAdmin)


# django-q2: what ran and what is scheduled, read-only for everyone, superusers too. A schedule names the
# Python function the worker calls ("os.system" would do), so schedules are written only by code: each
# app's post_migrate receiver, from its own tasks. django-q2's "resubmit" action and its queue of pickled
# task messages are left out.
class ReadOnlyTaskAdmin(ReadOnlyAdmin):
    actions = None
    list_display = ("name", "func", "started", "stopped")
    exclude = ("args", "kwargs", "result")
    search_fields = ("name", "func")


class ReadOnlyScheduleAdmin(ReadOnlyAdmin):
    actions = None
    list_display = ("name", "func", "schedule_type", "repeats", "next_run")
    exclude = ("args", "kwargs", "hook")


for model in (Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(Schedule, ReadOnlyScheduleAdmin)
admin.site.register(Success, ReadOnlyTaskAdmin)
admin.site.register(Failure, ReadOnlyTaskAdmin)

"""The admin site: only administrators (and superusers) get in, whatever `is_staff` says.

`is_staff` follows the roles (core.roles.staff_follows_roles), but a flag set by a raw UPDATE, a
restored backup or an old row would otherwise still open the admin; each admin request checks the role
itself and puts the flag right.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class RelayAdminSite(admin.AdminSite):
    site_header = "Relay administration"
    site_title = "Relay"

    def has_permission(self, request):
        from core.roles import sync_staff_flag

        user = request.user
        if not (user.is_authenticated and user.is_active):
            return False
        return sync_staff_flag(user)


class RelayAdminConfig(AdminConfig):
    """django.contrib.admin, on the site above."""

    default_site = "core.adminsite.RelayAdminSite"

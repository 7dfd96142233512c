from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_migrate, pre_save


class CoreConfig(AppConfig):
    """What every app uses: an app for its template tags, `seed_demo`, the role sync and its one table, the
    personal-data access log."""

    name = "core"
    verbose_name = "Relay core"

    def ready(self):
        from django.contrib.auth.models import User

        from core.logins import record_login_failure
        from core.roles import staff_follows_roles, sync_admin_site_access, sync_role_groups, sync_staff_at_login

        post_migrate.connect(sync_role_groups, dispatch_uid="relay-sync-role-groups")
        post_migrate.connect(ensure_core_schedules, sender=self, dispatch_uid="relay-core-schedules")
        m2m_changed.connect(sync_admin_site_access, sender=User.groups.through, dispatch_uid="relay-admin-access")
        pre_save.connect(staff_follows_roles, sender=User, dispatch_uid="relay-staff-follows-roles")
        user_logged_in.connect(sync_staff_at_login, dispatch_uid="relay-staff-at-login")
        user_login_failed.connect(record_login_failure, dispatch_uid="relay-login-failures-by-address")


def ensure_core_schedules(**kwargs):
    from core.schedules import Scheduled, ensure_schedules

    ensure_schedules([Scheduled("Apply the retention schedule", "core.tasks.retention_apply", "D", hour=2)])

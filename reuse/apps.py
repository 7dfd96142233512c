from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Reuse: devices, custody and sanitisation"

    def ready(self):
        from reuse.services.support import support_defaults_create

        # After every migrate (and every test flush): the starting security-support table, when empty.
        post_migrate.connect(support_defaults_create, sender=self, dispatch_uid="reuse-support-defaults")
        from reuse import receivers

        post_migrate.connect(receivers.ensure_reuse_schedules, sender=self, dispatch_uid="reuse-schedules")
        from reuse.models.search import search_index_ensure

        # A SQLite table rebuild (Django's way to alter a column) drops the search index's triggers.
        post_migrate.connect(search_index_ensure, sender=self, dispatch_uid="reuse-search-index")
        from reuse.timeline import register_providers

        register_providers()

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching: community groups and requests"

    def ready(self):
        from core.retention import register
        from matching import receivers
        from matching.services.retention import RULE

        register(RULE)
        from matching.timeline import register_providers

        register_providers()
        post_migrate.connect(receivers.ensure_defaults, sender=self, dispatch_uid="matching-defaults")

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights: dashboard, impact and open data"

    def ready(self):
        from insights import tasks

        post_migrate.connect(tasks.ensure_schedule, sender=self, dispatch_uid="insights-schedule")

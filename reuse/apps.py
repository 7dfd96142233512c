from django.apps import AppConfig


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Reuse: devices, custody and sanitisation"

import random
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from reuse.demo import DEMO_PASSWORD, STAFF
from reuse.models import Device


class Command(BaseCommand):
    help = "Fill the database with realistic demo data across the whole lifecycle."

    def add_arguments(self, parser):
        parser.add_argument("--devices", type=int, default=300, help="How many devices (default 300)")
        parser.add_argument("--borrowers", type=int, default=40, help="How many borrowers (default 40)")
        parser.add_argument("--requests", type=int, default=15, help="How many community requests (default 15)")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are devices already")

    def handle(self, *args, **options):
        for name in ("devices", "borrowers", "requests"):
            if not 0 <= options[name] <= 1_000_000:
                raise CommandError(f"--{name} must be between 0 and 1,000,000, not {options[name]}")
        if options["if_empty"] and Device.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        context = {"rng": random.Random(options["seed"])}
        try:
            with transaction.atomic():  # all the demo data or none of it
                self.seed_apps(options, context)
        except IntegrityError as exc:
            raise CommandError(f"Demo data clashes with what is in the database already ({exc}); "
                               "load it into an empty database, or use another --seed.") from None
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in with any of these (password "
                                             f"{DEMO_PASSWORD}):"))
        for username, _first, _last, role, sites in STAFF:
            where = f" at {', '.join(sites)}" if sites else ""
            self.stdout.write(f"  {username:<8} {role}{where}")

    def seed_apps(self, options, context):
        # Each app seeds its own part, in INSTALLED_APPS order, so reuse never imports lending or matching.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(options=options, stdout=self.stdout, context=context)

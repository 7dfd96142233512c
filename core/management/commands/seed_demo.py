"""seed_demo: each app's demo data, in INSTALLED_APPS order, all of it or none.

An app takes part by having a `demo` module (or package) with `seed(*, options, stdout, context)`;
`context` carries what earlier apps made (sites, users, the random generator) to later ones. It may
also have `loaded() -> bool` (for `--if-empty`) and `report(stdout)` (what to print at the end).
Core knows no app: it finds them through the app registry.
"""

import random
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

MOST = 1_000_000


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        try:
            modules.append(import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return modules


class Command(BaseCommand):
    help = "Fill the database with realistic demo data across the whole lifecycle."

    def add_arguments(self, parser):
        parser.add_argument("--devices", type=int, default=300, help="How many devices (default 300)")
        parser.add_argument("--borrowers", type=int, default=40, help="How many borrowers (default 40)")
        parser.add_argument("--requests", type=int, default=15, help="How many community requests (default 15)")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for repeatable data")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there is demo data already")

    def handle(self, *args, **options):
        for name in ("devices", "borrowers", "requests"):
            if not 0 <= options[name] <= MOST:
                raise CommandError(f"--{name} must be between 0 and {MOST:,}, not {options[name]}")
        modules = demo_modules()
        if options["if_empty"] and any(getattr(m, "loaded", lambda: False)() for m in modules):
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        context = {"rng": random.Random(options["seed"])}
        try:
            with transaction.atomic():  # all the demo data or none of it
                for module in modules:
                    module.seed(options=options, stdout=self.stdout, context=context)
        except IntegrityError as exc:
            raise CommandError(
                f"Demo data clashes with what is in the database already ({exc}); "
                "load it into an empty database, or use another --seed."
            ) from None
        for module in modules:
            if hasattr(module, "report"):
                module.report(self.stdout, style=self.style)

"""`import_devices FILE [--dry-run] [--site CODE] [--date-format uk|us|iso] [--lot LOT] [--user NAME]`."""

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.commands import read_input_file
from core.errors import DomainError
from reuse.intake.plan import plan_import
from reuse.intake.reader import DATE_FORMATS
from reuse.models import DeviceImport, Site
from reuse.services.intake import devices_import

MAX_LISTED = 1000


def default_site(code: str | None) -> Site:
    if code:
        try:
            return Site.objects.get(code=code.strip().upper())
        except Site.DoesNotExist:
            codes = ", ".join(Site.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"There is no site with code {code!r} (sites: {codes})") from None
    depots = list(Site.objects.active().filter(kind=Site.Kind.DEPOT)[:2])
    if len(depots) != 1:
        raise CommandError("Say where the devices are with --site CODE (there is not exactly one IT depot)")
    return depots[0]


class Command(BaseCommand):
    help = (
        "Import devices from a CSV: Relay's intake template or a Snipe-IT asset export. All rows or none; "
        "rows already imported are skipped. New devices are `received` at the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8 (with or without a byte-order mark)")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing")
        parser.add_argument("--site", help="Code of the site receiving the devices (default: the one IT depot)")
        parser.add_argument(
            "--date-format",
            choices=sorted(DATE_FORMATS),
            default="uk",
            help="How dates in the file are written: uk dd/mm/yyyy (default), us mm/dd/yyyy, iso yyyy-mm-dd",
        )
        parser.add_argument("--lot", default="", help="Lot / batch for rows that do not give one")
        parser.add_argument("--user", help="Username recorded as the person receiving the devices")

    def handle(self, *args, **options):
        path = Path(options["file"])
        data = read_input_file(path)
        site = default_site(options["site"])
        actor = self._actor(options["user"])
        if len(options["lot"]) > 50:
            raise CommandError("--lot may be at most 50 characters")
        plan = plan_import(data, date_format=options["date_format"], lot=options["lot"])
        self.stdout.write(
            f"{path.name}: {plan.format_label}, {len(plan.rows)} rows, dates read as "
            f"{DATE_FORMATS[plan.date_format][1]}."
        )
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if plan.personal_columns:
            self.stdout.write(f"Not imported (personal data): {', '.join(plan.personal_columns)}.")
        if not plan.ok:
            errors = plan.errors
            listed = "\n".join(f"  {e}" for e in errors[:MAX_LISTED])
            more = f"\n  ... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
            raise CommandError(
                f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found, so nothing was "
                f"imported:\n{listed}{more}"
            )
        summary = (
            f"{len(plan.to_create)} new devices to receive at {site}, "
            f"{len(plan.already_imported)} already imported (skipped)."
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary} Nothing was written.")
            return
        record = DeviceImport(
            file_name=path.name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            site=site,
            uploaded_by=actor,
            date_format=plan.date_format,
            lot=options["lot"],
        )
        try:
            devices_import(plan=plan, actor=actor, record=record)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        tags = f" ({record.first_tag} to {record.last_tag})" if record.created_count else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {record.created_count} devices{tags} at {site}; {record.skipped_count} already imported "
                f"were skipped. Intake #{record.pk}."
            )
        )

    def _actor(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}") from None

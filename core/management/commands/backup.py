from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.backup import backup_create
from core.commands import refusals_in_one_line


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup, or pg_dump) and every file under MEDIA_ROOT into one "
        "file. Safe while Relay runs. The file holds personal data: keep it as the README says."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="The backup file to write (replaced if it exists)")

    def handle(self, *args, **options):
        with refusals_in_one_line():
            summary = backup_create(out=options["out"], connection=connection, media_root=Path(settings.MEDIA_ROOT))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.database} database and {summary.media_files} media file(s) "
                f"to {summary.path} ({summary.size / 1_000_000:,.1f} MB)."
            )
        )

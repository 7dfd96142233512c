from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from core.backup import backup_restore
from core.commands import refusals_in_one_line


class Command(BaseCommand):
    help = (
        "Restore a file made by `backup` into an empty database (DATABASE_URL) and an empty MEDIA_ROOT. "
        "All or nothing. Stop Relay's web and task workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A backup made by manage.py backup")

    def handle(self, *args, **options):
        with refusals_in_one_line():
            summary = backup_restore(path=options["file"], connection=connection, media_root=Path(settings.MEDIA_ROOT))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.database} database ({summary.tables} tables) and "
                f"{summary.media_files} media file(s) from {options['file']}."
            )
        )
        if summary.migrations_to_apply:
            behind = summary.migrations_to_apply
            self.stdout.write(f"The backup is {behind} migration(s) behind this Relay: run manage.py migrate.")
        self.stdout.write("Then run manage.py verify_audit before starting Relay again.")

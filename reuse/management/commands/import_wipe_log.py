import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.commands import read_input_file
from core.errors import DomainError
from core.roles import IT, has_role
from reuse.services.wipelog import wipe_log_import


class Command(BaseCommand):
    help = (
        "Import an nwipe/ShredOS log: match the device by system or drive serial and record one wipe per "
        "drive, with the log kept as evidence. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The nwipe log file")
        parser.add_argument(
            "--operator",
            help="Relay username of the technician who ran the wipe "
            "(default: your login name, if it is a Relay IT technician)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and match the log, record nothing")

    def _operator(self, username: str | None):
        username = username or getpass.getuser()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not has_role(user, IT):
            raise CommandError(f"{username!r} is not an active Relay IT technician: give --operator USERNAME")
        return user

    def handle(self, *args, **options):
        path = Path(options["file"])
        content = read_input_file(path)
        operator = self._operator(options["operator"])
        try:
            result = wipe_log_import(content=content, filename=path.name, actor=operator, dry_run=options["dry_run"])
        except DomainError as error:
            for problem in error.details.get("problems", []):
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{path.name}: {error.message}") from None
        for record in result.records:
            self.stdout.write(
                f"  {record.medium}: wipe {record.result}, verification {record.verification_result or 'none'}"
            )
        for note in result.notes:
            self.stdout.write(f"  note: {note}")
        done = "would record" if options["dry_run"] else "recorded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {done} {len(result.records)} wipe(s) for {result.device.asset_tag}, operator "
                f"{operator.username}. A second technician must verify each before the device can be marked sanitised."
            )
        )

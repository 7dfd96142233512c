from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.commands import read_input_file
from reuse.services.audit import audit_verify, published_from_file


class Command(BaseCommand):
    help = (
        "Recompute every device's keyed custody chain, replay it against the lifecycle and hold it against the "
        "published daily heads; exits non-zero, naming the device and event, if anything was altered or removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published",
            action="append",
            type=Path,
            default=[],
            metavar="FILE",
            help="a copy of a digest downloaded from /open-data/audit/ (JSON or CSV); may be given more than once",
        )

    def handle(self, *args, **options):
        published = []
        for path in options["published"]:
            try:
                published += published_from_file(read_input_file(path).decode("utf-8-sig"), str(path))
            except (ValueError, KeyError, UnicodeDecodeError):
                raise CommandError(f"{path} is not a digest downloaded from /open-data/audit/ (JSON or CSV)") from None
        checked, problems = audit_verify(published=published)
        for problem in problems[:200]:
            where = f" event {problem.seq}" if problem.seq else ""
            self.stderr.write(f"{problem.asset_tag}{where}: {problem.message}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} custody events")
        self.stdout.write(self.style.SUCCESS(f"All {checked} custody events check out."))

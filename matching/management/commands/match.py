"""manage.py match [--commit]: run matching now and print the summary (and the shortage report).

Without --commit nothing is proposed (the run is still recorded, with what it saw, for the record); with
it the picks are stored as proposals for coordinators to review. Exits non-zero with one line if the
engine refuses its input or another run is in progress.
"""

from django.core.management.base import BaseCommand

from core.commands import refusals_in_one_line
from matching.models import MatchRun
from matching.services.runs import match_run


class Command(BaseCommand):
    help = "Share the ready stock out over approved requests and print what was proposed and what is short."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Store the picks as proposals for review")

    def handle(self, *args, **options):
        with refusals_in_one_line():
            run = match_run(trigger=MatchRun.Trigger.COMMAND, commit=options["commit"])
        self.stdout.write(run.summary)
        if options["commit"]:
            self.stdout.write(f"Review the proposals at /matching/runs/{run.pk}/ ({run.seconds:.2f} s).")
        else:
            self.stdout.write(f"Dry run ({run.seconds:.2f} s): use --commit to store these as proposals for review.")

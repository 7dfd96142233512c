"""`apply_retention [--dry-run]`: anonymise the personal data whose retention period has ended."""

from django.core.management.base import BaseCommand

from core.retention import retention_apply, rules


class Command(BaseCommand):
    help = (
        "Anonymise the personal data that is due under each retention rule (names, contact details, card numbers, "
        "support needs, signatures); loans, custody events and figures stay. --dry-run counts only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due; change nothing")

    def handle(self, *args, dry_run=False, **options):
        if not rules():
            self.stdout.write("No retention rules are registered.")
            return
        for result in retention_apply(dry_run=dry_run):
            done = "due" if dry_run else "anonymised"
            self.stdout.write(
                f"{result.rule}: {result.count} {done} (kept {result.period_days} days after they were last needed)"
            )

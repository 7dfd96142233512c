from django.core.management.base import BaseCommand, CommandError

from reuse.services.audit import audit_verify


class Command(BaseCommand):
    help = "Recompute every device's custody hash chain; exits non-zero if anything was altered or removed."

    def handle(self, *args, **options):
        checked, problems = audit_verify()
        for problem in problems[:200]:
            where = f" event {problem.seq}" if problem.seq else ""
            self.stderr.write(f"{problem.asset_tag}{where}: {problem.message}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} custody events")
        self.stdout.write(self.style.SUCCESS(f"All {checked} custody events check out."))

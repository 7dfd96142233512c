"""api_token create --user USERNAME [--scope read|write] [--expires DAYS] [--name NAME]

Prints the new token as its last line: it is shown this once and only its hash is kept. Bad input is one
line on stderr and a non-zero exit, and nothing is written then.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import TokenScope
from api.services import DEFAULT_DAYS, MAX_DAYS, api_token_create
from core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for a member of staff; the token is printed as the last line."

    def add_arguments(self, parser):
        # Checked here rather than by argparse, so a mistake is one line, not a usage screen.
        parser.add_argument("action", nargs="?", default="", help="create")
        parser.add_argument("--user", default="", metavar="USERNAME", help="The member of staff the token acts as")
        parser.add_argument("--scope", default=TokenScope.READ, metavar="read|write", help="Default: read")
        parser.add_argument("--expires", default=str(DEFAULT_DAYS), metavar="DAYS", help=f"Default: {DEFAULT_DAYS}")
        parser.add_argument("--name", default="", help="The integration it is for (default: from the user name)")

    def handle(self, *args, action, user, scope, expires, name, **options):
        if action != "create":
            raise CommandError(f"Say what to do: api_token create --user USERNAME (not {action!r}).")
        if not user:
            raise CommandError("Name the member of staff the token acts as: --user USERNAME.")
        if scope not in TokenScope.values:
            raise CommandError(f"--scope must be read or write, not {scope!r}.")
        if not expires.isdigit() or not 1 <= int(expires) <= MAX_DAYS:
            raise CommandError(f"--expires must be a whole number of days from 1 to {MAX_DAYS}, not {expires!r}.")
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No member of staff has the user name {user!r}.")
        try:
            row, token = api_token_create(
                user=account, name=name or f"{account.username} (command line)", scope=scope, days=int(expires)
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Token “{row.name}” for {account.username}, {row.get_scope_display().lower()}, expires "
            f"{timezone.localtime(row.expires_at):%-d %B %Y}. It is shown only now: keep it safe."
        )
        self.stdout.write(token)

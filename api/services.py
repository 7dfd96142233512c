"""Creating, finding and revoking API tokens. The token is returned once, by `api_token_create`, and
only its hash is kept."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, TokenScope
from core.errors import DomainError
from core.roles import user_roles

TOKEN_PREFIX = "rly_"  # noqa: S105 - a marker on every token, not a secret
MAX_DAYS = 3650
DEFAULT_DAYS = 90
# last_used_at is written at most this often per token, so a busy integration costs no write per request.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str = TokenScope.READ, days: int = DEFAULT_DAYS, actor=None
) -> tuple[ApiToken, str]:
    """A new token for `user`, named after its integration; returns the row and the token (shown once).

    DomainError `token_invalid` for an empty name, an unknown scope, a lifetime outside 1 to MAX_DAYS
    days, or a user who is inactive or holds no role (a token would act as them and could do nothing).
    """
    name = (name or "").strip()
    if not name:
        raise DomainError("token_invalid", "Name the token after the integration that will use it.")
    if scope not in TokenScope.values:
        raise DomainError("token_invalid", f"The scope must be read or write, not {scope!r}.")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError("token_invalid", f"A token lasts from 1 to {MAX_DAYS} days, not {days}.")
    if not user.is_active or not user_roles(user):
        raise DomainError("token_invalid", f"{user.username} has no role (or is inactive): a token would act as them.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    row = ApiToken.objects.create(
        name=name[:100],
        user=user,
        scope=scope,
        prefix=token[:12],
        key_hash=token_hash(token),
        created_at=now,
        created_by=actor,
        expires_at=now + datetime.timedelta(days=days),
    )
    return row, token


def api_token_find(token: str) -> ApiToken | None:
    """The token's row, whatever its state (the caller says why it is refused), or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=token_hash(token)).first()


def api_token_used(token: ApiToken) -> None:
    """Record the token's use, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke `token` at once: every request with it is refused from now on. Revoking twice changes nothing."""
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        token.refresh_from_db()
    return token

"""Who may call what: a token acts as its user, so the user's role and sites decide, exactly as on the
pages (`core.roles`, `core.scoping` through each model's `visible_to`); the token's scope decides
whether it may write at all."""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.models import ApiToken
from core.roles import ADMIN, has_role


class InsufficientScope(exceptions.PermissionDenied):
    default_detail = "This token is read-only: writing needs a token with the write scope."
    default_code = "insufficient_scope"


class TokenScopeAllows(BasePermission):
    """Signed in with a token (401 otherwise), and a write token for anything but reads (403)."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated("Send a token: “Authorization: Bearer <token>”.")
        if request.method not in SAFE_METHODS and not request.auth.can_write:
            raise InsufficientScope()
        return True


def role(*roles: str) -> type[BasePermission]:
    """Holding one of `roles` (administrators always pass), as `core.roles.role_required` on the pages."""

    class HasRole(BasePermission):
        message = "Your role does not give access to this."

        def has_permission(self, request, view):
            return has_role(request.user, *roles, ADMIN)

    HasRole.__name__ = f"HasRole{''.join(r.title().replace(' ', '') for r in roles)}"
    return HasRole

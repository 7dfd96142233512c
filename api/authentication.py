"""`Authorization: Bearer <token>` (RFC 6750): the only way into the API's protected endpoints."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.services import api_token_find, api_token_used

REALM = 'Bearer realm="api"'


class TokenRefused(exceptions.AuthenticationFailed):
    def __init__(self, detail: str, code: str):
        super().__init__(detail, code)
        self.token_code = code


class BearerTokenAuthentication(BaseAuthentication):
    """A missing header leaves the request anonymous (the permission then answers 401); a header that is
    not a usable token is refused with 401 and says why: unknown, expired or revoked."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise TokenRefused("Send the token as “Authorization: Bearer <token>”.", "token_malformed")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenRefused("The token holds characters no token has.", "token_malformed") from None
        token = api_token_find(raw)
        if token is None:
            raise TokenRefused("This token is not one Relay issued.", "token_unknown")
        if token.is_revoked:
            raise TokenRefused("This token was revoked.", "token_revoked")
        if token.is_expired:
            raise TokenRefused("This token has expired: ask an administrator for a new one.", "token_expired")
        if not token.user.is_active:
            raise TokenRefused("The account this token acts for is switched off.", "token_user_inactive")
        api_token_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return REALM

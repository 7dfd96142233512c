"""Errors as `application/problem+json` (RFC 9457), with field-level messages.

Every error the API returns has a `type` (a page on this site describing it), `title`, `status`, `detail`
and `instance`; a stable `code`; and, for invalid input, `errors`: one entry per problem, naming the
body member as a JSON Pointer (`"pointer": "#/serial"`) or the query parameter (`"parameter": "status"`).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    meaning: str


PROBLEM_TYPES = {
    p.slug: p
    for p in (
        ProblemType(
            "invalid-request",
            400,
            "The request has problems",
            "A body member or query parameter is "
            "missing or wrong. `errors` lists each one, with a JSON Pointer or the parameter's name.",
        ),
        ProblemType("malformed-body", 400, "The body is not JSON", "Send a JSON object as the body."),
        ProblemType(
            "not-authenticated",
            401,
            "A token is needed",
            "Send `Authorization: Bearer <token>`. "
            "An administrator creates tokens in the admin, or with `manage.py api_token create`.",
        ),
        ProblemType(
            "invalid-token",
            401,
            "The token is refused",
            "The token is unknown, expired or revoked; "
            "`code` says which (`token_unknown`, `token_expired`, `token_revoked`).",
        ),
        ProblemType(
            "forbidden",
            403,
            "Your role does not allow this",
            "The token acts as a member of staff whose role or sites do not include this.",
        ),
        ProblemType("insufficient-scope", 403, "The token is read-only", "Writing needs a token with the write scope."),
        ProblemType("not-found", 404, "Not found", "Nothing here, or nothing this token may see."),
        ProblemType("method-not-allowed", 405, "Method not allowed", "The `Allow` header lists the methods."),
        ProblemType("not-acceptable", 406, "Not acceptable", "The API answers in JSON only."),
        ProblemType(
            "conflict",
            409,
            "Refused by a rule of the service",
            "The request was understood but a rule refused it; `code` names the rule (for example `tag_already_used`).",
        ),
        ProblemType("unsupported-media-type", 415, "Unsupported media type", "Send `Content-Type: application/json`."),
        ProblemType(
            "too-many-requests",
            429,
            "Too many requests",
            "Wait the seconds in `Retry-After`; limits count per token and per address.",
        ),
        ProblemType("server-error", 500, "Something went wrong", "The error was logged. Try again later."),
    )
}


class InvalidQuery(exceptions.ValidationError):
    """A query parameter (a filter, the cursor) is wrong: reported as `parameter`, not `pointer`."""


def problem_url(slug: str) -> str:
    return f"{settings.SITE_URL}/api/problems/{slug}"


def _errors(detail, path: str, where: str) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            inner = path if key in ("non_field_errors", "__all__") else f"{path}/{key}"
            out += _errors(value, inner, where)
        return out
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [entry for item in detail for entry in _errors(item, path, where)]
        return [entry for index, item in enumerate(detail) for entry in _errors(item, f"{path}/{index}", where)]
    entry = {"detail": str(detail), "code": getattr(detail, "code", "invalid")}
    if where == "parameter":
        if path:
            entry["parameter"] = path.lstrip("/").split("/", 1)[0]
    else:
        entry["pointer"] = "#" + path
    return [entry]


def _slug_for(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ParseError):
        return "malformed-body"
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "invalid-token"
    if getattr(exc, "default_code", "") == "insufficient_scope":
        return "insufficient-scope"
    by_status = {p.status: p.slug for p in reversed(PROBLEM_TYPES.values())}
    return by_status.get(exc.status_code, "invalid-request" if exc.status_code == 400 else "server-error")


def problem_response(request, *, slug: str, detail: str, code: str, status_code: int | None = None, **extra):
    kind = PROBLEM_TYPES[slug]
    body = {
        "type": problem_url(slug),
        "title": kind.title,
        "status": status_code or kind.status,
        "detail": detail,
        "instance": request.path if request is not None else "",
        "code": code,
        **extra,
    }
    return Response(body, status=status_code or kind.status, content_type=MEDIA_TYPE)


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, DomainError):
        return problem_response(request, slug="conflict", detail=exc.message, code=exc.code)
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("API error on %s", request.path if request is not None else "?", exc_info=exc)
        return problem_response(request, slug="server-error", detail="The error was logged.", code="server_error")
    slug = _slug_for(exc)
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        where = "parameter" if isinstance(exc, InvalidQuery) else "pointer"
        extra["errors"] = _errors(exc.detail, "", where)
        detail = "; ".join(e["detail"] for e in extra["errors"][:3]) or "The request has problems."
        code = "invalid"
    else:
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else PROBLEM_TYPES[slug].title
        code = getattr(exc, "token_code", None) or (exc.get_codes() if isinstance(exc.get_codes(), str) else "error")
    problem = problem_response(request, slug=slug, detail=detail, code=code, status_code=response.status_code, **extra)
    for header, value in response.items():
        if header.lower() in ("www-authenticate", "retry-after", "allow"):
            problem[header] = value
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in problem:
        problem["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem

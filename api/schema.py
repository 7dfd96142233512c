"""The OpenAPI document's finishing touches (drf-spectacular): the Bearer scheme, and every error response
documented as `application/problem+json` against one `Problem` schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from api.problems import MEDIA_TYPE, PROBLEM_TYPES


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token, sent as `Authorization: Bearer <token>`. It acts as the member of staff "
            "it was made for (their role and sites), read-only unless it has the write scope.",
        }


PROBLEM = {
    "type": "object",
    "description": "An error (RFC 9457 problem details).",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "A page describing this kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request."},
        "code": {"type": "string", "description": "Stable and machine-readable."},
        "errors": {
            "type": "array",
            "description": "For invalid input: one entry per problem.",
            "items": {
                "type": "object",
                "required": ["detail", "code"],
                "properties": {
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                    "pointer": {"type": "string", "description": "JSON Pointer to the body member, e.g. #/serial"},
                    "parameter": {"type": "string", "description": "The query parameter at fault."},
                },
            },
        },
    },
}
METHODS = ("get", "put", "post", "patch", "delete")


def _problem(status: int) -> dict:
    titles = sorted({p.title for p in PROBLEM_TYPES.values() if p.status == status})
    return {
        "description": " / ".join(titles) or "Error",
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problem_responses(result, generator, request, public):
    """Postprocessing hook: errors documented as problem+json; the usual ones added to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in list(responses):
                if code.isdigit() and int(code) >= 400:
                    responses[code] = _problem(int(code))
            wanted = {400, 405, 406, 429, 500}
            if operation.get("security") and {} not in operation["security"]:
                wanted |= {401, 403}
            if "{" in path:
                wanted.add(404)
            if method in ("post", "put", "patch"):
                wanted |= {409, 415}
            for code in sorted(wanted):
                responses.setdefault(str(code), _problem(code))
    return result

"""The API's readable docs (Swagger UI, served from this service by drf-spectacular-sidecar: no CDN) and
one page per problem type. The docs page has no inline script or style: its start-up script comes from
`?script`, so a strict Content-Security-Policy (script-src 'self') lets it run."""

from django.http import Http404
from django.shortcuts import render
from drf_spectacular.views import SpectacularSwaggerSplitView

from api.problems import PROBLEM_TYPES


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    url_name = "api:schema"
    authentication_classes: list = []
    permission_classes: list = []
    title = "Relay API"


def problem_page(request, slug: str):
    problem = PROBLEM_TYPES.get(slug)
    if problem is None:
        raise Http404("No such problem type")
    return render(request, "api/problem.html", {"problem": problem, "problems": PROBLEM_TYPES.values()})

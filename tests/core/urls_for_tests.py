"""The project's URLs plus a rate-limited view and a failing one: for the rate-limit and error-page tests."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from core.ratelimit import UNSAFE, rate_limit


@rate_limit("tests", "3/m")
def limited(request):
    return HttpResponse("ok")


@rate_limit("tests-writes", "2/m", methods=UNSAFE)
def limited_writes(request):
    return HttpResponse("ok")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("limited/", limited),
    path("limited-writes/", limited_writes),
    path("broken/", broken),
    *project_urlpatterns,
]
handler403 = "config.views.forbidden"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"

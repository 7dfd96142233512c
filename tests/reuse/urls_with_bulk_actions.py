"""The project's URLs plus stand-ins for the two bulk actions other parts of Relay provide."""

from django.http import HttpResponse
from django.urls import include, path

import reuse.urls
from config.urls import urlpatterns as project


def stand_in(request):
    return HttpResponse(",".join(request.POST.getlist("device")))


reuse_with_actions = [
    path("sanitisation/batch/", stand_in, name="sanitisation-batch"),
    path("labels/print/", stand_in, name="label-print"),
    *reuse.urls.urlpatterns,
]
urlpatterns = [p for p in project if getattr(p, "app_name", None) != "reuse"] + [
    path("devices/", include((reuse_with_actions, "reuse"))),
]

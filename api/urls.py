from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import docs, schema, views  # noqa: F401 - schema registers the Bearer token scheme before the schema is made

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("devices", views.DeviceViewSet, basename="device")
router.register("loans", views.LoanViewSet, basename="loan")
router.register("requests", views.RequestViewSet, basename="request")
router.register("sites", views.SiteViewSet, basename="site")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/open-data/", views.OpenDataIndex.as_view(), name="open-data"),
    path("v1/open-data/<str:name>/", views.OpenDataset.as_view(), name="open-dataset"),
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    path("docs/", docs.ApiDocs.as_view(), name="docs"),
    path("problems/<slug:slug>", docs.problem_page, name="problem"),
    # Anything else under /api/ is a problem+json 404, not the HTML page.
    re_path(r"^v1/", views.NoSuchEndpoint.as_view()),
]

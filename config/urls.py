from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from reuse.views import audit, certificates, devices

admin.site.site_header = "Relay administration"
admin.site.site_title = "Relay"

handler403 = "config.views.forbidden"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # What every printed QR label holds. Printed labels are permanent: never change what this means.
    path("d/<str:tag>", devices.device_label_landing, name="device-label"),
    # What every certificate of sanitisation's QR code holds: public, found only by a random token.
    path("verify/<str:token>", certificates.certificate_verify, name="certificate-verify"),
    # The custody log's published daily heads (public; the /open-data/ index links here).
    path("open-data/audit/", audit.audit_digest_list, name="audit-digests"),
    path("open-data/audit/<str:day>.csv", audit.audit_digest_csv, name="audit-digest-csv"),
    path("open-data/audit/<str:day>.json", audit.audit_digest_json, name="audit-digest-json"),
    path("devices/", include("reuse.urls")),
    path("", include("lending.urls")),
    path("", include("matching.urls")),
    path("", include("insights.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]

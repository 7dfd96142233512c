from django.urls import path

from reuse.views import devices

app_name = "reuse"

urlpatterns = [
    path("<str:tag>/", devices.device_detail, name="device-detail"),
]

from django.urls import path

from reuse.views import devices, intake, inventory

app_name = "reuse"

urlpatterns = [
    path("", inventory.device_list, name="device-list"),
    path("export.csv", inventory.device_export, name="device-export"),
    path("move/", inventory.device_bulk_move, name="device-bulk-move"),
    path("add/", intake.device_add, name="device-add"),
    path("intake/", intake.intake_upload, name="intake"),
    path("intake/template.csv", intake.intake_template, name="intake-template"),
    path("intake/<str:token>/", intake.intake_preview, name="intake-preview"),
    path("<str:tag>/", devices.device_detail, name="device-detail"),
]

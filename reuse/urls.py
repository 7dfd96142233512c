from django.urls import path

from reuse.views import devices, labels

app_name = "reuse"

urlpatterns = [
    path("labels/", labels.label_print, name="label-print"),
    path("labels/preprinted/", labels.label_preprint, name="label-preprint"),
    path("labels/calibration/", labels.label_calibration, name="label-calibration"),
    path("labels/jobs/<int:pk>/", labels.label_job, name="label-job"),
    path("labels/jobs/<int:pk>/pdf", labels.label_job_download, name="label-job-download"),
    path("<str:tag>/", devices.device_detail, name="device-detail"),
]

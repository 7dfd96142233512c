from django.urls import path

from reuse.views import certificates, devices, disposal, intake, inventory, labels, sanitisation, stocktakes

app_name = "reuse"

urlpatterns = [
    path("", inventory.device_list, name="device-list"),
    path("export.csv", inventory.device_export, name="device-export"),
    path("move/", inventory.device_bulk_move, name="device-bulk-move"),
    path("add/", intake.device_add, name="device-add"),
    path("intake/", intake.intake_upload, name="intake"),
    path("intake/template.csv", intake.intake_template, name="intake-template"),
    path("intake/<str:token>/", intake.intake_preview, name="intake-preview"),
    # Sanitisation, certificates and disposal (before "<tag>/", which would otherwise swallow them).
    path("sanitisation/", sanitisation.sanitisation_home, name="sanitisation"),
    path("sanitisation/confirm/", sanitisation.sanitisation_confirm, name="sanitisation-confirm"),
    path("sanitisation/batch/", sanitisation.sanitisation_batch, name="sanitisation-batch"),
    path("sanitisation/import/", sanitisation.wipe_log_upload, name="wipe-log-import"),
    path("sanitisation/wipes/<int:pk>/verify/", sanitisation.record_verify, name="record-verify"),
    path("sanitisation/checklists/<int:pk>/verify/", sanitisation.checklist_verify, name="checklist-verify"),
    path("sanitisation/evidence/<int:pk>/", sanitisation.evidence_download, name="evidence-download"),
    path("certificates/<str:number>/", certificates.certificate_detail, name="certificate-detail"),
    path("certificates/<str:number>/pdf/", certificates.certificate_pdf, name="certificate-pdf"),
    path("disposal/", disposal.disposal_list, name="disposal-list"),
    path("disposal/new/", disposal.disposal_new, name="disposal-new"),
    path("disposal/<str:reference>/", disposal.disposal_detail, name="disposal-detail"),
    path("stocktakes/", stocktakes.stocktake_list, name="stocktake-list"),
    path("stocktakes/<int:pk>/", stocktakes.stocktake_detail, name="stocktake-detail"),
    path("stocktakes/<int:pk>/report.csv", stocktakes.stocktake_csv, name="stocktake-csv"),
    path("<str:tag>/status/", devices.device_transition_view, name="device-transition"),
    path("<str:tag>/edit/", devices.device_edit_view, name="device-edit"),
    path("<str:tag>/correct/", devices.device_correct_view, name="device-correct"),
    path("<str:tag>/drives/add/", sanitisation.medium_add, name="medium-add"),
    path("<str:tag>/drives/<int:pk>/remove/", sanitisation.medium_remove, name="medium-remove"),
    path("<str:tag>/drives/<int:medium_pk>/wipe/", sanitisation.record_wipe, name="record-wipe"),
    path("<str:tag>/reset-checklist/", sanitisation.checklist_record, name="checklist-record"),
    path("<str:tag>/certificate/", certificates.device_certificate, name="device-certificate"),
    path("labels/", labels.label_print, name="label-print"),
    path("labels/preprinted/", labels.label_preprint, name="label-preprint"),
    path("labels/calibration/", labels.label_calibration, name="label-calibration"),
    path("labels/jobs/<int:pk>/", labels.label_job, name="label-job"),
    path("labels/jobs/<int:pk>/pdf", labels.label_job_download, name="label-job-download"),
    path("<str:tag>/", devices.device_detail, name="device-detail"),
]

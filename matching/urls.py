from django.urls import path

from matching.views import handovers, public, requests, runs, status

app_name = "matching"

urlpatterns = [
    # Public: the request form (no account), and the group's private pages by token.
    path("request/", public.request_start, name="request-start"),
    path("request/privacy/", public.request_privacy, name="request-privacy"),
    path("request/organisation/", public.request_organisation, name="request-organisation"),
    path("request/contact/", public.request_contact, name="request-contact"),
    path("request/people/", public.request_people, name="request-people"),
    path("request/devices/", public.request_devices, name="request-devices"),
    path("request/devices/add/", public.request_line, name="request-line-add"),
    path("request/devices/<int:number>/", public.request_line, name="request-line"),
    path("request/devices/<int:number>/remove/", public.request_line_remove, name="request-line-remove"),
    path("request/collection/", public.request_collection, name="request-collection"),
    path("request/check/", public.request_check, name="request-check"),
    path("request/done/", public.request_done, name="request-done"),
    path("request/status/<str:token>/", status.status, name="status"),
    path("request/status/<str:token>/collect/", status.status_book, name="status-book"),
    path("request/status/<str:token>/withdraw/", status.status_withdraw, name="status-withdraw"),
    path("request/follow-up/<str:token>/", status.follow_up, name="follow-up"),
    # Coordinators.
    path("matching/requests/", requests.request_list, name="request-list"),
    path("matching/requests/<str:reference>/", requests.request_detail, name="request-detail"),
    path("matching/requests/<str:reference>/verify/", requests.request_verify, name="request-verify"),
    path("matching/requests/<str:reference>/approve/", requests.request_approve_view, name="request-approve"),
    path("matching/requests/<str:reference>/decline/", requests.request_decline_view, name="request-decline"),
    path("matching/requests/<str:reference>/close/", requests.request_close_view, name="request-close"),
    path("matching/requests/<str:reference>/withdraw/", requests.request_withdraw_view, name="request-withdraw"),
    path("matching/requests/<str:reference>/note/", requests.request_note_view, name="request-note"),
    path("matching/requests/<str:reference>/tier/", requests.request_tier_view, name="request-tier"),
    path("matching/lines/<int:pk>/quantity/", requests.line_quantity, name="line-quantity"),
    path("matching/allocations/<int:pk>/cancel/", requests.allocation_cancel_view, name="allocation-cancel"),
    path("matching/runs/", runs.run_list, name="run-list"),
    path("matching/runs/<int:pk>/", runs.run_detail, name="run-detail"),
    path("matching/runs/<int:pk>/requests/<str:reference>/review/", runs.run_review, name="run-review"),
    path("matching/proposals/<int:pk>/swap/", runs.proposal_swap, name="proposal-swap"),
    path("matching/shortages/", runs.shortages, name="shortages"),
    # The branch: handovers.
    path("matching/handovers/", handovers.handover_list, name="handover-list"),
    path("matching/handovers/new/<str:reference>/", handovers.handover_new, name="handover-new"),
    path("matching/handovers/<str:reference>/", handovers.handover_detail, name="handover-detail"),
    path("matching/handovers/<str:reference>/agreement.pdf", handovers.handover_pdf, name="handover-pdf"),
    path("matching/allocations/<int:pk>/returned/", handovers.allocation_returned, name="allocation-returned"),
]

from django.urls import path

from lending.views import desk, loans, people, privacy

app_name = "lending"

urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("desk/<str:code>/", desk.desk_branch, name="desk-branch"),
    path("desk/<str:code>/scan/", desk.desk_scan, name="desk-scan"),
    path("desk/<str:code>/issue/", desk.desk_issue, name="desk-issue"),
    path("desk/<str:code>/borrowers/new/", people.borrower_new, name="borrower-new"),
    path("desk/<str:code>/borrowers/<int:borrower_pk>/hold/", people.hold_new, name="hold-new"),
    path("loans/", loans.loan_list, name="loan-list"),
    path("loans/<int:pk>/", loans.loan_detail, name="loan-detail"),
    path("loans/<int:pk>/agreement.pdf", loans.loan_agreement_pdf, name="loan-agreement"),
    path("loans/<int:pk>/renew/", loans.loan_renew_view, name="loan-renew"),
    path("loans/<int:pk>/return/", loans.loan_return_view, name="loan-return"),
    path("loans/<int:pk>/lost/", loans.loan_lost_view, name="loan-lost"),
    path("borrowers/<int:pk>/", people.borrower_detail, name="borrower-detail"),
    path("borrowers/<int:pk>/edit/", people.borrower_edit, name="borrower-edit"),
    path("holds/<int:pk>/cancel/", people.hold_cancel_view, name="hold-cancel"),
    path("holds/<int:pk>/told/", people.hold_told_view, name="hold-told"),
    # A borrower's subject-access export and erasure on request (lending.views.privacy).
    path("privacy/borrowers/<int:pk>/export.json", privacy.borrower_export_json, name="borrower-export-json"),
    path("privacy/borrowers/<int:pk>/export.pdf", privacy.borrower_export_pdf, name="borrower-export-pdf"),
    path("privacy/borrowers/<int:pk>/erase/", privacy.borrower_erase_view, name="borrower-erase"),
]

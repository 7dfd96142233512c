from django.urls import path
from django.views.decorators.cache import never_cache

from lending.views import desk, loans, people, privacy

app_name = "lending"


def private(route, view, name):
    """Every lending page shows personal data (borrowers, loans, holds): none may be kept in a browser's
    or proxy's cache (`Cache-Control: no-store`, via Django's never_cache), so Back after signing out or
    on a shared desk computer shows nothing stored."""
    return path(route, never_cache(view), name=name)


urlpatterns = [
    private("desk/", desk.desk, "desk"),
    private("desk/<str:code>/", desk.desk_branch, "desk-branch"),
    private("desk/<str:code>/scan/", desk.desk_scan, "desk-scan"),
    private("desk/<str:code>/issue/", desk.desk_issue, "desk-issue"),
    private("desk/<str:code>/borrowers/new/", people.borrower_new, "borrower-new"),
    private("desk/<str:code>/borrowers/<uuid:borrower_key>/hold/", people.hold_new, "hold-new"),
    private("loans/", loans.loan_list, "loan-list"),
    private("loans/<int:pk>/", loans.loan_detail, "loan-detail"),
    private("loans/<int:pk>/agreement.pdf", loans.loan_agreement_pdf, "loan-agreement"),
    private("loans/<int:pk>/slip-<str:layout>.pdf", loans.loan_slip, "loan-slip"),
    private("loans/<int:pk>/renew/", loans.loan_renew_view, "loan-renew"),
    private("loans/<int:pk>/renew/undo/", loans.loan_renewal_undo_view, "loan-renewal-undo"),
    private("loans/<int:pk>/return/", loans.loan_return_view, "loan-return"),
    private("loans/<int:pk>/return/undo/", loans.loan_return_undo_view, "loan-return-undo"),
    private("loans/<int:pk>/lost/", loans.loan_lost_view, "loan-lost"),
    private("borrowers/", people.borrower_list, "borrower-list"),
    private("borrowers/search/", people.borrower_search, "borrower-search"),
    private("borrowers/<uuid:key>/", people.borrower_detail, "borrower-detail"),
    private("borrowers/<uuid:key>/edit/", people.borrower_edit, "borrower-edit"),
    private("holds/", people.hold_list, "hold-list"),
    private("holds/<int:pk>/cancel/", people.hold_cancel_view, "hold-cancel"),
    private("holds/<int:pk>/told/", people.hold_told_view, "hold-told"),
    # A borrower's subject-access export and erasure on request (lending.views.privacy).
    private("privacy/borrowers/<uuid:key>/export.json", privacy.borrower_export_json, "borrower-export-json"),
    private("privacy/borrowers/<uuid:key>/export.pdf", privacy.borrower_export_pdf, "borrower-export-pdf"),
    private("privacy/borrowers/<uuid:key>/erase/", privacy.borrower_erase_view, "borrower-erase"),
]

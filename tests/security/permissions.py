# ruff: noqa: E501 - a table: one URL a line, its columns aligned
"""Who may use which URL: the permission matrix of issue 11, one line per URL name.

`tests/security/test_permissions.py` walks the URL configuration and fails for any URL that has no line
here, then requests every URL as every role and compares what happens with the line.

How to add a URL (one line in TABLE, kept in alphabetical order):

    "app:url-name": E("args-key", "anon it here there coord admin super"),

- "args-key" names the URL's arguments in `tests/security/world.py` (`world.args[...]`: "device" is a
  ready laptop at branch A, "loan" a loan at branch A, "borrower", "hold", "request", "allocation", ...;
  "none" for a URL without arguments). Add a record there if nothing fits.
- The string holds one outcome per role, in this order: anonymous, IT technician, desk staff of branch A
  (where the records are), desk staff of branch B, coordinator, administrator, superuser.
- Outcomes: ok (2xx), go (a redirect, not to sign in), login (a redirect to sign in), or a status code:
  401, 403, 404, 405, 429.
- GET is checked for every role. A role refused on GET (login, 401, 403, 404, 405) is also refused on a
  POST with an empty body, with the same outcome, and nothing may be written to the database. For a view
  that takes POSTs from people who may not GET it (or whose POST refusal differs), write the POST row
  too: `E("hold", get="405 ...", post="login ...")`; then it is checked for every role.
- API endpoints use `API(...)`: each role calls with its own token, the read scope for GET and the write
  scope for POST; anonymous sends none.
- The admin is not listed here: every admin URL is checked (GET and POST) to be closed to everyone but
  administrators and superusers, and ADMIN_SAMPLE checks a few of its pages as an administrator.
"""

from dataclasses import dataclass

from tests.security.world import ROLES

OUTCOMES = {"ok", "go", "login", "400", "401", "403", "404", "405", "429"}
DENIALS = {"login", "401", "403", "404", "405"}


@dataclass(frozen=True)
class Entry:
    args: str
    get: str
    post: str | None = None
    api: bool = False
    path: str = ""
    name: str = ""

    def expect(self, method: str, role: str) -> str | None:
        row = self.get if method == "get" else self.post
        if row is None:
            return None
        values = row.split()
        assert len(values) == len(ROLES) and set(values) <= OUTCOMES, f"{self.name}: bad row {row!r}"
        return values[ROLES.index(role)]


def E(args: str, get: str, post: str | None = None, *, path: str = "") -> Entry:  # noqa: N802 - a table cell
    return Entry(args, get, post, path=path)


def API(args: str, get: str, post: str | None = None, *, path: str = "") -> Entry:  # noqa: N802 - a table cell
    return Entry(args, get, post, api=True, path=path)


# fmt: off
TABLE: dict[str, Entry] = {
    "api:^v1/":                       API("none",                "404   404   404   404   404   404   404", path="/api/v1/no-such-endpoint/"),
    "api:device-detail":              API("api_device",          "401   ok    ok    404   ok    ok    ok", post="401   405   405   405   405   405   405"),
    "api:device-events":              API("api_device",          "401   ok    ok    404   ok    ok    ok", post="401   405   405   405   405   405   405"),
    "api:device-list":                API("none",                "401   ok    ok    ok    ok    ok    ok", post="401   400   403   403   403   400   400"),
    "api:device-lookup":              API("none",                "401   400   400   400   400   400   400"),
    "api:device-wipes":               API("api_device",          "401   ok    ok    404   ok    ok    ok", post="401   405   405   405   405   405   405"),
    "api:docs":                       API("none",                "ok    ok    ok    ok    ok    ok    ok"),
    "api:loan-detail":                API("api_loan",            "401   403   ok    404   403   ok    ok", post="401   403   405   405   403   405   405"),
    "api:loan-list":                  API("none",                "401   403   ok    ok    403   ok    ok"),
    "api:open-data":                  API("none",                "ok    ok    ok    ok    ok    ok    ok"),
    "api:open-dataset":               API("dataset",             "ok    ok    ok    ok    ok    ok    ok"),
    "api:problem":                    API("problem",             "ok    ok    ok    ok    ok    ok    ok"),
    "api:request-detail":             API("api_request",         "401   403   403   403   ok    ok    ok", post="401   403   403   403   405   405   405"),
    "api:request-list":               API("none",                "401   403   403   403   ok    ok    ok", post="401   403   403   403   405   405   405"),
    "api:schema":                     API("none",                "ok    ok    ok    ok    ok    ok    ok"),
    "api:site-detail":                API("api_site",            "401   ok    ok    404   ok    ok    ok", post="401   405   405   405   405   405   405"),
    "api:site-list":                  API("none",                "401   ok    ok    ok    ok    ok    ok"),
    "audit-digest-csv":               E("audit_day",             "ok    ok    ok    ok    ok    ok    ok"),
    "audit-digest-json":              E("audit_day",             "ok    ok    ok    ok    ok    ok    ok"),
    "audit-digests":                  E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "certificate-verify":             E("certificate_token",     "ok    ok    ok    ok    ok    ok    ok"),
    "device-label":                   E("device",                "ok    go    go    ok    go    go    go"),
    "healthz":                        E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "home":                           E("none",                  "login ok    ok    ok    ok    ok    ok"),
    "insights:dashboard":             E("none",                  "login 403   403   403   ok    ok    ok"),
    "insights:dashboard-refresh":     E("none",                  "login 403   403   403   405   405   405", post="login 403   403   403   go    go    go"),
    "insights:datapackage":           E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "insights:dataset-csv":           E("dataset",               "ok    ok    ok    ok    ok    ok    ok"),
    "insights:dataset-json":          E("dataset",               "ok    ok    ok    ok    ok    ok    ok"),
    "insights:method":                E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "insights:open-data":             E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "lending:borrower-detail":        E("borrower",              "login 403   ok    ok    403   ok    ok"),
    "lending:borrower-edit":          E("borrower",              "login 403   ok    ok    403   ok    ok"),
    "lending:borrower-erase":         E("borrower",              "login 403   ok    ok    403   ok    ok"),
    "lending:borrower-export-json":   E("borrower",              "login 403   ok    ok    403   ok    ok", post="405   405   405   405   405   405   405"),
    "lending:borrower-export-pdf":    E("borrower",              "login 403   ok    ok    403   ok    ok", post="405   405   405   405   405   405   405"),
    "lending:borrower-list":          E("none",                  "login 403   ok    ok    403   ok    ok"),
    "lending:borrower-new":           E("here",                  "login 403   ok    404   403   ok    ok"),
    "lending:borrower-search":        E("none",                  "login 403   ok    ok    403   ok    ok"),
    "lending:desk":                   E("none",                  "login 403   go    go    403   ok    ok"),
    "lending:desk-branch":            E("here",                  "login 403   ok    404   403   ok    ok"),
    "lending:desk-issue":             E("here",                  "405   405   405   405   405   405   405", post="login 403   404   404   403   404   404"),
    "lending:desk-scan":              E("here",                  "405   405   405   405   405   405   405", post="login 403   ok    404   403   ok    ok"),
    "lending:hold-cancel":            E("hold",                  "405   405   405   405   405   405   405", post="login 403   go    404   403   go    go"),
    "lending:hold-list":              E("none",                  "login 403   ok    ok    403   ok    ok"),
    "lending:hold-new":               E("here_borrower",         "login 403   ok    404   403   ok    ok"),
    "lending:hold-told":              E("hold",                  "405   405   405   405   405   405   405", post="login 403   go    404   403   go    go"),
    "lending:loan-agreement":         E("loan",                  "login 403   ok    404   403   ok    ok"),
    "lending:loan-detail":            E("loan",                  "login 403   ok    404   403   ok    ok"),
    "lending:loan-list":              E("none",                  "login 403   ok    ok    403   ok    ok"),
    "lending:loan-lost":              E("loan",                  "login 403   ok    404   403   ok    ok"),
    "lending:loan-renew":             E("loan",                  "405   405   405   405   405   405   405", post="login 403   go    404   403   go    go"),
    "lending:loan-renewal-undo":      E("loan",                  "login 403   go    404   403   go    go"),
    "lending:loan-return":            E("loan",                  "login 403   ok    ok    403   ok    ok"),
    "lending:loan-return-undo":       E("loan",                  "login 403   go    404   403   go    go"),
    "lending:loan-slip":              E("loan_slip",             "login 403   ok    404   403   ok    ok"),
    "login":                          E("none",                  "ok    go    go    go    go    go    go"),
    "logout":                         E("none",                  "405   405   405   405   405   405   405", post="login login login login login login login"),
    "matching:allocation-cancel":     E("allocation",            "login 403   403   403   ok    ok    ok"),
    "matching:allocation-returned":   E("handed_allocation",     "405   405   405   405   405   405   405", post="login 403   go    404   go    go    go"),
    "matching:follow-up":             E("follow_up_token",       "ok    ok    ok    ok    ok    ok    ok"),
    "matching:handover-detail":       E("handover",              "login 403   ok    404   ok    ok    ok"),
    "matching:handover-list":         E("none",                  "login 403   ok    ok    ok    ok    ok"),
    "matching:handover-new":          E("request",               "login 403   ok    404   ok    ok    ok"),
    "matching:handover-pdf":          E("handover",              "login 403   ok    404   ok    ok    ok"),
    "matching:line-quantity":         E("line",                  "login 403   403   403   ok    ok    ok"),
    "matching:proposal-swap":         E("proposal",              "login 403   403   403   ok    ok    ok"),
    "matching:request-approve":       E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:request-check":         E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-close":         E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:request-collection":    E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-contact":       E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-decline":       E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:request-detail":        E("request",               "login 403   403   403   ok    ok    ok"),
    "matching:request-devices":       E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-done":          E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-line":          E("one",                   "go    go    go    go    go    go    go"),
    "matching:request-line-add":      E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-line-remove":   E("one",                   "405   405   405   405   405   405   405", post="404   404   404   404   404   404   404"),
    "matching:request-list":          E("none",                  "login 403   403   403   ok    ok    ok"),
    "matching:request-note":          E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:request-organisation":  E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "matching:request-people":        E("none",                  "go    go    go    go    go    go    go"),
    "matching:request-privacy":       E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "matching:request-start":         E("none",                  "ok    ok    ok    ok    ok    ok    ok"),
    "matching:request-tier":          E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:request-verify":        E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   go    go    go"),
    "matching:request-withdraw":      E("request",               "405   405   405   405   405   405   405", post="login 403   403   403   400   400   400"),
    "matching:run-detail":            E("run",                   "login 403   403   403   ok    ok    ok"),
    "matching:run-list":              E("none",                  "login 403   403   403   ok    ok    ok"),
    "matching:run-review":            E("run_request",           "405   405   405   405   405   405   405", post="login 403   403   403   go    go    go"),
    "matching:shortages":             E("none",                  "login ok    403   403   ok    ok    ok"),
    "matching:status":                E("status_token",          "ok    ok    ok    ok    ok    ok    ok"),
    "matching:status-book":           E("status_token",          "ok    ok    ok    ok    ok    ok    ok"),
    "matching:status-withdraw":       E("status_token",          "ok    ok    ok    ok    ok    ok    ok"),
    "reuse:certificate-detail":       E("certificate",           "login ok    403   403   403   ok    ok"),
    "reuse:certificate-pdf":          E("certificate",           "login ok    403   403   403   ok    ok"),
    "reuse:checklist-record":         E("depot_device",          "login ok    403   403   403   ok    ok"),
    "reuse:checklist-verify":         E("checklist",             "login 405   403   403   403   405   405", post="login go    403   403   403   go    go"),
    "reuse:device-add":               E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:device-bulk-move":         E("none",                  "405   405   405   405   405   405   405", post="login go    403   403   403   go    go"),
    "reuse:device-certificate":       E("device",                "login 405   403   403   403   405   405", post="login go    403   403   403   go    go"),
    "reuse:device-correct":           E("device",                "login ok    403   403   403   ok    ok"),
    "reuse:device-detail":            E("device",                "login ok    ok    404   ok    ok    ok"),
    "reuse:device-edit":              E("device",                "login ok    403   403   403   ok    ok"),
    "reuse:device-export":            E("none",                  "login ok    ok    ok    ok    ok    ok", post="405   405   405   405   405   405   405"),
    "reuse:device-list":              E("none",                  "login ok    ok    ok    ok    ok    ok"),
    "reuse:device-transition":        E("device",                "login ok    403   403   403   ok    ok"),
    "reuse:disposal-detail":          E("disposal",              "login ok    403   403   403   ok    ok"),
    "reuse:disposal-list":            E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:disposal-new":             E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:evidence-download":        E("evidence",              "login ok    403   403   403   ok    ok"),
    "reuse:intake":                   E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:intake-preview":           E("intake_token",          "login ok    403   403   403   404   404"),
    "reuse:intake-template":          E("none",                  "login ok    403   403   403   ok    ok", post="405   405   405   405   405   405   405"),
    "reuse:label-calibration":        E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:label-job":                E("label_job",             "login ok    403   403   403   ok    ok"),
    "reuse:label-job-download":       E("label_job",             "login 404   403   403   403   404   404"),
    "reuse:label-preprint":           E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:label-print":              E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:medium-add":               E("depot_device",          "login ok    403   403   403   ok    ok"),
    "reuse:medium-remove":            E("depot_medium",          "login ok    403   403   403   ok    ok"),
    "reuse:record-verify":            E("record",                "login ok    403   403   403   ok    ok"),
    "reuse:record-wipe":              E("depot_medium",          "login ok    403   403   403   ok    ok"),
    "reuse:sanitisation":             E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:sanitisation-batch":       E("none",                  "login ok    403   403   403   ok    ok"),
    "reuse:sanitisation-confirm":     E("none",                  "login 405   403   403   403   405   405", post="login go    403   403   403   go    go"),
    "reuse:stocktake-csv":            E("stocktake",             "login ok    ok    404   403   ok    ok", post="405   405   405   405   405   405   405"),
    "reuse:stocktake-detail":         E("stocktake",             "login ok    ok    404   403   ok    ok"),
    "reuse:stocktake-list":           E("none",                  "login ok    ok    ok    403   ok    ok"),
    "reuse:wipe-log-import":          E("none",                  "login ok    403   403   403   ok    ok"),
}
# fmt: on

# A few admin pages as an administrator: (path, outcome).
ADMIN_SAMPLE: dict[str, tuple[str, str]] = {
    "admin:index": ("/admin/", "ok"),
    "admin:reuse_device_changelist": ("/admin/reuse/device/", "ok"),
    "admin:lending_borrower_changelist": ("/admin/lending/borrower/", "ok"),
    "admin:auth_user_changelist": ("/admin/auth/user/", "ok"),
    # Schedules name the function the worker runs: read-only even for administrators.
    "admin:django_q_schedule_add": ("/admin/django_q/schedule/add/", "403"),
    # Custody events are append-only: nobody deletes one, not even in the admin.
    "admin:reuse_custodyevent_delete": ("/admin/reuse/custodyevent/1/delete/", "403"),
}

TABLE = {name: Entry(**{**entry.__dict__, "name": name}) for name, entry in TABLE.items()}

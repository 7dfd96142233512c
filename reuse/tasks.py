"""django-q2 entry points for reuse: each takes a primary key and calls a service."""

from reuse.models import Certificate
from reuse.services.audit import audit_digest_write as write_digest
from reuse.services.certificates import certificate_render as render_certificate
from reuse.services.intake import uploads_expire
from reuse.services.labels import label_code_issue as issue_label_code
from reuse.services.labels import label_job_run as run_label_job


def certificate_render(certificate_id: int) -> None:
    render_certificate(certificate=Certificate.objects.get(pk=certificate_id))


def label_job_run(job_id: int) -> None:
    run_label_job(job_id=job_id)


def label_code_issue(device_id: int) -> None:
    issue_label_code(device_id=device_id)


def intake_uploads_expire() -> int:
    """Hourly: forget CSV uploads nobody confirmed within a day (the file, its plan and its preview)."""
    return uploads_expire()


def audit_digest_write() -> int:
    """Daily: the digest of every custody chain's head, published at /open-data/audit/."""
    return write_digest().pk

"""django-q2 entry points for reuse: each takes a primary key and calls a service."""

from reuse.models import Certificate
from reuse.services.certificates import certificate_render as render_certificate
from reuse.services.labels import label_job_run as run_label_job


def certificate_render(certificate_id: int) -> None:
    render_certificate(certificate=Certificate.objects.get(pk=certificate_id))


def label_job_run(job_id: int) -> None:
    run_label_job(job_id=job_id)

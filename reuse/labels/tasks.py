"""django-q2 entry points for labels: take a primary key, call the service."""

from reuse.services.labels import label_job_run as run_job


def label_job_run(job_id: int) -> None:
    run_job(job_id=job_id)

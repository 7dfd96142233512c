"""Big batches print in the background: a job with progress, a PDF to download, then cleared away."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reuse.labels import pdf as label_pdf
from reuse.models import Device, LabelJob, LabelTemplate
from reuse.services.labels import label_items_for_devices, label_job_create, label_job_run, label_jobs_purge
from tests.reuse.labelcheck import assert_codes_in_cells


@pytest.fixture
def job(many_devices, l7160, depot_printer, alice, media_root):
    many_devices(50)
    return label_job_create(
        template=l7160, items=label_items_for_devices(Device.objects.all()), skip=4, printer=depot_printer, actor=alice
    )


def test_the_task_renders_the_pdf_and_reports_progress(job, l7160, monkeypatch):
    monkeypatch.setattr(label_pdf, "PART_SHEETS", 1)
    seen = []
    real = label_pdf._draw_sheet

    def spy(*sheet, **fixed):
        seen.append(LabelJob.objects.get(pk=job.pk).progress)
        return real(*sheet, **fixed)

    monkeypatch.setattr(label_pdf, "_draw_sheet", spy)
    label_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert seen == [0, 17, 38]  # after each sheet: 21 positions less the 4 skipped, then 21 more
    assert (job.status, job.progress, job.pages, job.error) == ("done", 50, 3, "")
    assert job.started_at <= job.finished_at
    with job.file.open("rb") as handle:
        pdf = handle.read()
    assert_codes_in_cells(
        pdf,
        l7160,
        [d.label_url for d in Device.objects.order_by("asset_tag")],
        skip=4,
        offset_x=job.printer.offset_x_mm,
        offset_y=job.printer.offset_y_mm,
    )


def test_a_job_runs_once(job):
    assert label_job_run(job_id=job.pk).status == "done"
    assert label_job_run(job_id=job.pk) is None


def test_a_job_left_running_by_a_dead_worker_is_picked_up_again(job, settings):
    LabelJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert label_job_run(job_id=job.pk) is None  # still within the task timeout: someone may be on it
    LabelJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=settings.Q_CLUSTER["timeout"] + 1)
    )
    assert label_job_run(job_id=job.pk).status == "done"


def test_a_job_whose_template_was_broken_meanwhile_fails_with_a_reason(job):
    LabelTemplate.objects.filter(pk=job.template_id).update(columns=4)
    label_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "past the 210" in job.error
    assert not job.file


def test_an_unexpected_error_fails_the_job_without_leaking_details(job, monkeypatch):
    def explode(*sheet, **fixed):
        raise RuntimeError("/secret/path went wrong")

    monkeypatch.setattr(label_pdf, "_draw_sheet", explode)
    label_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "secret" not in job.error and "went wrong while drawing" in job.error


def test_the_task_is_queued_only_after_the_job_is_saved(
    many_devices, l7160, alice, media_root, django_capture_on_commit_callbacks
):
    many_devices(3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = label_job_create(template=l7160, items=label_items_for_devices(Device.objects.all()), actor=alice)
    assert LabelJob.objects.get(pk=job.pk).status == "pending"
    assert len(callbacks) == 1
    callbacks[0]()  # TASKS_SYNC: django-q runs the task here, with the job's id as its only argument
    assert LabelJob.objects.get(pk=job.pk).status == "done"


def test_finished_jobs_and_their_files_are_deleted_after_the_keeping_period(job, settings):
    label_job_run(job_id=job.pk)
    job.refresh_from_db()
    path = job.file.path
    assert label_jobs_purge() == 0
    later = timezone.now() + datetime.timedelta(days=settings.LABEL_JOB_KEEP_DAYS + 1)
    assert label_jobs_purge(now=later) == 1
    assert not LabelJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(path)


def test_the_job_page_refreshes_itself_until_done(client, job, alice):
    client.force_login(alice)
    url = reverse("reuse:label-job", args=[job.pk])
    response = client.get(url)
    assert response["Refresh"] == "3"
    assert "Preparing your labels" in response.content.decode()
    assert "Refresh" not in client.get(url + "?refresh=off")
    label_job_run(job_id=job.pk)
    response = client.get(url)
    assert "Refresh" not in response
    assert "Your labels are ready" in response.content.decode()
    download = client.get(reverse("reuse:label-job-download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="labels-L7160-{job.pk}.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_unfinished_job_has_nothing_to_download(client, job, alice):
    client.force_login(alice)
    assert client.get(reverse("reuse:label-job-download", args=[job.pk])).status_code == 404


def test_desk_staff_cannot_see_or_download_jobs(client, job, dina):
    label_job_run(job_id=job.pk)
    client.force_login(dina)
    assert client.get(reverse("reuse:label-job", args=[job.pk])).status_code == 403
    assert client.get(reverse("reuse:label-job-download", args=[job.pk])).status_code == 403

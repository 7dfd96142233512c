"""Printing QR asset labels: which labels, on which sheet, now or in the background.

Every way of printing (the label page, a device's page, the inventory selection, `print_labels`,
the background task) comes through `labels_print` or `labels_render`, so the checks on the template,
the skip count and the selection are made once, before any PDF exists.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from core.tasks import on_commit_task
from reuse.labels.geometry import geometry_problems
from reuse.labels.pdf import LabelItem, draw_labels, qr_path, render_calibration, sheet_count
from reuse.models import (
    Device,
    DeviceKind,
    DeviceStatus,
    LabelCode,
    LabelJob,
    LabelTemplate,
    PreprintedTag,
    Printer,
    label_url,
)
from reuse.services.devices import allocate_asset_tags

logger = logging.getLogger(__name__)

J = LabelJob.Status
DB_BATCH = 500


def _batches(seq: Sequence, size: int) -> list[Sequence]:
    return [seq[start : start + size] for start in range(0, len(seq), size)]


def cached_codes(urls: Sequence[str]) -> dict[str, bytes]:
    """The QR codes already encoded for these URLs, as `qr_path` made them, by URL."""
    found: dict[str, bytes] = {}
    for batch in _batches(list(dict.fromkeys(urls)), DB_BATCH):
        rows = LabelCode.objects.filter(url__in=batch).values_list("url", "path")
        found.update((url, bytes(path)) for url, path in rows)  # PostgreSQL hands back memoryviews
    return found


def label_code_encode(url: str) -> bytes:
    """Encode one label's QR code (about a millisecond): the only place labels' codes are made."""
    from core.qr import qr_modules

    return qr_path(qr_modules(url))


def label_codes_keep(urls: Iterable[str]) -> dict[str, bytes]:
    """Every code for `urls`, by URL: those already kept read back, the others encoded now and kept.

    Called when tags are issued (a device registered, pre-printed tags allocated), so printing finds
    them ready; a tag issued in bulk (a CSV import, demo data) has its code made at its first print.
    """
    urls = list(dict.fromkeys(urls))
    codes = cached_codes(urls)
    fresh = {url: label_code_encode(url) for url in urls if url not in codes}
    # Another batch may have encoded the same URL meanwhile; the codes are identical, so either row will do.
    LabelCode.objects.bulk_create(
        [LabelCode(url=url, path=path) for url, path in fresh.items()], batch_size=DB_BATCH, ignore_conflicts=True
    )
    return {**codes, **fresh}


def label_code_issue(*, device_id: int) -> None:
    """Encode and keep the code for a newly registered device's label (the worker, after the commit)."""
    tag = Device.objects.filter(pk=device_id).values_list("asset_tag", flat=True).first()
    if tag:
        label_codes_keep([label_url(tag)])


def finder_line() -> str:
    """What every label tells whoever finds the device, the number held together on one line."""
    return "Found this? " + f"Call {settings.COUNCIL_PHONE}".replace(" ", "\u00a0")


def _render(
    *,
    template: LabelTemplate,
    items: Sequence[LabelItem],
    skip: int,
    printer: Printer | None,
    on_progress=None,
) -> tuple[bytes, int]:
    """Draw the labels, with the codes kept since their tags were issued (any missing encoded and kept)."""
    layout = template.layout(printer, tag_length=max([10, *(len(item.tag) for item in items)]))
    return draw_labels(
        layout=layout,
        items=items,
        codes=label_codes_keep(item.url for item in items),
        skip=skip,
        service=settings.SERVICE_NAME,
        council=settings.COUNCIL_NAME,
        finder=finder_line(),
        title=f"Asset labels on {template.code}",
        on_progress=on_progress,
    )


def _active_named(queryset, field: str, value: str, *, code: str, what: str, plural: str):
    """The active row whose `field` is `value` (any case); DomainError `code` listing the others otherwise."""
    found = queryset.filter(**{f"{field}__iexact": (value or "").strip()}).first()
    if found is None:
        known = ", ".join(queryset.values_list(field, flat=True)) or "none"
        raise DomainError(code, f"There is no {what} called {value!r}. Known {plural}: {known}.")
    return found


def label_template_get(code: str) -> LabelTemplate:
    """The active label size called `code` (any case); DomainError `unknown_template` lists the others."""
    return _active_named(
        LabelTemplate.objects.active(), "code", code, code="unknown_template", what="label size", plural="sizes"
    )


def printer_get(name: str) -> Printer:
    """The active printer called `name` (any case); DomainError `unknown_printer` lists the others."""
    return _active_named(
        Printer.objects.active(), "name", name, code="unknown_printer", what="printer", plural="printers"
    )


def label_template_check(template: LabelTemplate) -> None:
    """DomainError `template_does_not_fit` if the template's labels would not print where they should."""
    problems = [message for _field, message in geometry_problems(template)]
    if problems:
        raise DomainError(
            "template_does_not_fit",
            f"The {template.code} label size cannot be printed: {' '.join(problems)} "
            "An administrator can correct it in the admin.",
            problems=problems,
        )


def label_skip_check(template: LabelTemplate, skip: int) -> None:
    if not 0 <= skip < template.per_sheet:
        raise DomainError(
            "bad_skip",
            f"Positions to skip must be between 0 and {template.per_sheet - 1} "
            f"({template.code} has {template.per_sheet} labels a sheet), not {skip}.",
        )


def _detail(kind: str, make: str, model: str) -> str:
    return " · ".join(part for part in (DeviceKind(kind).label, f"{make} {model}".strip()) if part)


def label_items_for_devices(devices) -> list[LabelItem]:
    """One label per device in `devices` (a queryset), in asset tag order."""
    rows = devices.order_by("asset_tag").values_list("asset_tag", "kind", "make", "model")
    return [
        LabelItem(tag=tag, url=label_url(tag), detail=_detail(kind, make, model)) for tag, kind, make, model in rows
    ]


def label_items_for_tags(tags: Sequence[str]) -> list[LabelItem]:
    """Labels for `tags` in the order given: devices' tags, or pre-printed tags not yet attached.

    DomainError `unknown_tags` names any tag that is neither.
    """
    tags = list(dict.fromkeys(tag.upper() for tag in tags))
    items: dict[str, LabelItem] = {}
    for start in range(0, len(tags), 500):
        batch = tags[start : start + 500]
        for tag, kind, make, model in Device.objects.filter(asset_tag__in=batch).values_list(
            "asset_tag", "kind", "make", "model"
        ):
            items[tag] = LabelItem(tag=tag, url=label_url(tag), detail=_detail(kind, make, model))
        spare = [tag for tag in batch if tag not in items]
        for tag in PreprintedTag.objects.filter(asset_tag__in=spare, device__isnull=True).values_list(
            "asset_tag", flat=True
        ):
            items[tag] = LabelItem(tag=tag, url=label_url(tag))
    unknown = [tag for tag in tags if tag not in items]
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise DomainError("unknown_tags", f"No device or pre-printed label has the tag {shown}.", tags=unknown)
    return [items[tag] for tag in tags]


def label_selection(
    *, device_ids: Iterable[int] = (), tags: Sequence[str] = (), status: str = "", everything: bool = False
) -> list[LabelItem]:
    """The labels staff asked for: chosen devices, typed tags, every device with a status, or all."""
    if status and status not in DeviceStatus.values:
        raise DomainError(
            "unknown_status", f"{status!r} is not a device status. Statuses: {', '.join(DeviceStatus.values)}."
        )
    if tags:
        items = label_items_for_tags(tags)
    else:
        if device_ids:
            devices = Device.objects.filter(pk__in=list(device_ids))
        elif status:
            devices = Device.objects.filter(status=status)
        else:
            devices = Device.objects.all() if everything else Device.objects.none()
        items = label_items_for_devices(devices)
    if not items:
        raise DomainError("empty_selection", "No devices were chosen, so there is nothing to print.")
    return items


def _check_batch(template: LabelTemplate, skip: int, count: int) -> None:
    label_template_check(template)
    label_skip_check(template, skip)
    if count < 1:
        raise DomainError("empty_selection", "No devices were chosen, so there is nothing to print.")
    if count > settings.LABELS_MAX_BATCH:
        raise DomainError(
            "too_many_labels",
            f"That is {count:,} labels; print at most "
            f"{settings.LABELS_MAX_BATCH:,} at a time (choose fewer devices or one status at a time).",
        )


def labels_render(
    *,
    template: LabelTemplate,
    items: Sequence[LabelItem],
    skip: int = 0,
    printer: Printer | None = None,
) -> tuple[bytes, int]:
    """The PDF for `items`, checked first. Returns (pdf, sheets)."""
    _check_batch(template, skip, len(items))
    return _render(template=template, items=items, skip=skip, printer=printer)


def calibration_render(*, template: LabelTemplate, printer: Printer | None = None) -> bytes:
    label_template_check(template)
    return render_calibration(template=template, printer=printer)


@dataclass
class PrintResult:
    """Either the PDF itself (a sheet or two) or the background job that is making it."""

    pdf: bytes | None = None
    sheets: int = 0
    job: LabelJob | None = None


@transaction.atomic
def label_job_create(
    *,
    template: LabelTemplate,
    items: Sequence[LabelItem],
    skip: int = 0,
    printer: Printer | None = None,
    actor=None,
    kind: str = LabelJob.Kind.DEVICES,
) -> LabelJob:
    """Queue a batch for the background worker; it starts once this transaction commits."""
    _check_batch(template, skip, len(items))
    job = LabelJob.objects.create(
        kind=kind,
        template=template,
        printer=printer,
        skip=skip,
        created_by=actor,
        tags=[item.tag for item in items],
        count=len(items),
    )
    on_commit_task("reuse.tasks.label_job_run", job.pk, task_name=f"label-job-{job.pk}")
    return job


def labels_print(
    *,
    template: LabelTemplate,
    items: Sequence[LabelItem],
    skip: int = 0,
    printer: Printer | None = None,
    actor=None,
    kind: str = LabelJob.Kind.DEVICES,
) -> PrintResult:
    """Print `items`: straight away if they fill at most LABELS_SYNC_SHEETS sheets, else as a background job."""
    _check_batch(template, skip, len(items))
    sheets = sheet_count(template, len(items), skip)
    if sheets > settings.LABELS_SYNC_SHEETS:
        return PrintResult(
            job=label_job_create(template=template, items=items, skip=skip, printer=printer, actor=actor, kind=kind),
            sheets=sheets,
        )
    pdf, sheets = labels_render(template=template, items=items, skip=skip, printer=printer)
    return PrintResult(pdf=pdf, sheets=sheets)


def _check_count(count: int) -> None:
    if not 1 <= count <= settings.LABELS_MAX_BATCH:
        raise DomainError("bad_count", f"Print between 1 and {settings.LABELS_MAX_BATCH:,} labels, not {count}.")


@transaction.atomic
def preprinted_tags_create(*, count: int, actor) -> list[str]:
    """Allocate `count` new asset tags for labels printed ahead of time, and record them as unclaimed."""
    _check_count(count)
    tags = allocate_asset_tags(count)
    PreprintedTag.objects.bulk_create([PreprintedTag(asset_tag=tag, created_by=actor) for tag in tags])
    label_codes_keep(label_url(tag) for tag in tags)
    return tags


def preprinted_print(
    *, count: int, template: LabelTemplate, skip: int = 0, printer: Printer | None = None, actor=None
) -> PrintResult:
    """Allocate `count` tags and print their labels. Nothing is allocated if the template or skip is wrong."""
    _check_count(count)
    _check_batch(template, skip, count)
    with transaction.atomic():
        tags = preprinted_tags_create(count=count, actor=actor)
        items = [LabelItem(tag=tag, url=label_url(tag)) for tag in tags]
        result = labels_print(
            template=template, items=items, skip=skip, printer=printer, actor=actor, kind=LabelJob.Kind.PREPRINTED
        )
        if result.job:
            PreprintedTag.objects.filter(asset_tag__in=tags).update(job=result.job)
    return result


def preprinted_render(
    *, count: int, template: LabelTemplate, skip: int = 0, printer: Printer | None = None, actor=None
) -> tuple[bytes, int]:
    """Allocate `count` tags and return their labels' PDF at once (the command line). All or nothing."""
    _check_count(count)
    _check_batch(template, skip, count)
    with transaction.atomic():
        tags = preprinted_tags_create(count=count, actor=actor)
        items = [LabelItem(tag=tag, url=label_url(tag)) for tag in tags]
        return labels_render(template=template, items=items, skip=skip, printer=printer)


def label_job_run(*, job_id: int) -> LabelJob | None:
    """Render a queued job's PDF, reporting progress as it goes. Safe to call twice: only one run claims it.

    A job left `running` by a worker that died is claimed again once the task timeout has passed.
    """
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=cast(int, settings.Q_CLUSTER["timeout"]))
    claimed = LabelJob.objects.filter(
        Q(status=J.PENDING) | Q(status=J.RUNNING, started_at__lt=stale), pk=job_id
    ).update(status=J.RUNNING, started_at=now, progress=0)
    if not claimed:
        return None
    job = LabelJob.objects.select_related("template", "printer").get(pk=job_id)
    try:
        items = label_items_for_tags(job.tags)
        _check_batch(job.template, job.skip, len(items))
        pdf, sheets = _render(
            template=job.template,
            items=items,
            skip=job.skip,
            printer=job.printer,
            on_progress=lambda done: LabelJob.objects.filter(pk=job_id).update(progress=done),
        )
        job.file.save(f"labels-{job.template.code}-{job_id}.pdf", ContentFile(pdf), save=False)
    except DomainError as exc:
        return _job_failed(job, exc.message)
    except Exception:
        logger.exception("Label job %s failed", job_id)
        return _job_failed(job, "Something went wrong while drawing the labels. Try again, or ask IT support.")
    LabelJob.objects.filter(pk=job_id).update(
        status=J.DONE, file=job.file.name, progress=job.count, pages=sheets, finished_at=timezone.now()
    )
    label_jobs_purge()
    job.refresh_from_db()
    return job


def _job_failed(job: LabelJob, message: str) -> LabelJob:
    LabelJob.objects.filter(pk=job.pk).update(status=J.FAILED, error=message[:300], finished_at=timezone.now())
    job.refresh_from_db()
    return job


def label_jobs_purge(*, now=None) -> int:
    """Delete finished jobs (and their PDFs) older than LABEL_JOB_KEEP_DAYS. Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.LABEL_JOB_KEEP_DAYS)
    old = list(LabelJob.objects.filter(finished_at__lt=cutoff))
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(old)

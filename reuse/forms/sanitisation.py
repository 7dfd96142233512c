"""Forms for drives, wipes, reset checklists, their verification and wipe-log imports: validation only."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from core.forms import BoundedDateTimeField, GovukForm, GovukModelForm
from reuse.models import ResetChecklist, SanitisationRecord, StorageType
from reuse.services.evidence import ACCEPTED, ACCEPTED_TEXT

R = SanitisationRecord
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-20", **(attrs or {})}, format=DATETIME_FORMAT)


class EvidenceField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"The wipe tool's own report: {ACCEPTED_TEXT}. It is kept exactly as "
            "uploaded and is never shown in the browser.",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(ACCEPTED)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {settings.EVIDENCE_MAX_BYTES // 2**20} MB")
        return upload


class SanitisationRecordForm(GovukForm):
    error_overrides = {
        "started_at": {
            "required": "Enter when the wipe started",
            "invalid": "Enter when the wipe started, as a date and time",
        },
        "ended_at": {
            "required": "Enter when the wipe finished",
            "invalid": "Enter when the wipe finished, as a date and time",
        },
        "rounds": {"required": "Enter the number of rounds"},
    }

    category = forms.ChoiceField(
        label="NIST SP 800-88 category",
        choices=R.Category.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="Clear: overwrite. Purge: block or cryptographic erase, sanitize command. Destroy: shredding.",
    )
    technique = forms.ChoiceField(choices=R.Technique.choices)
    tool = forms.CharField(max_length=60, help_text="For example nwipe, Blancco Drive Eraser, hdparm, nvme-cli")
    tool_version = forms.CharField(
        label="Tool version",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    rounds = forms.IntegerField(
        min_value=1, max_value=99, initial=1, widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"})
    )
    started_at = BoundedDateTimeField(
        label="Started", widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%d/%m/%Y %H:%M"]
    )
    ended_at = BoundedDateTimeField(
        label="Finished", widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT, "%d/%m/%Y %H:%M"]
    )
    result = forms.ChoiceField(
        label="Wipe result", choices=R.Result.choices, widget=forms.RadioSelect(attrs={"inline": True})
    )
    verification_method = forms.CharField(
        label="Verification method",
        max_length=100,
        help_text="How the tool or you checked the wipe, for example: nwipe read back the last pass",
    )
    verification_result = forms.ChoiceField(
        label="Verification result", choices=R.Result.choices, widget=forms.RadioSelect(attrs={"inline": True})
    )
    standard = forms.ChoiceField(choices=R.Standard.choices, initial=R.Standard.NIST_R1)
    evidence = EvidenceField(label="Tool report", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", "The finish must be after the start")
        if ended and ended > timezone.now() + datetime.timedelta(minutes=5):
            self.add_error("ended_at", "The finish cannot be in the future")
        return data


class MediumAddForm(GovukForm):
    """A drive found in a device on the bench (its page's \"Add a drive\")."""

    kind = forms.ChoiceField(label="Type", choices=StorageType.choices)
    error_overrides = {"kind": {"required": "Select the drive type"}}
    make = forms.CharField(max_length=60, required=False)
    model = forms.CharField(max_length=100, required=False)
    serial = forms.CharField(
        label="Serial number",
        max_length=80,
        required=False,
        help_text="As printed on the drive: wipe logs are matched by it",
    )
    capacity_gb = forms.IntegerField(
        label="Capacity (GB)",
        min_value=1,
        max_value=1_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )


class MediumRemoveForm(GovukForm):
    reason = forms.CharField(max_length=200, help_text="For example: drive failed and was shredded, or replaced")


class ResetChecklistForm(GovukModelForm):
    class Meta:
        model = ResetChecklist
        fields = [*ResetChecklist.ITEMS, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class VerifyRecordForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your check",
        widget=forms.RadioSelect,
        choices=[
            ("confirm", "I have checked this wipe and its evidence: confirm it"),
            ("reject", "Reject it: the wipe or its evidence is not right"),
        ],
    )
    reason = forms.CharField(
        label="Why are you rejecting it?",
        required=False,
        max_length=300,
        help_text="Needed only if you reject the wipe",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are rejecting this wipe")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type=file multiple>` (Django's documented recipe): a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data] or single(None, initial)
        return [single(data, initial)]


class WipeLogForm(GovukForm):
    log = MultipleFileField(
        label="nwipe or ShredOS logs",
        help_text=f"The .log or .txt files nwipe wrote: one, or up to {settings.WIPE_LOG_UPLOAD_MAX_FILES} at once "
        f"({settings.WIPE_LOG_UPLOAD_MAX_BYTES // 2**20} MB in all). Each device is found by its system "
        "serial or its drive serials; you are recorded as the operator.",
    )

    def clean_log(self):
        uploads = self.cleaned_data["log"]
        if len(uploads) > settings.WIPE_LOG_UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                f"Upload up to {settings.WIPE_LOG_UPLOAD_MAX_FILES} logs at a time; you chose {len(uploads)}"
            )
        if sum(u.size for u in uploads) > settings.WIPE_LOG_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"These logs come to more than {settings.WIPE_LOG_UPLOAD_MAX_BYTES // 2**20} "
                "MB: upload them in smaller groups"
            )
        for upload in uploads:
            if upload.size > settings.EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(f"{upload.name} is too large to be an nwipe log")
            if not upload.name.lower().endswith((".log", ".txt")):
                raise forms.ValidationError(
                    f"Upload the nwipe log itself, a .log or .txt file: {upload.name} is not one"
                )
        return uploads

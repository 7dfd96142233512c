"""What the API says about devices, their custody events and wipes, loans, community requests and sites;
and what it accepts
to register a device at intake (checked by the intake page's own form, so both refuse the same input)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.roles import staff_name
from lending.models import Loan
from matching.models import Allocation, CommunityRequest, RequestLine
from reuse.forms.intake import DeviceForm, medium_formset
from reuse.models import CustodyEvent, Device, DeviceKind, Grade, SanitisationRecord, Site, StorageMedium, StorageType

# What intake records about a device, in the intake form's order (its site aside): read and written alike.
INTAKE_FIELDS = [name for name in DeviceForm.Meta.fields if name != "site"]


class DriveSerializer(serializers.ModelSerializer):
    class Meta:
        model = StorageMedium
        fields = ["kind", "make", "model", "serial", "capacity_gb", "removed_at"]


class DeviceSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Where the device is: a site code."
    )
    drives = DriveSerializer(source="media", many=True, read_only=True)
    label_url = serializers.CharField(read_only=True, help_text="What the device's QR label holds.")
    url = serializers.SerializerMethodField(help_text="This device in the API.")
    storage_type = serializers.ChoiceField(choices=[("", "Not known"), *StorageType.choices], read_only=True)

    class Meta:
        model = Device
        fields = [
            "asset_tag",
            "url",
            *INTAKE_FIELDS,
            "has_charger",
            "has_case",
            "site",
            "status",
            "status_changed_at",
            "received_at",
            "created_at",
            "label_url",
            "drives",
        ]
        read_only_fields = fields

    def get_url(self, device) -> str:
        path = reverse("api:device-detail", args=[device.asset_tag])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DriveInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StorageType.choices)
    make = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    serial = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    capacity_gb = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, allow_null=True)


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


def _number(maximum: int, **kwargs):
    return serializers.IntegerField(min_value=0, max_value=maximum, required=False, allow_null=True, **kwargs)


class DeviceCreateSerializer(serializers.Serializer):
    """A device arriving at intake. The same rules as the intake page: a serial, IMEI or council asset
    number to know it by; an IMEI for a phone; a drive for a laptop or desktop; no serial Excel mangled."""

    site = serializers.CharField(max_length=20, help_text="The code of the site it is at, e.g. DEPOT.")
    asset_tag = _text(
        200,
        help_text="A pre-printed label already on it (its tag or the URL its QR code holds); "
        "leave out to have a new asset tag allocated.",
    )
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    make = serializers.CharField(max_length=60)
    model = serializers.CharField(max_length=100)
    serial = _text(60)
    imei = _text(25, help_text="15 digits; spaces and dashes are ignored.")
    council_asset_number = _text(50)
    cpu = _text(100)
    ram_gb = _number(32_767)
    storage_gb = _number(2_147_483_647)
    storage_type = serializers.ChoiceField(
        choices=[("", "Not known"), *StorageType.choices], required=False, default=""
    )
    os_name = _text(60)
    os_version = _text(40)
    tpm_version = _text(10)
    battery_health_pct = _number(100)
    webcam = serializers.BooleanField(required=False, allow_null=True, default=None)
    has_charger = serializers.BooleanField(required=False, default=False)
    has_case = serializers.BooleanField(required=False, default=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False, default="")
    source_department = _text(100)
    lot = _text(50)
    notes = _text(5000)
    drives = DriveInputSerializer(many=True, required=False, default=list, max_length=8)

    def validate(self, attrs):
        """Run the intake page's form over the same values; its errors come back under the API's names."""
        site = Site.objects.active().filter(code=attrs["site"].strip().upper()).first()
        if site is None:
            raise serializers.ValidationError({"site": [f"No active site has the code {attrs['site']!r}."]})
        data = {name: attrs.get(name) for name in INTAKE_FIELDS if name != "webcam"}
        data.update(
            site=site.pk,
            label=attrs["asset_tag"],
            webcam={True: "yes", False: "no", None: ""}[attrs["webcam"]],
            accessories=[name for name in ("has_charger", "has_case") if attrs[name]],
        )
        data = {k: ("" if v is None else v) for k, v in data.items()}
        drives = attrs["drives"]
        rows = max(1, len(drives))
        media_data: dict[str, object] = {"media-TOTAL_FORMS": rows, "media-INITIAL_FORMS": 0}
        for index, drive in enumerate(drives):
            for key, value in drive.items():
                media_data[f"media-{index}-{key}"] = "" if value is None else value
        form = DeviceForm(data, user=self.context["request"].user)
        media = medium_formset(data=media_data, kind=attrs["kind"])
        form_ok, media_ok = form.is_valid(), media.is_valid()
        if not (form_ok and media_ok):
            raise serializers.ValidationError(_form_errors(form, media, sent_drives=bool(drives)))
        return {"site": site, "form": form, "media": media}


def _form_errors(form, media, *, sent_drives: bool) -> dict:
    errors: dict = {}
    for name, messages in form.errors.items():
        key = {"label": "asset_tag", "__all__": "non_field_errors", "accessories": "has_charger"}.get(name, name)
        errors.setdefault(key, []).extend(messages)
    drive_errors = [{k: list(v) for k, v in row.items()} for row in media.errors]
    if any(drive_errors):
        if sent_drives:
            errors["drives"] = drive_errors
        else:
            errors["drives"] = [m for row in drive_errors for messages in row.values() for m in messages]
    if media.non_form_errors():
        errors.setdefault("drives", []).extend(media.non_form_errors())
    return errors


class EventSerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor = serializers.SerializerMethodField(help_text="Who made the change (a member of staff), or null.")

    class Meta:
        model = CustodyEvent
        fields = ["seq", "at", "from_status", "to_status", "site", "actor", "reason", "prev_hash", "hash"]
        read_only_fields = fields

    def get_actor(self, event) -> str | None:
        return staff_name(event.actor) if event.actor else None


class WipeSerializer(serializers.ModelSerializer):
    drive_serial = serializers.CharField(source="medium.serial", read_only=True, allow_null=True, default=None)
    operator = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    evidence_sha256 = serializers.CharField(source="evidence.sha256", read_only=True, allow_null=True, default=None)
    passing = serializers.BooleanField(source="is_passing", read_only=True, help_text="Counts towards the wipe gate.")

    class Meta:
        model = SanitisationRecord
        fields = [
            "id",
            "drive_serial",
            "cycle",
            "category",
            "technique",
            "tool",
            "tool_version",
            "rounds",
            "started_at",
            "ended_at",
            "result",
            "verification_method",
            "verification_result",
            "operator",
            "verified_by",
            "verified_at",
            "standard",
            "evidence_sha256",
            "passing",
        ]
        read_only_fields = fields

    def get_operator(self, record) -> str:
        return staff_name(record.operator)

    def get_verified_by(self, record) -> str | None:
        return staff_name(record.verified_by) if record.verified_by else None


class BorrowerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    card_last_digits = serializers.SerializerMethodField()

    def get_card_last_digits(self, borrower) -> str:
        return borrower.card_number[-4:]


class LoanSerializer(serializers.ModelSerializer):
    device = serializers.SlugRelatedField(slug_field="asset_tag", read_only=True)
    branch = serializers.SlugRelatedField(source="site", slug_field="code", read_only=True)
    borrower = BorrowerRefSerializer(read_only=True)
    state = serializers.CharField(source="state_label", read_only=True)
    outcome = serializers.ChoiceField(
        choices=[("", "Open"), *Loan.Outcome.choices], read_only=True, help_text="Empty while the loan is open."
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "device",
            "branch",
            "borrower",
            "issued_at",
            "due_date",
            "renewals",
            "renewals_allowed",
            "closed_at",
            "outcome",
            "state",
            "overdue",
        ]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["code", "name", "kind", "active"]
        read_only_fields = fields


class RequestLineSerializer(serializers.ModelSerializer):
    accessibility = serializers.SerializerMethodField(
        help_text="Accessibility needs, as the group wrote them: null unless your role reads request contacts."
    )

    class Meta:
        model = RequestLine
        fields = [
            "id",
            "kind",
            "quantity",
            "asked_quantity",
            "min_ram_gb",
            "min_storage_gb",
            "webcam",
            "updates_until",
            "connectivity",
            "setup_help",
            "accessibility",
        ]
        read_only_fields = fields

    def get_accessibility(self, line) -> str | None:
        return line.accessibility if self.context.get("contacts") else None


class AllocationSerializer(serializers.ModelSerializer):
    line = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The request line it is for.")
    device = serializers.SlugRelatedField(slug_field="asset_tag", read_only=True)
    state = serializers.SerializerMethodField(help_text="reserved (set aside), handed_over or cancelled.")
    handover = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = Allocation
        fields = ["id", "line", "device", "state", "created_at", "cancelled_at", "handover", "returned_at"]
        read_only_fields = fields

    def get_state(self, allocation) -> str:
        if allocation.cancelled_at is not None:
            return "cancelled"
        return "handed_over" if allocation.handover_id is not None else "reserved"


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(source="contact_name", read_only=True)
    email = serializers.CharField(source="contact_email", read_only=True)
    phone = serializers.CharField(source="contact_phone", read_only=True)


class OrganisationRefSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    type = serializers.CharField(source="kind", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)


class RequestSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This request in the API.")
    organisation = OrganisationRefSerializer(read_only=True)
    branch = serializers.SlugRelatedField(
        source="collection_site", slug_field="code", read_only=True, help_text="The branch the group collects from."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    served_groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    contact = serializers.SerializerMethodField(
        help_text="Who to contact: null unless your role reads request contacts (coordinators). Every read is "
        "logged; empty strings once forgotten under the retention schedule."
    )
    lines = RequestLineSerializer(many=True, read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = CommunityRequest
        fields = [
            "reference",
            "url",
            "status",
            "status_label",
            "submitted_at",
            "organisation",
            "served_groups",
            "people_count",
            "area",
            "in_area",
            "branch",
            "needed_by",
            "tier",
            "approved_at",
            "finished_at",
            "contact",
            "lines",
            "allocations",
        ]
        read_only_fields = fields

    def get_url(self, req) -> str:
        path = reverse("api:request-detail", args=[req.reference])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, req) -> dict | None:
        return ContactSerializer(req).data if self.context.get("contacts") else None

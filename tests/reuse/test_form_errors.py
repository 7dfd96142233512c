"""Every reuse and matching form, submitted empty, says which field is wrong: GOV.UK's "Enter the make",
never Django's "This field is required."."""

import inspect

import pytest
from django import forms

import matching.forms.handovers
import matching.forms.public
import matching.forms.triage
import reuse.forms.devices
import reuse.forms.disposal
import reuse.forms.intake
import reuse.forms.inventory
import reuse.forms.labels
import reuse.forms.sanitisation
from core.forms import GovukForm, field_noun
from reuse.forms.intake import DeviceForm
from reuse.models import DeviceStatus

MODULES = [
    reuse.forms.devices,
    reuse.forms.disposal,
    reuse.forms.intake,
    reuse.forms.inventory,
    reuse.forms.labels,
    reuse.forms.sanitisation,
    matching.forms.handovers,
    matching.forms.public,
    matching.forms.triage,
]
# Django's messages that say nothing about which field they are about.
ANONYMOUS = {
    "This field is required.",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid date.",
    "Enter a valid date/time.",
    "Select a valid choice.",
    "Enter a list of values.",
    "No file was submitted. Check the encoding type on the form.",
}
EXTRA_KWARGS = {"TransitionForm": {"allowed": frozenset(DeviceStatus)}, "BookingForm": {"days": []}}


def every_form():
    return list(_forms())


def _forms():
    seen = set()
    for module in MODULES:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and cls not in seen:
                if not getattr(cls, "base_fields", None) or (issubclass(cls, forms.ModelForm) and not cls._meta.model):
                    continue
                seen.add(cls)
                yield pytest.param(cls, id=f"{module.__name__}.{cls.__name__}")


@pytest.mark.parametrize("form_class", every_form())
@pytest.mark.django_db
def test_empty_form_names_every_field(form_class):
    form = form_class(data={"honeypot_check": ""}, files={}, **EXTRA_KWARGS.get(form_class.__name__, {}))
    form.is_valid()
    for name, errors in form.errors.items():
        for message in errors:
            assert message not in ANONYMOUS, f"{form_class.__name__}.{name}: {message}"
            if name != "__all__":
                assert message[0].isupper() and not message.endswith("."), message


@pytest.mark.parametrize("form_class", every_form())
def test_forms_inherit_the_govuk_base(form_class):
    assert issubclass(form_class, GovukForm | forms.ModelForm)
    if issubclass(form_class, forms.ModelForm):
        assert hasattr(form_class, "error_overrides")


@pytest.mark.django_db
def test_device_form_messages_name_their_fields():
    form = DeviceForm(data={"ram_gb": "lots", "updates_until": "31/02/2027"})
    assert not form.is_valid()
    assert form.errors["kind"] == ["Select the device type"]
    assert form.errors["make"] == ["Enter the make"]
    assert form.errors["model"] == ["Enter the model"]
    assert form.errors["ram_gb"] == ["The RAM must be a whole number"]
    assert form.errors["updates_until"] == ["The security updates date must be a real date, like 12/10/2027"]


@pytest.mark.django_db
def test_a_form_override_wins():
    class Sample(GovukForm):
        serial = forms.CharField(label="Serial number")
        count = forms.IntegerField(label="How many", min_value=1)
        error_overrides = {"serial": {"required": "Enter the serial number or IMEI"}}

    form = Sample(data={"count": "0"})
    assert not form.is_valid()
    assert form.errors == {"serial": ["Enter the serial number or IMEI"], "count": ["How many must be 1 or more"]}


def test_field_nouns():
    assert field_noun("RAM (GB)") == "the RAM"
    assert field_noun("Serial number") == "the serial number"
    assert field_noun("How many people?") == "how many people"


@pytest.mark.django_db
def test_wipe_and_upload_forms_read_as_sentences():
    from reuse.forms.intake import UploadForm
    from reuse.forms.sanitisation import MediumAddForm, SanitisationRecordForm

    wipe = SanitisationRecordForm(data={})
    wipe.is_valid()
    assert wipe.errors["category"] == ["Select the NIST SP 800-88 category"]
    assert wipe.errors["started_at"] == ["Enter when the wipe started"]
    assert wipe.errors["rounds"] == ["Enter the number of rounds"]
    drive = MediumAddForm(data={})
    drive.is_valid()
    assert drive.errors["kind"] == ["Select the drive type"]
    upload = UploadForm(data={}, files={})
    upload.is_valid()
    assert upload.errors["site"] == ["Select where the devices are now"]

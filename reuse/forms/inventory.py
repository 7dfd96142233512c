"""The inventory's bulk move: validation only; `reuse.services.inventory.devices_move` decides."""

from core.forms import GovukForm, IdsField
from reuse.forms.intake import SiteChoiceField
from reuse.models import Device, Site


class BulkMoveForm(GovukForm):
    device = IdsField(queryset=Device.objects.all(), error_messages={"required": "Select the devices to move"})
    site = SiteChoiceField(
        queryset=Site.objects.active().order_by("name"),
        label="Move to",
        empty_label="Choose a site",
        error_messages={"required": "Choose the site to move them to"},
    )

"""What a new installation starts with: version 1 of the loan terms and a default loan policy.

Created after every migrate (lending.receivers.ensure_defaults) rather than by a data migration, so a
test database flushed between tests, or a fresh install, always has terms to sign and a policy to apply.
"""

DEFAULT_TITLE = "Device loan agreement"

DEFAULT_TERMS = """\
This device belongs to the council. We are lending it to you free of charge so you can get online.

Please bring it back, with everything we lent you with it, by the due date. You can renew the loan at \
any library desk or by phone, unless someone else is waiting for a device.

Look after it: keep it dry, keep it in its case if it has one, and do not try to repair it yourself. \
If it stops working, bring it back and we will swap or fix it.

Tell us as soon as you can if it is lost or stolen. You will not be charged for accidental loss or damage.

Do not use it for anything illegal. Do not lend it to anyone outside your household.

When you bring it back we will wipe everything on it, so save anything you want to keep somewhere \
else first. We do not look at what is on it.

We keep your name, contact details and postcode to run this loan and tell you when it is due. We \
delete them when you no longer borrow from us. Ask at the desk to see what we hold about you."""


def create_defaults(agreement_model, policy_model) -> None:
    if not agreement_model.objects.exists():
        agreement_model.objects.create(title=DEFAULT_TITLE, body=DEFAULT_TERMS)
    if not policy_model.objects.filter(device_kind="", site__isnull=True).exists():
        policy_model.objects.create(device_kind="", site=None, loan_days=28, renewals_allowed=2, max_devices=1)

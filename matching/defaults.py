"""What a new installation starts with: three priority tiers and version 1 of the gift and loan terms.

Created after every migrate (`matching.receivers.ensure_defaults`) when there are none, so a fresh install
or a test database flushed between tests always has tiers to approve at and terms to sign.
"""

TIERS = [
    (
        1,
        "Urgent",
        "People with no other way online and an urgent need: care leavers setting up home, people leaving "
        "hospital or fleeing abuse, families with children learning from home without a device.",
    ),
    (2, "Standard", "Digitally excluded people the group supports week by week, with a clear use for the device."),
    (3, "When stock allows", "Useful but not pressing: spare devices for a drop-in, a second device in a household."),
]

GIFT_TITLE = "Gift of refurbished devices"
GIFT_TERMS = """\
The council gives these refurbished devices to the organisation named above, free of charge. From today \
they belong to the organisation, which gives them on to the people it supports.

Every device has been wiped to a recognised standard (NIST SP 800-88) and checked by a second person. \
Nothing of the council's or anyone else's is left on it.

The organisation will give the devices only to people it supports, free of charge, and will not sell them.

When a device is no longer needed, the organisation will bring it back to any library so it can be wiped \
and used again, or recycle it responsibly. It will not put a device in the bin.

The devices come as they are. The council is not responsible for what they are used for, and will not \
repair them, but will take back any that stop working.

We keep the name and contact details of the person who asked for and signed for the devices to run this \
gift and ask how it went. We delete them when the retention period ends."""

LOAN_TITLE = "Long-term loan of devices to an organisation"
LOAN_TERMS = """\
The council lends these refurbished devices to the organisation named above, free of charge, for as long \
as the organisation needs them. They remain the council's property.

Every device has been wiped to a recognised standard (NIST SP 800-88) and checked by a second person.

The organisation will lend the devices only to people it supports, free of charge, look after them, and \
tell us straight away if one is lost or stolen.

The organisation will bring the devices back to any library when it no longer needs them, or when we \
ask. We will wipe them again before anyone else uses them.

We keep the name and contact details of the person who asked for and signed for the devices to run this \
loan and ask how it went. We delete them when the retention period ends."""


def create_defaults(tier_model, terms_model) -> None:
    if not tier_model.objects.exists():
        tier_model.objects.bulk_create([tier_model(number=n, name=name, meaning=m) for n, name, m in TIERS])
    for kind, title, body in (("gift", GIFT_TITLE, GIFT_TERMS), ("loan", LOAN_TITLE, LOAN_TERMS)):
        if not terms_model.objects.filter(kind=kind).exists():
            terms_model.objects.create(kind=kind, title=title, body=body)

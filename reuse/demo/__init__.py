"""reuse's demo data, for `seed_demo` (core): sites and staff, devices across the lifecycle, their
sanitisation (disposal batches, wipes awaiting sign-off, certificates) and label printers.

Later apps' demos build on what this leaves in `context`: the sites, the users and the random generator.
"""

from reuse.demo import devices, labels, sanitisation
from reuse.demo.devices import DEMO_PASSWORD, STAFF
from reuse.models import Device

__all__ = ["DEMO_PASSWORD", "STAFF", "loaded", "report", "seed"]


def seed(*, options: dict, stdout, context: dict) -> None:
    context.update(devices.seed_sites_and_staff(stdout))
    stdout.write(f"Sites and staff ready; writing {options['devices']} devices")
    devices.seed_devices(
        options["devices"], sites=context["sites"], users=context["users"], rng=context["rng"], stdout=stdout
    )
    sanitisation.seed(options=options, stdout=stdout, context=context)
    labels.seed(sites=context["sites"], users=context["users"], stdout=stdout)


def loaded() -> bool:
    return Device.objects.exists()


def report(stdout, *, style) -> None:
    """The demo logins, printed once everything is loaded."""
    stdout.write(style.SUCCESS(f"Demo data loaded. Sign in with any of these (password {DEMO_PASSWORD}):"))
    for username, _first, _last, role, sites in STAFF:
        where = f" at {', '.join(sites)}" if sites else ""
        stdout.write(f"  {username:<8} {role}{where}")

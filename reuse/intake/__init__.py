"""CSV intake: reading Relay's own template and Snipe-IT asset exports into a checked import plan.

Nothing in this package writes to the database; `reuse.services.intake.devices_import` does, from a plan
that has no errors.
"""

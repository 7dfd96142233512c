from django.dispatch import Signal

# Sent after the transaction that changed a device commits: on every status change, and on a move
# between sites. Arguments: device_id, from_status, to_status, site_id. Lending listens for devices
# becoming ready at a branch (to fill holds) without reuse importing lending.
device_changed = Signal()

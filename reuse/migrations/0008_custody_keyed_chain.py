"""The custody log proves itself: events chained by HMAC under AUDIT_KEY (kept outside the database), the
history so far re-chained once under that key (recorded in CustodyRechain, with any chain that did not
verify before), daily digests of the chains' heads, and triggers that refuse UPDATE and DELETE."""

from django.db import migrations, models

from core.appendonly import create_triggers_sql, drop_triggers_sql
from reuse.chain import event_payload, keyed_hash, plain_hash

APPEND_ONLY_TABLES = ("reuse_custodyevent", "reuse_auditdigest", "reuse_custodyrechain")
DEVICES_A_BATCH = 2000


def _text(event, prev_hash, key_id):
    return event_payload(
        device_id=event.device_id,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        site_id=event.site_id,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        prev_hash=prev_hash,
        key_id=key_id,
    )


def rechain(apps, schema_editor):
    """Check each plain SHA-256 chain, then chain it again under the audit key, in batches of devices."""
    from django.conf import settings

    Device = apps.get_model("reuse", "Device")
    CustodyEvent = apps.get_model("reuse", "CustodyEvent")
    CustodyRechain = apps.get_model("reuse", "CustodyRechain")
    key_id = settings.AUDIT_KEY_ID
    key = settings.AUDIT_KEYS[key_id]
    device_ids = list(Device.objects.order_by("pk").values_list("pk", flat=True))
    broken, events = [], 0
    for start in range(0, len(device_ids), DEVICES_A_BATCH):
        batch = device_ids[start : start + DEVICES_A_BATCH]
        rows = list(CustodyEvent.objects.filter(device_id__in=batch).order_by("device_id", "seq"))
        current, old_prev, new_prev, expected, ok = None, "", "", 1, True
        for event in rows:
            if event.device_id != current:
                if current is not None and not ok:
                    broken.append(current)
                current, old_prev, new_prev, expected, ok = event.device_id, "", "", 1, True
            if event.seq != expected or event.prev_hash != old_prev:
                ok = False
            if plain_hash(_text(event, event.prev_hash, None)) != event.hash:
                ok = False
            old_prev, expected = event.hash, event.seq + 1
            event.prev_hash, event.key_id = new_prev, key_id
            event.hash = new_prev = keyed_hash(key, _text(event, new_prev, key_id))
        if current is not None and not ok:
            broken.append(current)
        CustodyEvent.objects.bulk_update(rows, ["prev_hash", "hash", "key_id"], batch_size=1000)
        events += len(rows)
    tags = dict(Device.objects.filter(pk__in=broken).values_list("pk", "asset_tag"))
    CustodyRechain.objects.create(
        key_id=key_id, events=events, devices=len(device_ids), broken_before=sorted(tags.values())
    )


def create_triggers(apps, schema_editor):
    for table in APPEND_ONLY_TABLES:
        for sql in create_triggers_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)  # no parameters: the trigger body holds a literal %


def drop_triggers(apps, schema_editor):
    for table in APPEND_ONLY_TABLES:
        for sql in drop_triggers_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)  # no parameters: the trigger body holds a literal %


class Migration(migrations.Migration):

    dependencies = [
        ('reuse', '0007_intake_stored_plan'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True)),
                ('made_at', models.DateTimeField(auto_now_add=True)),
                ('last_event_id', models.PositiveBigIntegerField(help_text='Events written up to this one are covered.')),
                ('chains', models.PositiveIntegerField(help_text='Chains that grew since the digest before (one head each).')),
                ('events', models.PositiveIntegerField(help_text='Custody events in the whole log when it was made.')),
                ('heads', models.TextField(help_text='One line per chain: asset tag, seq, hash.')),
                ('sha256', models.CharField(help_text='SHA-256 of the heads, as published.', max_length=64)),
                ('signature', models.CharField(help_text='HMAC of the day and the heads under the audit key.', max_length=64)),
                ('key_id', models.CharField(max_length=16)),
            ],
            options={
                'ordering': ['-day'],
                'get_latest_by': 'day',
            },
        ),
        migrations.CreateModel(
            name='CustodyRechain',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('key_id', models.CharField(max_length=16)),
                ('events', models.PositiveIntegerField()),
                ('devices', models.PositiveIntegerField()),
                ('broken_before', models.JSONField(default=list, help_text='Asset tags whose plain chain did not verify.')),
            ],
            options={
                'ordering': ['at'],
            },
        ),
        migrations.AddField(
            model_name='custodyevent',
            name='key_id',
            field=models.CharField(default='', help_text='Which audit key chained this event (AUDIT_KEY_ID).', max_length=16),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

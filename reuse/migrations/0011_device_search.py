# The inventory search's indexes (reuse.models.search): pg_trgm GIN indexes on PostgreSQL, a trigram FTS5
# table kept by triggers on SQLite; and the composite indexes the inventory's pages walk, on both.

from django.db import migrations, models


def create(apps, schema_editor):
    from reuse.models.search import search_index_create

    search_index_create(schema_editor)


def drop(apps, schema_editor):
    from reuse.models.search import search_index_drop

    search_index_drop(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("reuse", "0010_label_code_paths"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="device", index=models.Index(fields=["status", "asset_tag"], name="device_status_tag")
        ),
        migrations.AddIndex(
            model_name="device",
            index=models.Index(fields=["status", "kind", "asset_tag"], name="device_status_kind_tag"),
        ),
        migrations.AddIndex(
            model_name="device", index=models.Index(fields=["status", "serial"], name="device_status_serial")
        ),
        migrations.RunPython(create, drop),
    ]

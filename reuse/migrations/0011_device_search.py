# The inventory search's indexes (reuse.models.search): pg_trgm GIN indexes on PostgreSQL, a trigram FTS5
# table kept by triggers on SQLite; and a composite index for the commonest filter, on both.

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
            model_name="device",
            index=models.Index(fields=["status", "kind", "ram_gb"], name="device_status_kind_ram"),
        ),
        migrations.RunPython(create, drop),
    ]

"""A mistaken return can be undone: a new kind of loan change, `return_undone`.

On SQLite, changing a check constraint rebuilds the table, which drops its append-only triggers: they are
dropped first and made again after, on every database, so the table is never left without them.
"""

from django.db import migrations, models

from core.appendonly import create_triggers_sql, drop_triggers_sql

TABLE = "lending_loanchange"
KINDS = ["renewed", "returned", "renewal_undone", "return_undone"]


def create_triggers(apps, schema_editor):
    for sql in create_triggers_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql, None)  # no parameters: the trigger body holds a literal %


def drop_triggers(apps, schema_editor):
    for sql in drop_triggers_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0005_desk_changes_and_borrower_key"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.RemoveConstraint(model_name="loanchange", name="loan_change_kind_valid"),
        migrations.AlterField(
            model_name="loanchange",
            name="kind",
            field=models.CharField(
                choices=[
                    ("renewed", "Renewed"),
                    ("returned", "Returned"),
                    ("renewal_undone", "Renewal undone"),
                    ("return_undone", "Return undone"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="loanchange",
            constraint=models.CheckConstraint(condition=models.Q(("kind__in", KINDS)), name="loan_change_kind_valid"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

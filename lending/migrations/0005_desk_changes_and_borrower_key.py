"""Borrowers get a random key for their pages' URLs (filled in for those already registered), and loans
an append-only record of what the desk did to them after issue (renewals, returns, corrections)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.appendonly import create_triggers_sql, drop_triggers_sql

APPEND_ONLY_TABLES = ["lending_loanchange"]


def fill_keys(apps, schema_editor):
    Borrower = apps.get_model("lending", "Borrower")
    for borrower in Borrower.objects.filter(key__isnull=True).only("pk"):
        Borrower.objects.filter(pk=borrower.pk).update(key=uuid.uuid4())


def create_triggers(apps, schema_editor):
    for table in APPEND_ONLY_TABLES:
        for sql in create_triggers_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)  # no parameters: the trigger body holds a literal %


def drop_triggers(apps, schema_editor):
    for table in APPEND_ONLY_TABLES:
        for sql in drop_triggers_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_retention"),
        ("reuse", "0008_custody_keyed_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="borrower", name="key", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="borrower",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.CreateModel(
            name="LoanChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("renewed", "Renewed"),
                            ("returned", "Returned"),
                            ("renewal_undone", "Renewal undone"),
                        ],
                        max_length=20,
                    ),
                ),
                ("token", models.UUIDField(editable=False, unique=True)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("due_before", models.DateField(blank=True, null=True)),
                ("due_after", models.DateField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, max_length=300)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "corrects",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="correction",
                        to="lending.loanchange",
                    ),
                ),
                (
                    "loan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="changes", to="lending.loan"
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reuse.site",
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="loanchange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["renewed", "returned", "renewal_undone"])
                ),
                name="loan_change_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanchange",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("corrects__isnull", True), ("kind__in", ["renewed", "returned"])),
                    models.Q(
                        models.Q(("kind__in", ["renewed", "returned"]), _negated=True), ("corrects__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="loan_change_correction_points_back",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

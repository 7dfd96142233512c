# Label QR codes are kept as PDF path operators now, not PNGs: the old rows are a cache, so they go.

from django.db import migrations, models


def forget_pngs(apps, schema_editor):
    apps.get_model("reuse", "LabelCode").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reuse", "0009_certificate_snapshot"),
    ]

    operations = [
        migrations.RunPython(forget_pngs, migrations.RunPython.noop),
        migrations.RemoveField(model_name="labelcode", name="png"),
        migrations.AddField(model_name="labelcode", name="path", field=models.BinaryField(default=b""), preserve_default=False),
    ]

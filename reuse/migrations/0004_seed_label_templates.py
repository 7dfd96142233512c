from django.db import migrations

from reuse.labels.seed import seed_label_templates


def forwards(apps, schema_editor):
    seed_label_templates(apps.get_model("reuse", "LabelTemplate"))


class Migration(migrations.Migration):
    dependencies = [("reuse", "0003_labels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

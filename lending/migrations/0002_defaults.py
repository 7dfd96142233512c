from django.db import migrations


def forwards(apps, schema_editor):
    from lending.defaults import create_defaults

    create_defaults(apps.get_model("lending", "AgreementVersion"), apps.get_model("lending", "LoanPolicy"))


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_lending")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

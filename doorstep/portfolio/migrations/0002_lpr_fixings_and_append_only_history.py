"""Seed the one-year LPR table from the code's list, and make bucket history append-only."""

from decimal import Decimal

from django.db import migrations

from doorstep.portfolio.core.caps import LPR_ONE_YEAR


def seed_lpr(apps, schema_editor):
    fixing = apps.get_model("portfolio", "LprFixing")
    for row in LPR_ONE_YEAR:
        # RateField stores parts per million; the historical model gets the raw integer.
        fixing.objects.get_or_create(effective_on=row.effective_on,
                                     defaults={"one_year_rate": Decimal(row.one_year_ppm) / 1_000_000})


def unseed_lpr(apps, schema_editor):
    apps.get_model("portfolio", "LprFixing").objects.filter(
        effective_on__in=[row.effective_on for row in LPR_ONE_YEAR]).delete()


def history_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION doorstep_refuse_history_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'bucket history is append-only'; END $$")
        schema_editor.execute(
            "CREATE TRIGGER buckethistory_append_only BEFORE UPDATE ON portfolio_buckethistory "
            "FOR EACH ROW EXECUTE FUNCTION doorstep_refuse_history_update()")
    else:
        schema_editor.execute(
            "CREATE TRIGGER buckethistory_append_only BEFORE UPDATE ON portfolio_buckethistory "
            "BEGIN SELECT RAISE(ABORT, 'bucket history is append-only'); END")


def drop_history_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS buckethistory_append_only ON portfolio_buckethistory")
        schema_editor.execute("DROP FUNCTION IF EXISTS doorstep_refuse_history_update()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS buckethistory_append_only")


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_portfolio_cases_imports")]

    operations = [
        migrations.RunPython(seed_lpr, unseed_lpr),
        migrations.RunPython(history_trigger, drop_history_trigger),
    ]

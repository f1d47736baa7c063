"""The four courses that ship with Doorstep (doorstep.training.content): created when missing,
never overwriting what a trainer has edited."""

from django.db import migrations


def install(apps, schema_editor):
    from doorstep.training.content import BUILTIN_COURSES
    from doorstep.training.services.courses import builtin_courses_install

    builtin_courses_install(BUILTIN_COURSES, models=(apps.get_model("training", "Course"),
                                                     apps.get_model("training", "Lesson"),
                                                     apps.get_model("training", "Question"),
                                                     apps.get_model("training", "Choice")))


def uninstall(apps, schema_editor):
    apps.get_model("training", "Course").objects.filter(builtin=True, attempts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_courses_quizzes_certificates_cases")]

    operations = [migrations.RunPython(install, uninstall)]

"""Every model has an admin; the console speaks Simplified Chinese by default and English on request."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from doorstep.accounts.models import Role
from tests.factories import UserFactory

DOORSTEP_APPS = ("accounts", "common", "portfolio", "training", "scoring")


def test_every_doorstep_model_is_in_the_admin() -> None:
    missing = [model._meta.label for label in DOORSTEP_APPS for model in apps.get_app_config(label).get_models()
               if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.django_db
def test_the_console_defaults_to_simplified_chinese_and_switches_to_english() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    chinese = client.get("/cases/")
    assert chinese.status_code == 200 and '<html lang="zh-hans">' in chinese.text and "案件" in chinese.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    english = client.get("/cases/")
    assert '<html lang="en">' in english.text and ">Cases<" in english.text and "案件" not in english.text


@pytest.mark.django_db
def test_the_login_page_needs_no_internet(client) -> None:
    """No CDN, web font or tile server: every script and stylesheet is served by the app itself."""
    page = client.get("/login/").text
    for marker in ("http://", "https://", "//cdn", "fonts.googleapis"):
        assert marker not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")

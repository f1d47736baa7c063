"""The field app's three pages: the shell (collectors only), its service worker and its manifest."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from doorstep.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(role: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(UserFactory(role=role))
    return client


def test_the_shell_needs_a_login() -> None:
    response = Client().get("/field/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/field/"


def test_a_collector_gets_the_shell_with_its_strings_settings_and_modules() -> None:
    response = client_for(Role.COLLECTOR).get("/field/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<meta name="viewport"' in page and 'rel="manifest" href="/field/manifest.webmanifest"' in page
    assert '<meta name="theme-color"' in page
    assert 'type="module" src="/static/field/app.js"' in page
    assert 'data-test="sos"' in page and 'data-test="pending-count"' in page
    assert "web/console.css" not in page  # standalone, not the console's base template
    start = page.index('<script id="field-config" type="application/json">') + len(
        '<script id="field-config" type="application/json">')
    config = json.loads(page[start:page.index("</script>", start)])
    assert config["urls"]["today"] == "/api/v1/field/today/" and config["urls"]["sync"] == "/api/v1/field/sync/"
    assert config["urls"]["plans"] == "/api/v1/field/plans/" and config["urls"]["serviceWorker"] == "/field/sw.js"
    assert [reason["code"] for reason in config["labels"]["reasons"]] == [
        "job_loss", "illness", "business_failure", "family_event", "dispute", "fraud_claim", "unwilling", "other"]
    assert config["labels"]["tension"][4]["prompts"][0].startswith("立即离开")  # Chinese UI, Chinese prompts
    assert "csrftoken" in response.cookies
    assert "private" in response["Cache-Control"]  # the user's own page; the service worker keeps the copy


def test_the_shell_follows_the_language() -> None:
    config_page = client_for(Role.COLLECTOR, "en").get("/field/").content.decode()
    assert 'lang="en"' in config_page and "Leave now: the visit ends." in config_page


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMPLIANCE, Role.ADMIN])
def test_other_roles_are_told_the_app_is_for_collectors(role: str) -> None:
    response = client_for(role, "en").get("/field/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-test="not-for-you"' in page and "field-config" not in page


def test_the_service_worker_is_javascript_allowed_a_wide_scope_and_never_cached() -> None:
    response = Client().get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/static/field/app.js"' in body and '"/static/field/outbox.js"' in body
    assert 'const SHELL = "/field/"' in body and 'const TODAY = "/api/v1/field/today/"' in body
    assert "{{" not in body and "{%" not in body


def test_the_service_worker_version_changes_with_the_files(monkeypatch) -> None:
    from doorstep.web import field_views

    first = field_views._asset_version()
    monkeypatch.setattr(field_views, "ASSETS", (*field_views.ASSETS[:-1], "web/console.css"))
    assert field_views._asset_version() != first


@pytest.mark.parametrize(("language", "name"), [("zh-hans", "Doorstep 外访"), ("en", "Doorstep field")])
def test_the_manifest_names_the_app_in_the_users_language(language: str, name: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/field/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == name
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/field/", "/", "standalone")
    assert manifest["theme_color"].startswith("#")
    assert manifest["icons"] == [{"src": "/static/field/icon.svg", "sizes": "any", "type": "image/svg+xml",
                                  "purpose": "any maskable"}]

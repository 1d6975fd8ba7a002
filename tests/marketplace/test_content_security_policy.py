"""The Content-Security-Policy header (django-csp): strict on every page, with the response's nonce on
the inline scripts and styles a page has; DRF's browsable API may style inline, never script inline.
The page walk (tests/e2e/test_accessibility.py, with tests/e2e/page_checks.py) checks that no page
breaks it."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_a_page_allows_only_its_own_scripts_and_styles(client):
    policy = _directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_inline_styles_carry_the_nonce_the_header_names(client):
    response = client.get("/accounts/login/")

    nonce = re.search(r"'nonce-([^']+)'", " ".join(_directives(response)["style-src"])).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert client.get("/accounts/login/")["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_no_page_template_has_an_inline_handler_or_style_attribute():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offending = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in templates.rglob("*.html")
        for match in re.finditer(r"\s(on[a-z]+|style)=\"", path.read_text())
    ]
    assert not offending


def test_the_browsable_api_may_style_inline_but_not_script(client):
    client.force_login(UserFactory())

    response = client.get("/api/v1/listings/", headers={"Accept": "text/html"})
    json_response = client.get("/api/v1/listings/")

    assert response["Content-Type"].startswith("text/html")
    assert _directives(response)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert _directives(response)["script-src"] == ["'self'"]
    assert "unsafe-inline" not in json_response["Content-Security-Policy"]

"""With DEBUG off, Reloop refuses the development secrets it ships (`settings.DEVELOPMENT_SECRETS`):
`manage.py check --deploy`, the WSGI application (gunicorn, runserver) and the Celery worker stop
with a line naming the variable, while the tools that serve nothing keep working. With secrets of its own and SECURE_SSL=1,
`check --deploy` has nothing to say. And what the public secrets would have allowed, a webhook signed
with them, is refused by a site that has its own.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from marketplace.checks import refuse_unsafe_defaults
from sandbox.payments import signed_headers
from shipping.carriers.sandbox import sandbox_emit
from shipping.models import CarrierEvent, ShipmentStatus
from tests.recycling.shipping_fixtures import booked_shipment

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = sorted(settings.DEVELOPMENT_SECRETS)


def _own_secret() -> str:
    return secrets.token_urlsafe(50)


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production process: the project's own settings module, DEBUG off,
    secrets of its own, unless `overrides` say otherwise."""
    test_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items() if name not in test_only}
    env.update({name: _own_secret() for name in SECRET_NAMES})
    env.update(DEBUG="0", VAR_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1", **overrides)
    return env


def _run(command: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_production_refuses_each_development_secret(name, settings):
    settings.DEBUG = False
    setattr(settings, name, settings.DEVELOPMENT_SECRETS[name])

    with pytest.raises(SystemCheckError) as checks:
        call_command("check", deploy=True)
    with pytest.raises(ImproperlyConfigured) as start:
        refuse_unsafe_defaults()

    line = f"{name} is the development value shipped with Reloop; with DEBUG off, set {name}"
    assert f"(marketplace.E001) {line}" in str(checks.value)
    assert str(start.value) == f"Refusing to start: {line} to a secret of your own."


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_production_refuses_an_empty_secret(name, settings):
    settings.DEBUG = False
    setattr(settings, name, "")

    with pytest.raises(ImproperlyConfigured, match=f"{name} is empty"):
        refuse_unsafe_defaults()


def test_development_keeps_its_secrets(settings):
    settings.DEBUG = True
    for name, value in settings.DEVELOPMENT_SECRETS.items():
        setattr(settings, name, value)

    refuse_unsafe_defaults()  # make run: nothing to set
    call_command("check")


def test_production_accepts_secrets_of_its_own(settings):
    settings.DEBUG = False
    for name in SECRET_NAMES:
        setattr(settings, name, _own_secret())

    refuse_unsafe_defaults()


def test_check_deploy_has_nothing_to_say_about_an_https_site_with_its_own_secrets(tmp_path):
    env = _production_env(tmp_path, SECURE_SSL="1", BEHIND_PROXY="1", ALLOWED_HOSTS="reloop.example")

    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_names_the_development_secret_left_in_place(tmp_path):
    env = _production_env(tmp_path, SECURE_SSL="1")
    del env["CARRIER_WEBHOOK_SECRET"]  # not set: the development default

    result = _run([sys.executable, "manage.py", "check", "--deploy"], env)

    assert result.returncode == 1
    assert "CARRIER_WEBHOOK_SECRET is the development value shipped with Reloop" in result.stderr
    assert "SECRET_KEY" not in result.stderr


def test_gunicorn_refuses_to_start_naming_the_variable(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]

    result = _run([sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", "127.0.0.1:0"], env)

    assert result.returncode != 0
    assert "Refusing to start: SECRET_KEY is the development value shipped with Reloop" in result.stderr
    assert "Worker failed to boot" in result.stderr


def test_runserver_refuses_to_serve_naming_the_variable(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]

    result = _run([sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:0"], env)

    assert result.returncode != 0
    assert "Refusing to start: SECRET_KEY is the development value shipped with Reloop" in result.stderr


def test_the_tools_that_serve_nothing_work_on_a_fresh_clone(tmp_path):
    # A fresh clone: DEBUG off and the development secrets, as nothing is set.
    env = _production_env(tmp_path)
    for name in SECRET_NAMES:
        del env[name]

    result = _run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], env)

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_celery_worker_refuses_to_start_naming_the_variable(tmp_path):
    env = _production_env(tmp_path)
    env.pop("REDIS_URL", None)  # the filesystem broker under VAR_DIR: nothing outside the test
    env["PAYMENT_WEBHOOK_SECRET"] = settings.DEVELOPMENT_SECRETS["PAYMENT_WEBHOOK_SECRET"]
    command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "solo"]

    result = _run([*command, "--without-gossip", "--without-mingle", "--without-heartbeat"], env)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Refusing to start: PAYMENT_WEBHOOK_SECRET is the development value shipped with Reloop; "
        "with DEBUG off, set PAYMENT_WEBHOOK_SECRET to a secret of your own."
    ]


@pytest.mark.django_db
def test_a_carrier_event_forged_with_the_public_secret_is_refused(client):
    shipment = booked_shipment()
    public = settings.DEVELOPMENT_SECRETS["CARRIER_WEBHOOK_SECRET"]
    assert public != settings.CARRIER_WEBHOOK_SECRET  # the site has a secret of its own

    forged = sandbox_emit(shipment.tracking_number, "delivered", secret=public)
    response = client.post(
        "/api/v1/carrier/webhook/", data=forged.body, content_type="application/json", headers=forged.headers
    )

    assert response.status_code == 403
    assert not CarrierEvent.objects.exists()
    shipment.refresh_from_db()
    assert shipment.status != ShipmentStatus.DELIVERED


@pytest.mark.django_db
def test_a_payment_webhook_signed_with_the_public_secret_is_refused(client):
    body = b'{"id": "evt_forged", "type": "payment.succeeded", "data": {"payment": "pay_x"}}'
    headers = signed_headers(body, secret=settings.DEVELOPMENT_SECRETS["PAYMENT_WEBHOOK_SECRET"])

    response = client.post(
        "/api/v1/payments/webhook/", data=body, content_type="application/json", headers=headers
    )

    assert response.status_code == 403
    assert response.json()["code"] == "webhook_rejected"

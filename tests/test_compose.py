"""docker-compose.yml and the Dockerfile can't be run here (no Docker engine), so check their shape and
that every command they run refers to something that exists in this repository."""

import importlib
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app

ROOT = Path(__file__).resolve().parent.parent
WORKERS = ("worker-media", "worker-money", "worker-notify")
APP_SERVICES = ("web", *WORKERS, "beat", "media")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _command(service: dict) -> list[str]:
    command = service["command"]
    words = shlex.split(command) if isinstance(command, str) else list(command)
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].replace("&&", " && "))
    return words


def test_has_the_database_redis_web_a_worker_per_queue_beat_and_the_media_server(services):
    assert set(services) == {"db", "redis", *APP_SERVICES}


def test_database_is_postgres_16_with_a_healthcheck(services):
    db = services["db"]
    assert db["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]


def test_web_worker_and_beat_share_one_image_built_from_the_dockerfile(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = {services[name]["build"] for name in APP_SERVICES}
    assert len(images) == 1
    assert builds == {"."}
    assert (ROOT / "Dockerfile").is_file()


def test_dockerfile_installs_the_lock_file_collects_static_and_drops_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "COPY requirements.lock" in dockerfile
    assert "pip install --no-deps --require-hashes -r requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    user = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert user and user[-1] not in {"root", "0"}
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)


def test_app_services_wait_for_healthy_dependencies(services):
    web_needs = services["web"]["depends_on"]
    assert web_needs == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    # The workers and beat start once web has migrated the database and answers /healthz.
    for name in (*WORKERS, "beat"):
        needs = services[name]["depends_on"]
        assert needs["web"] == {"condition": "service_healthy"}
        assert needs["redis"] == {"condition": "service_healthy"}
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_environment_points_at_the_compose_services(services):
    db_env = services["db"]["environment"]
    settings_source = (ROOT / "marketplace" / "settings.py").read_text()
    for name in APP_SERVICES:
        env = services[name]["environment"]
        database = urlsplit(env["DATABASE_URL"])
        assert database.scheme == "postgres"
        assert database.hostname == "db"
        assert database.username == db_env["POSTGRES_USER"]
        assert database.password == db_env["POSTGRES_PASSWORD"]
        assert database.path == "/" + db_env["POSTGRES_DB"]
        assert urlsplit(env["REDIS_URL"]).hostname == "redis"
        # Every variable set here is one the settings actually read.
        for variable in env:
            assert f'"{variable}"' in settings_source, variable
        # Web makes uploads, the worker makes their thumbnails: they must see the same folder.
        assert "uploads:/data" in services[name]["volumes"]
        assert env["MEDIA_ROOT"].startswith("/data/")
        assert env["PRIVATE_MEDIA_ROOT"].startswith("/data/")


def test_web_runs_migrations_then_daphne_on_the_asgi_application(services):
    words = _command(services["web"])
    assert words[:4] == ["python", "manage.py", "migrate", "--noinput"]
    assert (ROOT / "manage.py").is_file()
    daphne = words[words.index("daphne") :]
    module, _, attribute = daphne[-1].partition(":")
    assert callable(getattr(importlib.import_module(module), attribute))
    assert daphne[daphne.index("--port") + 1] == "8000"
    assert "8000:8000" in services["web"]["ports"]


@pytest.mark.parametrize("name", [*WORKERS, "beat"])
def test_workers_and_beat_run_the_project_celery_app(services, name):
    words = _command(services[name])
    assert words[0] == "celery"
    app_name = words[words.index("-A") + 1]
    # Resolve the -A argument exactly as the celery command does.
    app = find_app(app_name)
    assert isinstance(app, Celery)
    assert words[words.index("-A") + 2] == name.partition("-")[0]
    if name == "beat":
        assert "marketplace.tasks.worker_heartbeat" in {
            entry["task"] for entry in app.conf.beat_schedule.values()
        }


def _option(words: list[str], name: str) -> str:
    return words[words.index(name) + 1]


def test_each_queue_has_a_worker_of_its_own(services):
    """A worker per kind of work, so that a flood of photos never delays a payout; together they
    consume every queue the settings declare, each exactly once, under names of their own."""
    from django.conf import settings

    commands = {name: _command(services[name]) for name in WORKERS}
    consumed = {name: _option(words, "--queues").split(",") for name, words in commands.items()}

    assert consumed == {
        "worker-media": ["media"],
        "worker-money": ["money"],
        "worker-notify": ["notify", "celery"],
    }
    declared = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    assert sorted(queue for queues in consumed.values() for queue in queues) == sorted(declared)
    assert len({_option(words, "--hostname") for words in commands.values()}) == len(WORKERS)


def test_secrets_must_be_set_rather_than_defaulted(services):
    """Compose runs with DEBUG off, where the site refuses the development secrets: it asks for each
    one (`${NAME:?…}`) instead of starting with a made-up default."""
    from django.conf import settings

    for name in APP_SERVICES:
        env = services[name]["environment"]
        for secret in settings.DEVELOPMENT_SECRETS:
            assert env[secret].startswith("${" + secret + ":?"), (name, secret)


def test_the_media_service_runs_nginx_rtmp_for_the_web_service(services):
    """Live video: the media service is the project's own command (which writes nginx-rtmp's
    configuration and becomes nginx), calls the web service by name, and publishes RTMP and HLS."""
    from django.core.management import get_commands

    media = services["media"]
    words = _command(media)
    assert words[:3] == ["python", "manage.py", "media_server"]
    assert get_commands()["media_server"] == "live"
    assert urlsplit(_option(words, "--hook-url")).hostname == "web"
    assert "web" in media["environment"]["ALLOWED_HOSTS"]
    assert {"1935:1935", "8080:8080"} <= set(media["ports"])
    assert media["depends_on"]["web"] == {"condition": "service_healthy"}
    assert "libnginx-mod-rtmp" in (ROOT / "Dockerfile").read_text()
    assert urlsplit(media["environment"]["LIVE_PLAYBACK_URL"].replace("{stream}", "x")).port == 8080

"""The Makefile's targets and the launcher behind `make run` / `make stack`, checked without running
them (a dry run of make, and the launcher's process table)."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_launcher():
    spec = importlib.util.spec_from_file_location("launch", ROOT / "scripts" / "launch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


launch = _load_launcher()


def _dry_run(*args: str) -> str:
    # The install stamps are treated as up to date (-o) so that the dry run shows only the target itself.
    stamps = [".venv/.installed-requirements-dev", "node_modules/.package-lock.json"]
    # `make test` runs these tests: keep the outer make's flags and variables (ARGS) out of the dry run.
    env = {
        name: value for name, value in os.environ.items() if name not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *(f"-o{stamp}" for stamp in stamps), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def test_test_runs_ruff_and_mypy_then_pytest_on_two_processes_with_extra_arguments():
    lines = _dry_run("test", "ARGS=-x tests/accounts").splitlines()
    assert lines == [
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/lint-imports --no-cache",
        ".venv/bin/mypy",
        ".venv/bin/pytest --numprocesses=2 -x tests/accounts",
    ]
    assert _dry_run("test", "TEST_WORKERS=0").splitlines()[-1] == ".venv/bin/pytest --numprocesses=0 "


@pytest.mark.parametrize("target", ["run", "stack"])
def test_run_and_stack_use_the_launcher(target):
    assert _dry_run(target).strip() == f".venv/bin/python scripts/launch.py {target}"


def test_the_other_targets_exist():
    for target in ("fmt", "lock", "messages", "bench", "help"):
        assert _dry_run(target)
    assert "makemessages -l zh_Hans" in _dry_run("messages")
    assert "bench/browse.py" in _dry_run("bench")


def test_install_happens_only_from_the_hashed_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert "$(INSTALLED): requirements-dev.lock" in makefile


def test_run_starts_runserver_worker_and_beat_on_the_embedded_defaults(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    env = launch.environment("run")
    commands = launch.processes("run", "127.0.0.1", 8000)

    assert env["DEBUG"] == "1"
    assert "DATABASE_URL" not in env
    assert "REDIS_URL" not in env
    assert set(commands) == {"web", "worker", "beat"}
    assert commands["web"][-2:] == ["runserver", "127.0.0.1:8000"]
    assert commands["worker"][1:6] == ["-m", "celery", "-A", "marketplace", "worker"]
    assert commands["beat"][1:6] == ["-m", "celery", "-A", "marketplace", "beat"]
    # One worker takes every queue.
    assert _option(commands["worker"], "--queues") == "media,money,notify,celery"


def test_stack_runs_daphne_on_the_asgi_application_on_postgres_and_redis(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SERVE_MEDIA"):
        monkeypatch.delenv(name, raising=False)
    env = launch.environment("stack")
    web = launch.processes("stack", "127.0.0.1", 8000)["web"]

    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert env["DEBUG"] == "0"
    assert env["SERVE_MEDIA"] == "1"
    assert web[1:3] == ["-m", "daphne"]
    assert web[-1] == "marketplace.asgi:application"
    assert web[web.index("--port") + 1] == "8000"


def test_stack_runs_a_worker_per_queue_with_its_own_processes_and_name():
    from django.conf import settings

    commands = launch.processes("stack", "127.0.0.1", 8000)
    workers = {name: command for name, command in commands.items() if "worker" in command}

    # and nginx-rtmp, the media server of live shows, where it is installed (tests/live/test_media_server.py)
    rtmp = {"rtmp"} if launch.media_server_installed() else set()
    assert set(commands) == {"web", "media", "money", "notify", "beat", *rtmp}
    assert {name: _option(command, "--queues") for name, command in workers.items()} == {
        "media": "media",
        "money": "money",
        "notify": "notify,celery",
    }
    # Photo work is CPU-bound and comes in bursts: it gets the most processes.
    concurrency = {name: int(_option(command, "--concurrency")) for name, command in workers.items()}
    assert concurrency["media"] > concurrency["money"]
    assert len({_option(command, "--hostname") for command in workers.values()}) == 3
    # Between them, and in `run`'s single worker, every queue the settings declare.
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert set(launch.QUEUES) == declared
    assert {
        queue for command in workers.values() for queue in _option(command, "--queues").split(",")
    } == declared


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_make_test_installs_the_accessibility_tools_from_the_npm_lock_file():
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-Bn",
            "node_modules/.package-lock.json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "npm ci --no-audit --no-fund --loglevel=error" in result.stdout


def test_stack_runs_as_a_demo_with_random_secrets_for_the_run_unless_they_are_set(monkeypatch, capsys):
    from django.conf import settings

    for name in launch.SECRETS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(launch, "_set_in_dotenv", set)
    first, second = launch.environment("stack"), launch.environment("stack")
    monkeypatch.setenv("SECRET_KEY", "the-operators-own-secret-key-" + "x" * 30)
    kept = launch.environment("stack")

    assert set(launch.SECRETS) == set(settings.DEVELOPMENT_SECRETS)
    for name, development_value in settings.DEVELOPMENT_SECRETS.items():
        assert first[name] != development_value
        assert len(first[name]) >= 50  # as long as Django's deploy check asks of SECRET_KEY
        assert first[name] != second[name]
    assert first["DEMO"] == "1"
    assert kept["SECRET_KEY"] == "the-operators-own-secret-key-" + "x" * 30
    assert "SECRET_KEY, CARRIER_WEBHOOK_SECRET, PAYMENT_WEBHOOK_SECRET not set: using random ones" in (
        capsys.readouterr().out
    )


def test_stack_keeps_the_secrets_a_dotenv_file_sets(monkeypatch, tmp_path):
    for name in launch.SECRETS:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("# mine\nSECRET_KEY=kept-in-dotenv\nexport PAYMENT_WEBHOOK_SECRET=also\n")
    monkeypatch.setattr(launch, "ROOT", tmp_path)

    env = launch.environment("stack")

    assert "SECRET_KEY" not in env  # the settings read it from .env
    assert "PAYMENT_WEBHOOK_SECRET" not in env
    assert env["CARRIER_WEBHOOK_SECRET"]


def test_run_needs_no_secrets(monkeypatch):
    for name in (*launch.SECRETS, "DEBUG", "DEMO"):
        monkeypatch.delenv(name, raising=False)

    env = launch.environment("run")

    assert env["DEBUG"] == "1"
    assert not set(launch.SECRETS) & set(env)
    assert "DEMO" not in env


def _site_settings(env: dict[str, str]) -> list[str]:
    """SITE_URL and the sandbox's webhook URL as a process started with `env` reads them."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.SITE_URL, settings.PAYMENT_SANDBOX_WEBHOOK_URL]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "marketplace.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_links_follow_the_port_the_launcher_serves_on_unless_site_url_is_set(monkeypatch):
    for name in ("SITE_URL", "PAYMENT_SANDBOX_WEBHOOK_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    env = launch.with_port(launch.environment("run"), 8123)

    assert _site_settings(env) == [
        "http://127.0.0.1:8123",
        "http://127.0.0.1:8123/api/v1/payments/webhook/",
    ]
    assert _site_settings({**env, "SITE_URL": "https://reloop.example"}) == [
        "https://reloop.example",
        "https://reloop.example/api/v1/payments/webhook/",
    ]

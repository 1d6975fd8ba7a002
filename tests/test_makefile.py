"""The Makefile's targets and the launcher behind `make run` / `make stack`, checked without running
them (a dry run of make, and the launcher's process table)."""

import importlib.util
import os
import shutil
import subprocess
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


def test_test_runs_ruff_and_mypy_then_pytest_with_extra_arguments():
    lines = _dry_run("test", "ARGS=-x tests/accounts").splitlines()
    assert lines == [
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/lint-imports --no-cache",
        ".venv/bin/mypy",
        ".venv/bin/pytest -x tests/accounts",
    ]


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


def test_stack_runs_gunicorn_with_two_workers_on_postgres_and_redis(monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SERVE_MEDIA"):
        monkeypatch.delenv(name, raising=False)
    env = launch.environment("stack")
    web = launch.processes("stack", "127.0.0.1", 8000)["web"]

    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert env["DEBUG"] == "0"
    assert env["SERVE_MEDIA"] == "1"
    assert web[1:4] == ["-m", "gunicorn", "marketplace.wsgi"]
    assert web[web.index("--workers") + 1] == "2"


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

"""The ASGI server keeps no database connection open between requests (each request runs in a thread
of its own, so a kept connection would never be reused); the worker, which does not load the ASGI
module, keeps them for DB_CONN_MAX_AGE seconds."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"


def _conn_max_age(code: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://reloop@127.0.0.1:5432/reloop",  # no connection is made
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
    }
    env.pop("DB_CONN_MAX_AGE", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_asgi_server_opens_a_connection_per_request():
    assert _conn_max_age(f"import marketplace.asgi; {READ}") == "0"


def test_the_worker_keeps_its_connections():
    assert _conn_max_age(f"import django; django.setup(); {READ}") == "60"

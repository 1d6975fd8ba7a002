"""The settings the test suite runs with (pyproject.toml points pytest-django here): the project's
own, with secrets of the suite's own instead of the shipped development values, and the demo seeder
allowed.

pytest-django runs the site with DEBUG off, as production runs it, so the processes that tests start
(the integration tests' Celery worker, `manage.py migrate` on another database) would refuse the
development secrets (`marketplace/checks.py`). Each secret is also put in the environment, which
those processes inherit, so that they and this process share it: a webhook signed on one side
verifies on the other.
"""

import os

from tests.workers import own_redis_url

# Each test process has a Redis database of its own (tests.workers). The processes the tests start
# (a Celery worker, a management command) load these settings too and inherit the environment: the
# marker, the test process that moved it, keeps them from moving it a second time.
_process = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("REDIS_URL") and os.environ.get("RELOOP_TEST_REDIS_MOVED_BY") != _process:
    os.environ["REDIS_URL"] = own_redis_url(os.environ["REDIS_URL"])
    os.environ["RELOOP_TEST_REDIS_MOVED_BY"] = _process

from marketplace.settings import *  # noqa: E402, F403
from marketplace.settings import DEVELOPMENT_SECRETS  # noqa: E402

for _name in DEVELOPMENT_SECRETS:
    globals()[_name] = os.environ.setdefault(_name, f"reloop-test-suite-{_name.lower()}-not-for-production")

# The browser and demo tests seed the demo data, which seed_demo refuses with DEBUG off unless asked.
DEMO = True

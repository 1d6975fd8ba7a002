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

from marketplace.settings import *  # noqa: F403
from marketplace.settings import DEVELOPMENT_SECRETS

for _name in DEVELOPMENT_SECRETS:
    globals()[_name] = os.environ.setdefault(_name, f"reloop-test-suite-{_name.lower()}-not-for-production")

# The browser and demo tests seed the demo data, which seed_demo refuses with DEBUG off unless asked.
DEMO = True

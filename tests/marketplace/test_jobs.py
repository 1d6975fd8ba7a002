"""Jobs start after commit, and a broker that does not answer never undoes or fails what committed."""

import logging
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from accounts.models import User
from marketplace.jobs import enqueue, enqueue_on_commit
from marketplace.tasks import HEARTBEAT_KEY, worker_heartbeat
from tests.factories import UserFactory
from tests.outages import broker_down

pytestmark = pytest.mark.django_db


def test_a_job_queued_in_a_transaction_runs_once_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(worker_heartbeat)
        assert cache.get(HEARTBEAT_KEY) is None  # not before the commit

    assert cache.get(HEARTBEAT_KEY) is not None


def test_with_the_broker_down_the_commit_stands_and_the_lost_job_is_logged(
    django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="marketplace.jobs")

    with broker_down(), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        UserFactory(username="kept")
        enqueue_on_commit(worker_heartbeat)

    assert User.objects.filter(username="kept").exists()
    assert cache.get(HEARTBEAT_KEY) is None
    assert "Could not queue marketplace.tasks.worker_heartbeat" in caplog.text


def test_enqueue_says_whether_the_broker_took_the_job():
    with broker_down():
        assert enqueue(worker_heartbeat) is False
    assert enqueue(worker_heartbeat) is True


def test_every_job_is_sent_through_the_helper():
    """A `.delay()` in a use case would fail the request when the broker is down; jobs go through
    marketplace.jobs, which each sweep in docs/architecture.md backs up."""
    from django.apps import apps

    root = Path(__file__).resolve().parents[2]
    sent_directly = [
        f"{path.relative_to(root)}:{number}"
        for config in apps.get_app_configs()
        if (root / config.name).is_dir()
        for path in (root / config.name).rglob("*.py")
        if "migrations" not in path.parts and path.name != "jobs.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.(delay|apply_async)\(", line)
    ]
    assert sent_directly == []

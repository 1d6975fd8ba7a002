"""Every task of the project goes to one of the three queues (media, money, notify), each with workers
of its own in `make stack` and docker-compose (tests/test_makefile.py, tests/test_compose.py), so that
a flood of photos never delays a payout. A new task that nobody routed fails here."""

from pathlib import Path

import pytest
from django.conf import settings

from marketplace.celery import app

ROOT = Path(__file__).resolve().parents[2]
QUEUES = {"media", "money", "notify"}


def _project_tasks() -> set[str]:
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return {name for name in app.tasks if (ROOT / name.partition(".")[0]).is_dir()}


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_of_the_project_is_on_one_of_the_three_queues():
    tasks = _project_tasks()

    assert "wallet.tasks.send_withdrawal" in tasks  # the tasks were found
    assert {name: _queue(name) for name in tasks if _queue(name) not in QUEUES} == {}


def test_every_route_names_a_task_that_exists():
    assert set(settings.CELERY_TASK_ROUTES) == _project_tasks()


@pytest.mark.parametrize(
    "task",
    [
        "wallet.tasks.send_withdrawal",
        "recycling.tasks.pay_recycle_offer",
        "consignment.tasks.settle_consignments",
        "orders.tasks.send_refund",
        "orders.tasks.release_lapsed_reservations",
    ],
)
def test_payouts_refunds_and_stock_are_on_the_money_queue(task):
    assert _queue(task) == "money"


@pytest.mark.parametrize(
    "task", ["listings.tasks.make_listing_photo_thumbnails", "recycling.tasks.prevalue_submission"]
)
def test_photo_work_is_on_the_media_queue(task):
    assert _queue(task) == "media"


def test_notifications_are_on_the_notify_queue():
    assert _queue("notifications.tasks.send_notification_email") == "notify"
    assert _queue("listings.tasks.notify_saved_searches") == "notify"


def test_celery_own_tasks_go_to_the_default_queue_which_is_declared():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}

    assert _queue("celery.backend_cleanup") == settings.CELERY_TASK_DEFAULT_QUEUE
    assert declared == {*QUEUES, settings.CELERY_TASK_DEFAULT_QUEUE}


def test_a_queue_is_bound_only_to_its_own_routing_key():
    """Celery binds a queue declared without an exchange to its default exchange under the key
    `celery`; a message sent there would then reach every queue."""
    for queue in settings.CELERY_TASK_QUEUES:
        assert (queue.exchange.name, queue.routing_key) == (queue.name, queue.name)

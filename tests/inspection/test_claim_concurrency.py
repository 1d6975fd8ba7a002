"""Two inspectors claiming at once, each in a thread with its own PostgreSQL connection: they never get
the same item, and of a single item only one gets it (skip_locked: the other is not kept waiting)."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from inspection.models import Inspection, InspectionEvent, InspectionStatus
from inspection.services import workbench
from inspection.services.workbench import inspection_claim_next
from tests.factories import CategoryFactory
from tests.inspection.desk_fixtures import inspector, queued_inspection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 10


def claim_in_thread(inspector_id: int, claims: dict, *, start: threading.Barrier | None = None):
    """Claim the next item in a thread of its own, with its own connection; record what it got."""

    def run():
        try:
            if start is not None:
                start.wait(TIMEOUT)
            item = inspection_claim_next(inspector=User.objects.get(pk=inspector_id))
            claims[inspector_id] = item.pk if item else None
        except Exception as error:  # surfaced by the test's assertions
            claims[inspector_id] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def hold_first_claim(monkeypatch):
    """Make the first claim stop while it holds its row lock, until `release` is set."""
    holding, release = threading.Event(), threading.Event()
    original = workbench.current_checklist
    first = threading.Lock()

    def slow_checklist(category):
        if first.acquire(blocking=False):
            holding.set()
            release.wait(TIMEOUT)
        return original(category)

    monkeypatch.setattr(workbench, "current_checklist", slow_checklist)
    return holding, release


def test_two_inspectors_at_once_get_different_items(monkeypatch):
    category = CategoryFactory()
    older = queued_inspection(category=category)
    newer = queued_inspection(category=category)
    first, second = inspector(), inspector()
    holding, release = hold_first_claim(monkeypatch)
    claims: dict = {}

    thread = claim_in_thread(first.pk, claims)
    try:
        assert holding.wait(TIMEOUT)  # the first inspector holds the oldest item's lock
        other = claim_in_thread(second.pk, claims)
        other.join(TIMEOUT)
        assert claims[second.pk] == newer.pk  # skipped the locked one instead of waiting for it
    finally:
        release.set()
        thread.join(TIMEOUT)
    assert claims[first.pk] == older.pk
    assert {item.inspector_id for item in Inspection.objects.all()} == {first.pk, second.pk}


def test_of_a_single_item_only_one_inspector_gets_it(monkeypatch):
    item = queued_inspection()
    first, second = inspector(), inspector()
    holding, release = hold_first_claim(monkeypatch)
    claims: dict = {}

    thread = claim_in_thread(first.pk, claims)
    try:
        assert holding.wait(TIMEOUT)
        other = claim_in_thread(second.pk, claims)
        other.join(TIMEOUT)
        assert claims[second.pk] is None
    finally:
        release.set()
        thread.join(TIMEOUT)
    assert claims[first.pk] == item.pk
    item.refresh_from_db()
    assert (item.status, item.inspector_id) == (InspectionStatus.IN_PROGRESS, first.pk)
    assert InspectionEvent.objects.filter(inspection=item, new=InspectionStatus.IN_PROGRESS).count() == 1


def test_many_inspectors_released_together_share_out_the_queue():
    category = CategoryFactory()
    items = {queued_inspection(category=category).pk for _number in range(3)}
    staff = [inspector() for _number in range(5)]
    start = threading.Barrier(len(staff))
    claims: dict = {}

    threads = [claim_in_thread(person.pk, claims, start=start) for person in staff]
    for thread in threads:
        thread.join(TIMEOUT)

    got = [value for value in claims.values() if value is not None]
    assert not [value for value in got if isinstance(value, Exception)]
    assert sorted(got) == sorted(items)  # every item claimed exactly once; two inspectors got nothing
    assert Inspection.objects.filter(status=InspectionStatus.IN_PROGRESS).count() == 3

"""Checklists as versioned data: loading, versioning, and which version an inspection uses."""

import pytest
from django.core.management import call_command

from inspection import checklist_data
from inspection.checklists import checklists_load
from inspection.models import Check, Checklist, Severity
from listings.catalog_data import load_catalog

pytestmark = pytest.mark.django_db


def test_load_creates_version_1_for_every_category_in_the_data():
    # given the demo category tree
    load_catalog()

    # when
    created = checklists_load()

    # then
    assert created == len(checklist_data.CHECKLISTS)
    for slug, checks in checklist_data.CHECKLISTS.items():
        checklist = Checklist.objects.get(category__slug=slug)
        assert checklist.version == 1
        assert checklist.checks.count() == len(checks)
    assert Checklist.objects.get(category__slug="phones").checks.count() >= 55


def test_every_check_has_both_labels_a_group_and_a_severity():
    load_catalog()
    checklists_load()

    for check in Check.objects.all():
        assert check.label and check.label_zh, check.code
        assert check.group in checklist_data.GROUPS, check.code
        assert check.severity in Severity.values, check.code


def test_loading_twice_creates_nothing_new():
    load_catalog()
    checklists_load()
    before = Check.objects.count()

    assert checklists_load() == 0
    call_command("load_checklists")

    assert Check.objects.count() == before

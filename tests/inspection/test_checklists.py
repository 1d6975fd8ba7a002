"""Checklists as versioned data: loading, versioning, and which version an inspection uses."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from inspection import checklist_data
from inspection.checklists import (
    CHECK_FIELDS,
    checklist_is_used,
    checklist_new_version,
    checklists_load,
    current_checklist,
    group_label,
)
from inspection.errors import InspectionError
from inspection.models import Check, Checklist, Inspection, MeasureKind, Severity
from listings.catalog_data import load_catalog
from tests.factories import CategoryFactory

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


@pytest.mark.parametrize(
    ("slug", "minimum"), [("phones", 55), ("bags", 15), ("laptops", 30), ("watches", 15)]
)
def test_the_long_lists_are_long(slug, minimum):
    load_catalog()
    checklists_load()

    assert Checklist.objects.get(category__slug=slug).checks.count() >= minimum


def test_phone_checks_measure_what_matters():
    load_catalog()
    checklists_load()
    checks = {c.code: c for c in Check.objects.filter(checklist__category__slug="phones")}

    assert checks["activation-lock-off"].severity == Severity.CRITICAL
    assert checks["imei-not-blacklisted"].severity == Severity.CRITICAL
    assert checks["imei-recorded"].measure == MeasureKind.TEXT
    battery = checks["battery-health"]
    assert (battery.measure, battery.unit, battery.min_value, battery.max_value) == (
        MeasureKind.NUMBER,
        "%",
        Decimal(0),
        Decimal(100),
    )
    assert checks["storage-capacity"].unit == "GB"
    assert {c.group for c in checks.values()} >= {"appearance", "screen", "function", "repair-history"}
    assert [c.position for c in Checklist.objects.get(category__slug="phones").checks.all()] == list(
        range(1, len(checks) + 1)
    )


def test_categories_that_do_not_exist_are_skipped_until_they_do():
    # given only some categories
    CategoryFactory(slug="phones", name="Phones")

    assert checklists_load() == 1
    assert list(Checklist.objects.values_list("category__slug", flat=True)) == ["phones"]

    # when the rest of the tree arrives
    load_catalog()

    # then the next run fills in the others and leaves phones alone
    assert checklists_load() == len(checklist_data.CHECKLISTS) - 1
    assert Checklist.objects.filter(category__slug="phones").count() == 1


def test_update_adds_a_version_only_where_the_data_changed(monkeypatch):
    load_catalog()
    checklists_load()
    phones = Checklist.objects.get(category__slug="phones")
    first_label = phones.checks.first().label

    # when the data gains a check and the loader runs with --update
    extra = checklist_data.CheckData(
        "esim-transfer", "connectivity", "minor", "eSIM can be transferred", "eSIM可转移"
    )
    changed = {**checklist_data.CHECKLISTS, "phones": (*checklist_data.PHONES, extra)}
    monkeypatch.setattr(checklist_data, "CHECKLISTS", changed)
    call_command("load_checklists", "--update")

    # then phones has version 2 with the new check, version 1 is untouched, the others are unchanged
    latest = current_checklist(phones.category)
    assert latest.version == 2
    assert latest.checks.filter(code="esim-transfer").exists()
    assert phones.checks.count() == len(checklist_data.PHONES)
    assert phones.checks.first().label == first_label
    assert Checklist.objects.filter(category__slug="bags").count() == 1
    assert checklists_load(only_missing=False) == 0


def test_new_version_copies_the_checks_and_leaves_the_old_version_untouched():
    # given version 1, used by an inspection
    load_catalog()
    checklists_load()
    v1 = Checklist.objects.get(category__slug="bags")
    v1_checks = list(v1.checks.values_list(*CHECK_FIELDS, "position"))
    Inspection.objects.create(
        subject_code="RL-V1", category=v1.category, title="Speedy 30", declared_grade="A", checklist=v1
    )
    assert checklist_is_used(v1)

    # when staff copy it into a new version with changes
    v2 = checklist_new_version(
        checklist=v1,
        notes="Odour is now minor; receipt dropped; microchip check added",
        update={"odour": {"severity": Severity.MINOR, "label": "No odour"}},
        remove=["receipt-card"],
        add=[
            checklist_data.CheckData(
                "microchip-read", "authenticity", "critical", "Microchip reads", "芯片可读取"
            )
        ],
    )

    # then
    assert (v2.category_id, v2.version) == (v1.category_id, 2)
    assert not checklist_is_used(v2)
    copied = {c.code: c for c in v2.checks.all()}
    assert len(copied) == len(v1_checks)  # one removed, one added
    assert copied["odour"].severity == Severity.MINOR
    assert copied["odour"].label == "No odour"
    assert "receipt-card" not in copied
    assert copied["microchip-read"].position == len(copied)
    assert list(v1.checks.values_list(*CHECK_FIELDS, "position")) == v1_checks
    assert current_checklist(v1.category) == v2


def test_copying_an_old_version_takes_the_next_free_number():
    load_catalog()
    checklists_load()
    v1 = Checklist.objects.get(category__slug="books")
    checklist_new_version(checklist=v1)

    v3 = checklist_new_version(checklist=v1)

    assert v3.version == 3
    assert "version 1" in v3.notes


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"update": {"no-such-check": {"label": "x"}}}, "unknown_check"),
        ({"remove": ["no-such-check"]}, "unknown_check"),
        (
            {"add": [checklist_data.CheckData("spine", "structure", "major", "Spine", "书脊")]},
            "duplicate_check",
        ),
    ],
)
def test_new_version_rejects_changes_that_do_not_fit(changes, code):
    load_catalog()
    checklists_load()
    v1 = Checklist.objects.get(category__slug="books")

    with pytest.raises(InspectionError) as caught:
        checklist_new_version(checklist=v1, **changes)

    assert caught.value.code == code
    assert Checklist.objects.filter(category=v1.category).count() == 1


def test_current_checklist_is_the_highest_version_of_the_nearest_category_that_has_one():
    top = CategoryFactory(slug="electronics")
    leaf = CategoryFactory(slug="drones", parent=top)
    deeper = CategoryFactory(slug="racing-drones", parent=leaf)
    other = CategoryFactory(slug="garden")
    top_v1 = Checklist.objects.create(category=top, version=1)
    top_v2 = Checklist.objects.create(category=top, version=2)

    # the leaf has none: its parent's latest version applies
    assert current_checklist(leaf) == top_v2
    assert current_checklist(deeper) == top_v2

    # once the leaf has its own, that wins over the parent's, however high the parent's version
    leaf_v1 = Checklist.objects.create(category=leaf, version=1)
    assert current_checklist(deeper) == leaf_v1
    assert current_checklist(top) == top_v2
    assert top_v1 != top_v2

    with pytest.raises(InspectionError) as caught:
        current_checklist(other)
    assert caught.value.code == "no_checklist"


def test_group_labels_follow_the_language():
    assert group_label("repair-history") == "Repair history"
    with translation.override("zh-hans"):
        assert group_label("repair-history") == "维修历史"
    assert group_label("made-up-in-admin") == "made-up-in-admin"


def test_the_data_migration_loads_with_the_historical_models():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # given a database that already has its categories when the migration runs
    load_catalog()
    state = MigrationExecutor(connection).loader.project_state(("inspection", "0002_seed_checklists"))

    # when the migration's function runs against the models as they were at that migration
    created = checklists_load(apps=state.apps)

    # then
    assert created == len(checklist_data.CHECKLISTS)
    assert Check.objects.filter(checklist__category__slug="phones").count() == len(checklist_data.PHONES)

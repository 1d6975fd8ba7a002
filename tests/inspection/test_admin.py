"""The checklist admin: unused versions are editable, used ones read-only with "save as new version";
inspection records are read-only for audit."""

import pytest
from django.urls import reverse

from inspection.checklists import checklists_load
from inspection.models import Checklist, Inspection
from listings.catalog_data import load_catalog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def books():
    load_catalog()
    checklists_load()
    return Checklist.objects.get(category__slug="books")


def use(checklist: Checklist) -> Inspection:
    return Inspection.objects.create(
        subject_code=f"RL-{checklist.pk}",
        category=checklist.category,
        title="A book",
        declared_grade="A",
        checklist=checklist,
    )


def test_an_unused_version_is_editable_with_its_checks(admin_client, books):
    response = admin_client.get(reverse("admin:inspection_checklist_change", args=[books.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' in html
    assert 'name="checks-0-label"' in html
    assert "Save as new version" in html
    assert "can no longer change" not in html


def test_a_used_version_is_read_only_and_offers_a_new_version(admin_client, books):
    use(books)

    response = admin_client.get(reverse("admin:inspection_checklist_change", args=[books.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert 'name="checks-0-label"' not in html
    assert "can no longer change" in html
    assert reverse("admin:inspection_checklist_new_version", args=[books.pk]) in html

    # posting a change anyway changes nothing
    response = admin_client.post(
        reverse("admin:inspection_checklist_change", args=[books.pk]), {"notes": "edited"}
    )
    assert response.status_code == 403
    books.refresh_from_db()
    assert books.notes != "edited"


def test_save_as_new_version_copies_and_opens_the_copy(admin_client, books):
    use(books)
    url = reverse("admin:inspection_checklist_new_version", args=[books.pk])

    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)

    copy = Checklist.objects.get(category=books.category, version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:inspection_checklist_change", args=[copy.pk])
    assert copy.checks.count() == books.checks.count()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Version 2 created from version 1" in page
    assert 'name="_save"' in page


def test_adding_a_checklist_takes_the_next_version(admin_client, books):
    response = admin_client.post(
        reverse("admin:inspection_checklist_add"),
        {
            "category": books.category_id,
            "notes": "Rare books",
            "checks-TOTAL_FORMS": "1",
            "checks-INITIAL_FORMS": "0",
            "checks-0-position": "1",
            "checks-0-code": "first-edition",
            "checks-0-group": "identity",
            "checks-0-label": "First edition verified",
            "checks-0-label_zh": "首版核实",
            "checks-0-severity": "major",
            "checks-0-measure": "none",
        },
    )

    assert response.status_code == 302
    added = Checklist.objects.get(category=books.category, notes="Rare books")
    assert added.version == 2
    assert list(added.checks.values_list("code", flat=True)) == ["first-edition"]


def test_the_change_list_shows_counts_and_use(admin_client, books, django_assert_max_num_queries):
    use(books)

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:inspection_checklist_changelist"))

    assert response.status_code == 200
    assert "books" in response.content.decode().lower()


@pytest.mark.parametrize("name", ["inspection", "checkresult", "authenticityverdict", "report"])
def test_inspection_records_are_read_only(admin_client, books, name):
    use(books)

    assert admin_client.get(reverse(f"admin:inspection_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:inspection_{name}_add")).status_code == 403


def test_an_inspection_page_shows_its_record_without_a_save_button(admin_client, books):
    inspection = use(books)

    response = admin_client.get(reverse("admin:inspection_inspection_change", args=[inspection.pk]))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()

"""Opening a store, staff's verification, changing the trader details, and closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import RoleRequired
from marketplace.errors import DomainError
from notifications.models import Notification
from providers.models import MemberRole, Provider, ProviderKind, ProviderMember
from tests.factories import UserFactory
from tests.trust.helpers import DETAILS, applied_store, operations_user, verified_store
from trust.errors import StoreError
from trust.models import Store, StoreEvent, StoreStatus
from trust.services.stores import store_apply, store_close, store_decide, store_update

pytestmark = pytest.mark.django_db


def test_a_seller_applies_with_trader_details_and_staff_verify_them(django_capture_on_commit_callbacks):
    # given a seller who sent their trader details
    owner = UserFactory()
    store = store_apply(owner=owner, **DETAILS)
    assert store.status == StoreStatus.APPLIED
    assert store.slug == "emmas-sneaker-lab"
    assert store.level.rank == 1

    # when operations verify them
    with django_capture_on_commit_callbacks(execute=True):
        store = store_decide(store_id=store.pk, by=operations_user(), verify=True)

    # then the store is verified, its timeline says so, and the owner is told
    assert store.is_verified and store.verified_at is not None
    assert [event.text for event in StoreEvent.objects.filter(store=store).order_by("id")] == [
        "Trader details sent for verification.",
        "Trader details verified by Reloop.",
    ]
    assert Notification.objects.get(recipient=owner).kind == "store.verified"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 61),
        ("legal_name", "  "),
        ("registration_number", "12"),
        ("registration_number", "<script>"),
        ("address", ""),
        ("contact_email", "not-an-address"),
        ("contact_phone", "call me"),
    ],
)
def test_bad_trader_details_are_refused_on_their_field_and_nothing_is_kept(field, value):
    with pytest.raises(StoreError) as refused:
        store_apply(owner=UserFactory(), **(DETAILS | {field: value}))
    assert refused.value.field == field
    assert not Store.objects.exists()


def test_a_name_another_store_has_is_refused_whatever_its_case():
    applied_store()
    with pytest.raises(StoreError) as refused:
        applied_store(name="EMMA'S SNEAKER LAB")
    assert refused.value.code == "name_taken"
    assert Store.objects.count() == 1


def test_an_unconfirmed_address_cannot_open_a_store():
    with pytest.raises(DomainError):
        store_apply(owner=UserFactory(email_confirmed_at=None), **DETAILS)
    assert not Store.objects.exists()


def test_a_second_application_is_refused_while_one_waits_and_allowed_after_a_rejection():
    owner = UserFactory()
    store = applied_store(owner)
    with pytest.raises(StoreError) as refused:
        applied_store(owner)
    assert refused.value.code == "already_applied"

    store_decide(
        store_id=store.pk, by=operations_user(), verify=False, reason="The register has no such number."
    )
    store = applied_store(owner, registration_number="91310115MA1K4XYZ3R")

    assert store.status == StoreStatus.APPLIED
    assert store.registration_number == "91310115MA1K4XYZ3R"
    rejected = StoreEvent.objects.get(store=store, new=StoreStatus.REJECTED)
    assert rejected.text == "The trader details could not be verified. The register has no such number."


def test_a_rejection_needs_a_reason_and_a_decision_is_made_once():
    store = applied_store()
    staff = operations_user()
    with pytest.raises(StoreError) as refused:
        store_decide(store_id=store.pk, by=staff, verify=False, reason=" ")
    assert refused.value.field == "reason"
    store_decide(store_id=store.pk, by=staff, verify=True)
    with pytest.raises(StoreError) as again:
        store_decide(store_id=store.pk, by=staff, verify=False, reason="changed my mind")
    assert again.value.code == "already_decided"
    assert Store.objects.get(pk=store.pk).status == StoreStatus.VERIFIED


def test_only_reloops_operations_staff_decide():
    store = applied_store()
    with pytest.raises(RoleRequired):
        store_decide(store_id=store.pk, by=UserFactory(), verify=True)
    # a partner's operations staff work their own provider's queues, not the marketplace's stores
    partner_staff = operations_user()
    partner = Provider.objects.create(code="north", name="North Centre", kind=ProviderKind.INSPECTION_CENTRE)
    ProviderMember.objects.create(provider=partner, user=partner_staff, role=MemberRole.OPERATIONS)
    with pytest.raises(PermissionDenied):
        store_decide(store_id=store.pk, by=partner_staff, verify=True)
    assert Store.objects.get(pk=store.pk).status == StoreStatus.APPLIED


def test_new_trader_details_send_a_verified_store_back_to_staff_but_a_new_description_does_not():
    owner = UserFactory()
    verified_store(owner)

    store = store_update(owner=owner, description="Now with boots too.")
    assert store.status == StoreStatus.VERIFIED

    store = store_update(owner=owner, address="1 Nanjing Road, Shanghai")
    assert store.status == StoreStatus.APPLIED
    assert store.verified_at is None


def test_closing_sets_the_deposits_tail_and_a_closed_store_stays_closed():
    owner = UserFactory()
    verified_store(owner)

    store = store_close(owner=owner)

    assert store.status == StoreStatus.CLOSED
    assert store.deposit_refund_due - store.closed_at == timedelta(days=90)
    assert store.deposit_refund_due > timezone.now() + timedelta(days=89)
    with pytest.raises(StoreError):
        store_close(owner=owner)
    with pytest.raises(StoreError) as reopen:
        applied_store(owner)
    assert reopen.value.code == "already_applied"

"""The stores' pages: opening a store, the owner's page with its deposit, the public store page
with the trader's details, and the staff desk (verification, requirements, a deduction)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from listings.models import ListingStatus, SellingHold
from providers.models import MemberRole, Provider, ProviderKind, ProviderMember
from tests.factories import CategoryFactory, ListingFactory, UserFactory
from tests.trust.helpers import (
    DETAILS,
    applied_store,
    decided_dispute,
    operations_user,
    require,
    shoes_tree,
    verified_store,
)
from tests.wallet.conftest import fund
from trust.models import DepositDeduction, Level, Store, StoreStatus
from trust.selectors import deposit_held
from trust.services.deposits import deposit_pay
from trust.services.stores import store_decide

pytestmark = pytest.mark.django_db


def _logo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_a_seller_opens_a_store_with_a_logo_and_sees_it_waiting(client):
    owner = UserFactory()
    client.force_login(owner)

    response = client.post(reverse("trust:apply"), DETAILS | {"logo": _logo()})

    assert response.status_code == 302
    store = Store.objects.get(owner=owner)
    assert store.status == StoreStatus.APPLIED and store.logo_key
    page = client.get(reverse("trust:manage")).content.decode()
    assert "Reloop is checking your trader details" in page
    assert "Verification pending" in page


def test_bad_details_come_back_on_their_field_and_nothing_is_kept(client):
    client.force_login(UserFactory())
    response = client.post(reverse("trust:apply"), DETAILS | {"contact_phone": "call me", "logo": _logo()})
    assert response.status_code == 400
    assert "Give a phone number where shoppers can reach the store." in response.content.decode()
    assert not Store.objects.exists()


def test_a_logo_that_is_not_a_photo_is_refused_on_its_field(client):
    client.force_login(UserFactory())
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(reverse("trust:apply"), DETAILS | {"logo": fake})
    assert response.status_code == 400
    assert "not a photo we accept" in response.content.decode()
    assert not Store.objects.exists()


def test_the_store_page_shows_the_badge_the_trader_details_and_its_items(client, django_assert_num_queries):
    owner = UserFactory()
    store = verified_store(owner)
    for index in range(3):
        ListingFactory(seller=owner, title=f"Sneaker {index}", status=ListingStatus.ACTIVE)

    # the store with its level and owner, then its listings
    with django_assert_num_queries(2):
        response = client.get(reverse("trust:store", args=[store.slug]))

    page = response.content.decode()
    assert "Verified store" in page and "Starter store" in page
    for value in (
        "Emma Li Trading Co., Ltd.",
        "91310115MA1K4XYZ2Q",
        "88 Century Avenue",
        "hello@sneakerlab.example",
    ):
        assert value in page
    assert page.count("Sneaker ") >= 3


def test_a_rejected_or_unknown_store_has_no_page(client):
    store = applied_store()
    store_decide(store_id=store.pk, by=operations_user(), verify=False, reason="No such register entry.")
    assert client.get(reverse("trust:store", args=[store.slug])).status_code == 404
    assert client.get(reverse("trust:store", args=["nobody"])).status_code == 404


def test_the_owner_pays_into_the_deposit_from_their_page_and_a_refusal_moves_nothing(client):
    shoes, _sneakers = shoes_tree()
    owner = UserFactory()
    fund(owner, "300.00")
    verified_store(owner)
    require(shoes, "250.00")
    client.force_login(owner)
    page = client.get(reverse("trust:manage")).content.decode()
    assert "short" in page

    refused = client.post(reverse("trust:deposit_pay"), {"amount": "300.01", "request_key": "a"})
    assert refused.status_code == 400
    assert "There is not enough money in the wallet for this." in refused.content.decode()
    assert deposit_held(user_id=owner.pk) == Decimal("0.00")

    paid = client.post(reverse("trust:deposit_pay"), {"amount": "250", "request_key": "b"})
    assert paid.status_code == 302
    assert deposit_held(user_id=owner.pk) == Decimal("250.00")
    assert not SellingHold.objects.filter(seller=owner).exists()


def test_the_owners_page_costs_the_same_queries_with_many_requirements(client, django_assert_num_queries):
    owner = UserFactory()
    verified_store(owner)
    for index in range(6):
        require(CategoryFactory(slug=f"top-{index}"), f"{100 + index}.00")
    client.force_login(owner)
    # the user, the store with its level, the deposit, the requirements with their categories, the
    # wallet's balance and held withdrawals, the deductions, the timeline: as many for 6 as for 1
    with django_assert_num_queries(8):
        response = client.get(reverse("trust:manage"))
    assert response.content.decode().count("store-amount") >= 6


def test_staff_verify_from_the_desk_and_a_partners_staff_may_not_open_it(client):
    store = applied_store()
    staff = operations_user()
    client.force_login(staff)
    desk = client.get(reverse("trust:staff")).content.decode()
    assert "Emma Li Trading Co., Ltd." in desk

    client.post(reverse("trust:staff_decide", args=[store.pk]), {"decision": "verify"})
    assert Store.objects.get(pk=store.pk).status == StoreStatus.VERIFIED

    partner_staff = operations_user()
    partner = Provider.objects.create(code="north", name="North Centre", kind=ProviderKind.INSPECTION_CENTRE)
    ProviderMember.objects.create(provider=partner, user=partner_staff, role=MemberRole.OPERATIONS)
    client.force_login(partner_staff)
    assert client.get(reverse("trust:staff")).status_code == 403
    assert client.get(reverse("trust:staff_store", args=[store.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("trust:staff")).status_code == 403


def test_staff_set_a_requirement_on_the_desk_and_a_bad_amount_changes_nothing(client):
    shoes, sneakers = shoes_tree()
    owner = UserFactory()
    verified_store(owner)
    client.force_login(operations_user())
    level = Level.objects.get(rank=1)
    client.post(
        reverse("trust:staff_requirement"), {"category": shoes.pk, "level": level.pk, "amount": "abc"}
    )
    assert not SellingHold.objects.exists()
    client.post(reverse("trust:staff_requirement"), {"category": shoes.pk, "level": level.pk, "amount": "80"})
    assert SellingHold.objects.get(seller=owner).category == sneakers


def test_staff_pay_a_buyer_from_the_deposit_for_a_decided_dispute(client, django_assert_num_queries):
    owner = UserFactory()
    fund(owner, "400.00")
    store = verified_store(owner)
    deposit_pay(owner=owner, amount="400.00", request_key="k")
    dispute = decided_dispute(seller=owner)
    client.force_login(operations_user())
    # the user, their role, their provider (none), the store, the deposit, the cases with their
    # orders and deductions, the timeline
    with django_assert_num_queries(7):
        page = client.get(reverse("trust:staff_store", args=[store.pk]))
    assert dispute.order.number in page.content.decode()

    response = client.post(
        reverse("trust:staff_store", args=[store.pk]),
        {"dispute": dispute.pk, "amount": "150.00", "reason": "Worn soles sold as new."},
    )

    assert response.status_code == 302
    assert DepositDeduction.objects.get().amount == Decimal("150.00")
    assert deposit_held(user_id=owner.pk) == Decimal("250.00")
    again = client.post(
        reverse("trust:staff_store", args=[store.pk]),
        {"dispute": dispute.pk, "amount": "10.00", "reason": "again"},
    )
    assert again.status_code == 400
    assert DepositDeduction.objects.count() == 1

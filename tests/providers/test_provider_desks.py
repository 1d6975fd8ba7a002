"""A partner's staff work only their own provider's queues: the receiving desk lists, receives and
opens only the submissions routed to their provider; Reloop's own staff see every provider's."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspection.models import InspectionStatus
from inspection.services.workbench import inspection_claim_next
from providers.models import MemberRole, ProviderKind
from providers.scope import platform_provider
from providers.services.providers import member_add, provider_create
from recycling.models import SubmissionStatus
from tests.inspection.desk_fixtures import authenticator, inspector, queued_inspection
from tests.recycling.shipping_fixtures import booked_shipment, operations_user

pytestmark = pytest.mark.django_db

DESK = "/staff/receiving/"


@pytest.fixture
def partners():
    """Two partner centres, each with a member of operations staff and a parcel on its way."""
    made = {}
    for code in ("hangzhou", "chengdu"):
        provider = provider_create(code=code, name=code.title(), kind=ProviderKind.INSPECTION_CENTRE)
        staff = operations_user()
        member_add(provider=provider, user=staff, role=MemberRole.OPERATIONS)
        made[code] = (provider, staff, booked_shipment(provider=provider))
    return made


def test_a_partners_desk_lists_receives_and_opens_only_its_own_parcels(client, partners):
    _provider, staff, ours = partners["hangzhou"]
    _other, _their_staff, theirs = partners["chengdu"]
    client.force_login(staff)

    refused = client.post(DESK, {"reference": theirs.tracking_number})
    received = client.post(DESK, {"reference": ours.tracking_number})

    assert refused.status_code == 400 and "Nothing matches" in refused.content.decode()
    assert received.status_code == 302
    for shipment, status in ((theirs, SubmissionStatus.SHIPPING), (ours, SubmissionStatus.RECEIVED)):
        shipment.submission.refresh_from_db()
        assert shipment.submission.status == status
    page = client.get(DESK).content.decode()
    assert ours.submission.code in page and theirs.submission.code not in page
    detail = "recycling:detail"
    assert client.get(reverse(detail, args=[ours.submission.pk])).status_code == 200
    assert client.get(reverse(detail, args=[theirs.submission.pk])).status_code == 404


def test_reloops_own_staff_see_every_providers_parcels(client, partners):
    staff = operations_user()
    member_add(provider=platform_provider(), user=staff, role=MemberRole.OPERATIONS)
    client.force_login(staff)

    for _provider, _staff, shipment in partners.values():
        assert client.post(DESK, {"reference": shipment.tracking_number}).status_code == 302
    page = client.get(DESK).content.decode()
    assert all(shipment.submission.code in page for _p, _s, shipment in partners.values())


def test_a_partners_inspectors_and_authenticators_work_only_its_own_items(client, partners):
    provider, _staff, _shipment = partners["hangzhou"]
    other, _other_staff, _other_shipment = partners["chengdu"]
    ours, theirs = queued_inspection(provider=provider), queued_inspection(provider=other)
    our_bag = queued_inspection(
        provider=provider, luxury=True, status=InspectionStatus.AWAITING_SECOND_OPINION
    )
    their_bag = queued_inspection(
        provider=other, luxury=True, status=InspectionStatus.AWAITING_SECOND_OPINION
    )
    checker, judge = inspector(), authenticator()
    for person, role in ((checker, MemberRole.INSPECTOR), (judge, MemberRole.AUTHENTICATOR)):
        member_add(provider=provider, user=person, role=role)
    api = APIClient()
    api.force_authenticate(checker)

    queue = api.get("/api/v1/inspections/queue/").json()["results"]
    refused = api.post(f"/api/v1/inspections/{theirs.pk}/claim/")
    claimed = inspection_claim_next(inspector=checker)
    client.force_login(judge)
    verdict = client.post(
        reverse("inspection:verdict", args=[their_bag.pk]), {"verdict": "genuine", "note": "stitching"}
    )

    assert [row["id"] for row in queue] == [ours.pk]
    assert refused.status_code == 404
    assert claimed == ours
    theirs.refresh_from_db()
    assert theirs.status == InspectionStatus.QUEUED
    assert verdict.status_code in (400, 404) and not their_bag.verdicts.exists()
    page = client.get(reverse("inspection:authentication")).content.decode()
    assert our_bag.subject_code in page and their_bag.subject_code not in page


def test_the_dashboard_shows_the_platforms_staff_every_provider_and_refuses_a_partners(client, partners):
    reloop_staff = operations_user()
    member_add(provider=platform_provider(), user=reloop_staff, role=MemberRole.OPERATIONS)
    _provider, partner_staff, _shipment = partners["hangzhou"]

    client.force_login(partner_staff)
    refused = client.get("/staff/dashboard/")
    client.force_login(reloop_staff)
    page = client.get("/staff/dashboard/").content.decode()

    assert refused.status_code == 403
    providers = page.split('id="providers-heading"', 1)[1]
    assert all(name in providers for name in ("Reloop inspection centre", "Hangzhou", "Chengdu"))

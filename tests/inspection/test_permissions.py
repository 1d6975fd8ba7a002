"""Who may use the inspection desk's staff pages: every URL of inspection/urls.py, with GET and POST,
for a shopper, a seller, an inspector, an authenticator, operations staff, a superuser and an
anonymous visitor. Anonymous visitors are sent to sign in; signed-in people without the group get 403
and nothing changes; the right group gets the page, or 405 for the wrong method."""

import pytest
from django.urls import reverse

from accounts import roles
from inspection import urls as inspection_urls
from inspection.models import (
    AuthenticityVerdict,
    CheckResult,
    Inspection,
    InspectionEvent,
    InspectionStatus,
    Verdict,
)
from inspection.services.authentication import authenticity_verdict_add
from inspection.services.workbench import inspection_claim, inspection_complete
from tests.factories import ListingFactory, UserFactory
from tests.inspection.desk_fixtures import answer_all, authenticator, inspector, queued_inspection
from tests.recycling.shipping_fixtures import staff_user

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "shopper", "seller", "inspector", "authenticator", "operations", "superuser")

# url name → (method → status for each of WHO). 302 for anonymous is the sign-in redirect; elsewhere
# it is the answer to a successful action. The inspector holds the item on the per-item pages; the
# superuser does not, and the checklist page belongs to the one who holds it. Empty POSTs to the
# forms answer 400 with the errors shown (never a 500).
MATRIX = {
    "queue": {
        "GET": (302, 403, 403, 200, 403, 403, 200),
        "POST": (302, 403, 403, 405, 403, 403, 405),
    },
    "claim_next": {
        "GET": (302, 403, 403, 405, 403, 403, 405),
        "POST": (302, 403, 403, 302, 403, 403, 302),
    },
    "claim": {
        "GET": (302, 403, 403, 405, 403, 403, 405),
        "POST": (302, 403, 403, 302, 403, 403, 302),
    },
    "inspect": {
        "GET": (302, 403, 403, 200, 403, 403, 403),
        "POST": (302, 403, 403, 405, 403, 403, 405),
    },
    "group_save": {
        "GET": (302, 403, 403, 405, 403, 403, 405),
        "POST": (302, 403, 403, 400, 403, 403, 403),
    },
    "complete": {
        "GET": (302, 403, 403, 405, 403, 403, 405),
        "POST": (302, 403, 403, 400, 403, 403, 403),
    },
    "release": {
        "GET": (302, 403, 403, 405, 403, 403, 405),
        "POST": (302, 403, 403, 302, 403, 403, 403),
    },
    "authentication": {
        "GET": (302, 403, 403, 403, 200, 403, 200),
        "POST": (302, 403, 403, 403, 405, 403, 405),
    },
    "verdict": {
        "GET": (302, 403, 403, 403, 405, 403, 405),
        "POST": (302, 403, 403, 403, 400, 403, 400),
    },
    "escalations": {
        "GET": (302, 403, 403, 403, 200, 403, 200),
        "POST": (302, 403, 403, 403, 405, 403, 405),
    },
    "resolve": {
        "GET": (302, 403, 403, 403, 405, 403, 405),
        "POST": (302, 403, 403, 403, 400, 403, 400),
    },
}

CASES = [
    pytest.param(name, method, who, statuses[index], id=f"{name}-{method}-{who}")
    for name, methods in MATRIX.items()
    for method, statuses in methods.items()
    for index, who in enumerate(WHO)
]


def test_the_matrix_covers_every_url_of_the_staff_pages():
    assert {pattern.name for pattern in inspection_urls.urlpatterns} == set(MATRIX)
    assert reverse("inspection:queue") == "/staff/inspection/"


@pytest.fixture
def desk():
    """The inspector holds one item, another waits in the queue; a luxury item waits for its second
    verdict and another is escalated (the two authenticators disagreed)."""
    the_inspector = inspector()
    held = queued_inspection()
    inspection_claim(inspection_id=held.pk, inspector=the_inspector)
    waiting = queued_inspection(category=held.category)

    first, second = authenticator(), authenticator()
    awaiting = _inspected_luxury_item(the_inspector)
    authenticity_verdict_add(inspection_id=awaiting.pk, by=first, verdict=Verdict.GENUINE)
    escalated = _inspected_luxury_item(the_inspector, category=awaiting.category)
    authenticity_verdict_add(inspection_id=escalated.pk, by=first, verdict=Verdict.GENUINE)
    authenticity_verdict_add(inspection_id=escalated.pk, by=second, verdict=Verdict.COUNTERFEIT)
    held.refresh_from_db()
    return {
        "inspector": the_inspector,
        "held": held,
        "waiting": waiting,
        "awaiting": awaiting,
        "escalated": escalated,
    }


def _inspected_luxury_item(by, **fields) -> Inspection:
    item = queued_inspection(luxury=True, **fields)
    inspection_claim(inspection_id=item.pk, inspector=by)
    item.refresh_from_db()
    answer_all(item, by)
    inspection_complete(inspection_id=item.pk, inspector=by, passed=True)
    item.refresh_from_db()
    assert item.status == InspectionStatus.AWAITING_SECOND_OPINION
    return item


def _url(name: str, desk: dict) -> str:
    held = desk["held"]
    args = {
        "claim": [desk["waiting"].pk],
        "inspect": [held.pk],
        "group_save": [held.pk, held.checklist.checks.first().group],
        "complete": [held.pk],
        "release": [held.pk],
        "verdict": [desk["awaiting"].pk],
        "resolve": [desk["escalated"].pk],
    }.get(name, [])
    return reverse(f"inspection:{name}", args=args)


def _user(who: str, desk: dict):
    if who == "inspector":
        return desk["inspector"]
    if who == "authenticator":
        return authenticator()  # a third one: gave no verdict yet
    if who == "operations":
        return staff_user(roles.OPERATIONS)
    if who == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if who == "seller":
        return ListingFactory().seller
    return UserFactory()


def _state() -> tuple:
    return (
        tuple(Inspection.objects.order_by("pk").values_list("status", "inspector_id", "escalated")),
        InspectionEvent.objects.count(),
        CheckResult.objects.count(),
        AuthenticityVerdict.objects.count(),
    )


@pytest.mark.parametrize(("name", "method", "who", "status"), CASES)
def test_each_role_gets_the_answer_of_the_matrix(client, desk, name, method, who, status):
    # given
    url = _url(name, desk)
    if who != "anonymous":
        client.force_login(_user(who, desk))
    before = _state()
    # when
    response = client.get(url) if method == "GET" else client.post(url, {})
    # then
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    if status in (403, 405) or who == "anonymous":
        assert _state() == before

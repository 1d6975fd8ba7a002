"""The workbench API: the queue oldest first in keyset pages, claiming (one winner), recording checks
with field errors for bad input, completing with the report link, two-person verdicts on luxury items,
and who may call what (401 signed out, 403 outside the group)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import roles
from inspection.models import (
    Check,
    Checklist,
    CheckResult,
    Inspection,
    InspectionStatus,
    MeasureKind,
    Report,
    Severity,
)
from listings.models import Grade
from tests.factories import CategoryFactory, InspectionFactory, ListingFactory, UserFactory
from tests.listings.images import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

API = "/api/v1/inspections"


def staff(username: str, *groups: str):
    user = UserFactory(username=username, is_staff=bool(groups))
    for group in groups:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def inspector():
    return staff("inspector", roles.INSPECTORS)


@pytest.fixture
def phones():
    category = CategoryFactory(slug="phones", name="Phones", name_zh="手机")
    checklist = Checklist.objects.create(category=category, version=1)
    rows = [
        ("activation-lock", "function", "Activation lock off", Severity.CRITICAL, MeasureKind.NONE, {}),
        (
            "battery-health",
            "function",
            "Battery health",
            Severity.MAJOR,
            MeasureKind.NUMBER,
            {"unit": "%", "min_value": 0, "max_value": 100},
        ),
        ("back-glass", "appearance", "Back glass", Severity.MINOR, MeasureKind.NONE, {}),
    ]
    for position, (code, group, label, severity, measure, extra) in enumerate(rows, start=1):
        Check.objects.create(
            checklist=checklist,
            code=code,
            group=group,
            label=label,
            severity=severity,
            measure=measure,
            position=position,
            **extra,
        )
    return category


@pytest.fixture
def bags():
    category = CategoryFactory(slug="bags", name="Bags", name_zh="包袋", is_luxury=True)
    checklist = Checklist.objects.create(category=category, version=1)
    Check.objects.create(
        checklist=checklist, code="date-code", group="authenticity", label="Date code", severity="critical"
    )
    return category


def queued(category, *, age: timedelta = timedelta(hours=1), **values) -> Inspection:
    return InspectionFactory(category=category, created_at=timezone.now() - age, **values)


def claimed(category, inspector, **values) -> Inspection:
    inspection = queued(category, **values)
    response = api(inspector).post(f"{API}/{inspection.pk}/claim/")
    assert response.status_code == 200, response.content
    return inspection


def record(client: APIClient, inspection: Inspection, check: str, outcome: str = "pass", **values):
    return client.post(
        f"{API}/{inspection.pk}/checks/", {"check": check, "outcome": outcome, **values}, format="json"
    )


def record_all_passing(client: APIClient, inspection: Inspection) -> None:
    for check in Check.objects.filter(checklist__category=inspection.category):
        values = {"measured_value": "92"} if check.measure == MeasureKind.NUMBER else {}
        assert record(client, inspection, check.code, **values).status_code == 200


# --- Queue ----------------------------------------------------------------------------------------


def test_the_queue_is_oldest_first_with_how_long_each_waited(inspector, phones):
    # given
    newest = queued(phones, age=timedelta(minutes=5), title="Newest")
    oldest = queued(phones, age=timedelta(days=2), title="Oldest")
    middle = queued(phones, age=timedelta(hours=3), title="Middle")

    # when
    response = api(inspector).get(f"{API}/queue/")

    # then
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [oldest.pk, middle.pk, newest.pk]
    assert rows[0]["subject_code"] == oldest.subject_code
    assert rows[0]["category"]["slug"] == "phones"
    assert rows[0]["status"] == InspectionStatus.QUEUED
    assert 2 * 86400 <= rows[0]["waiting_seconds"] < 2 * 86400 + 60
    assert set(response.json()) == {"next", "previous", "results"}


def test_the_queue_pages_through_without_gaps(inspector, phones):
    # given: more than a page
    made = [queued(phones, age=timedelta(minutes=200 - n)) for n in range(60)]

    # when
    client = api(inspector)
    first = client.get(f"{API}/queue/").json()
    second = client.get(first["next"]).json()

    # then
    ids = [row["id"] for row in first["results"]] + [row["id"] for row in second["results"]]
    assert ids == [inspection.pk for inspection in made]
    assert second["next"] is None and second["previous"] is not None


def test_a_stale_queue_cursor_is_400(inspector):
    response = api(inspector).get(f"{API}/queue/", {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("count", [5, 500])
def test_queue_query_count_does_not_grow_with_the_queue(django_assert_num_queries, inspector, phones, count):
    # given
    Inspection.objects.bulk_create(
        Inspection(
            subject_code=f"RLQ{n:05d}",
            category=phones,
            title=f"Phone {n}",
            declared_grade=Grade.VERY_GOOD,
            created_at=timezone.now() - timedelta(minutes=n),
        )
        for n in range(count)
    )
    client = api(inspector)

    # 1: the inspectors group check; 2: whose items they see (providers.scope); 3: the page with
    # category, catalog model and inspector joined in
    with django_assert_num_queries(3):
        response = client.get(f"{API}/queue/")

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 50)


# --- Claiming -------------------------------------------------------------------------------------


def test_claim_next_takes_the_oldest_and_returns_its_checklist(inspector, phones):
    # given
    queued(phones, age=timedelta(hours=1))
    oldest = queued(phones, age=timedelta(hours=5))

    # when
    response = api(inspector).post(f"{API}/claim/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == oldest.pk
    assert body["status"] == InspectionStatus.IN_PROGRESS
    assert body["inspector"]["username"] == "inspector"
    assert body["checklist_version"] == 1
    assert [check["code"] for check in body["checks"]] == ["activation-lock", "battery-health", "back-glass"]
    assert all(check["result"] is None for check in body["checks"])
    assert body["checks"][1]["measure"] == "number" and body["checks"][1]["unit"] == "%"
    assert body["grade_preview"]["defects"] == []  # nothing recorded, nothing found yet
    assert body["report"] is None


def test_claim_next_with_an_empty_queue_is_204(inspector, phones):
    response = api(inspector).post(f"{API}/claim/")

    assert response.status_code == 204
    assert response.content == b""


def test_an_item_someone_else_claimed_is_409(inspector, phones):
    # given
    inspection = claimed(phones, inspector)
    other = staff("other-inspector", roles.INSPECTORS)

    # when
    response = api(other).post(f"{API}/{inspection.pk}/claim/")

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "already_claimed"
    inspection.refresh_from_db()
    assert inspection.inspector == inspector


def test_claiming_a_missing_inspection_is_404(inspector):
    assert api(inspector).post(f"{API}/999999/claim/").status_code == 404


# --- Recording checks -----------------------------------------------------------------------------


def test_recording_a_check_returns_its_result_and_the_detail_shows_it(inspector, phones):
    # given
    inspection = claimed(phones, inspector)
    client = api(inspector)

    # when
    response = record(client, inspection, "battery-health", measured_value="88")
    defect = record(client, inspection, "back-glass", "defect", note="Hairline scratch")

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["check"] == "battery-health"
    assert body["result"]["outcome"] == "pass"
    assert body["result"]["measured_value"] == "88"
    assert body["result"]["recorded_by"]["username"] == "inspector"
    assert defect.json()["grade_preview"]["defects"] == [
        {"code": "back-glass", "severity": "minor", "measured": False}
    ]
    assert defect.json()["grade_preview"]["grade"] == Grade.EXCELLENT
    detail = client.get(f"{API}/{inspection.pk}/").json()
    results = {check["code"]: check["result"] for check in detail["checks"]}
    assert results["activation-lock"] is None
    assert results["back-glass"]["outcome"] == "defect"
    assert results["back-glass"]["note"] == "Hairline scratch"
    assert detail["answered"] == 2
    assert detail["grade_preview"]["grade"] == Grade.EXCELLENT


def test_a_check_with_a_photo_is_multipart(inspector, phones):
    inspection = claimed(phones, inspector)

    response = api(inspector).post(
        f"{API}/{inspection.pk}/checks/",
        {
            "check": "back-glass",
            "outcome": "defect",
            "note": "Scuff",
            "photo": upload(jpeg_bytes((900, 700))),
        },
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json()["result"]["photo_url"]
    assert CheckResult.objects.get().photo_key


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"check": "battery-health", "outcome": "pass", "measured_value": "140"}, "measured_value"),
        ({"check": "battery-health", "outcome": "pass", "measured_value": "lots"}, "measured_value"),
        ({"check": "back-glass", "outcome": "defect"}, "note"),
        ({"check": "no-such-check", "outcome": "pass"}, "check"),
        ({"check": "back-glass", "outcome": "maybe"}, "outcome"),
        ({"outcome": "pass"}, "check"),
    ],
    ids=["out of range", "not a number", "defect without note", "unknown check", "bad outcome", "no check"],
)
def test_bad_check_input_is_400_under_the_field_and_records_nothing(inspector, phones, values, field):
    inspection = claimed(phones, inspector)

    response = api(inspector).post(f"{API}/{inspection.pk}/checks/", values, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CheckResult.objects.exists()


def test_recording_on_an_item_nobody_claimed_says_so(inspector, phones):
    inspection = queued(phones)

    response = record(api(inspector), inspection, "back-glass")

    assert response.status_code == 400
    assert response.json()["code"] == "not_in_progress"
    assert not CheckResult.objects.exists()


def test_only_the_inspector_holding_the_claim_records(inspector, phones):
    inspection = claimed(phones, inspector)
    other = staff("other-inspector", roles.INSPECTORS)

    response = record(api(other), inspection, "back-glass")

    assert response.status_code == 409
    assert response.json()["code"] == "already_claimed"
    assert not CheckResult.objects.exists()


# --- Completing -----------------------------------------------------------------------------------


def test_completing_with_checks_unanswered_is_400(inspector, phones):
    inspection = claimed(phones, inspector)
    record(api(inspector), inspection, "activation-lock")

    response = api(inspector).post(f"{API}/{inspection.pk}/complete/", {"passed": True}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "checks_unanswered"
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_passing_publishes_the_report_and_gives_its_link(inspector, phones):
    # given: an item that is also a listing, every check passed
    listing = ListingFactory(category=phones, grade=Grade.GOOD)
    inspection = claimed(phones, inspector, listing=listing)
    client = api(inspector)
    record_all_passing(client, inspection)

    # when
    response = client.post(
        f"{API}/{inspection.pk}/complete/", {"passed": True, "note": "Clean"}, format="json"
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == InspectionStatus.COMPLETED
    assert body["result"] == "passed"
    assert body["grade"] in Grade.values
    report = Report.objects.get(inspection=inspection)
    assert body["report"]["code"] == report.code
    assert body["report"]["url"] == f"http://testserver/r/{report.code}/"
    assert body["report"]["pdf_url"] == f"http://testserver/r/{report.code}.pdf"
    assert Client().get(f"/r/{report.code}/").status_code == 200
    listing.refresh_from_db()
    assert listing.report_code == report.code


def test_overriding_the_grade_needs_a_reason(inspector, phones):
    inspection = claimed(phones, inspector)
    client = api(inspector)
    record_all_passing(client, inspection)

    response = client.post(
        f"{API}/{inspection.pk}/complete/", {"passed": True, "grade_override": "C"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["override_reason"]


def test_failing_needs_a_reason_and_then_completes(inspector, phones):
    inspection = claimed(phones, inspector)
    client = api(inspector)

    refused = client.post(
        f"{API}/{inspection.pk}/complete/", {"passed": False, "note": "Fake"}, format="json"
    )
    failed = client.post(
        f"{API}/{inspection.pk}/complete/",
        {"passed": False, "fail_reason": "counterfeit", "note": "Fake logic board"},
        format="json",
    )

    assert refused.status_code == 400 and "fail_reason" in refused.json()
    assert failed.status_code == 200, failed.content
    assert (failed.json()["status"], failed.json()["result"], failed.json()["fail_reason"]) == (
        "completed",
        "failed",
        "counterfeit",
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"passed": "perhaps"},
        {"passed": True, "grade_override": "Z"},
        {"passed": False, "fail_reason": "ugly"},
    ],
)
def test_bad_complete_input_is_400(inspector, phones, body):
    inspection = claimed(phones, inspector)

    response = api(inspector).post(f"{API}/{inspection.pk}/complete/", body, format="json")

    assert response.status_code == 400


# --- Authentication -------------------------------------------------------------------------------


def test_a_luxury_item_is_completed_when_two_authenticators_agree(inspector, bags):
    # given: inspected and passed, waiting for verdicts
    inspection = claimed(bags, inspector)
    record_all_passing(api(inspector), inspection)
    waiting = api(inspector).post(f"{API}/{inspection.pk}/complete/", {"passed": True}, format="json")
    first_authenticator = staff("authenticator", roles.AUTHENTICATORS)
    second_authenticator = staff("authenticator2", roles.AUTHENTICATORS)

    # when
    first = api(first_authenticator).post(
        f"{API}/{inspection.pk}/verdicts/", {"verdict": "genuine"}, format="json"
    )
    again = api(first_authenticator).post(
        f"{API}/{inspection.pk}/verdicts/", {"verdict": "genuine"}, format="json"
    )
    second = api(second_authenticator).post(
        f"{API}/{inspection.pk}/verdicts/",
        {"verdict": "genuine", "note": "Heat stamp matches"},
        format="json",
    )

    # then
    assert waiting.json()["status"] == InspectionStatus.AWAITING_SECOND_OPINION
    assert waiting.json()["report"] is None
    assert first.status_code == 200 and first.json()["authenticated"] is None
    assert again.status_code == 400, "the same person cannot give both verdicts"
    assert second.status_code == 200, second.content
    body = second.json()
    assert (body["status"], body["result"], body["authenticated"]) == ("completed", "passed", True)
    assert body["report"]["code"] == Report.objects.get(inspection=inspection).code
    detail = api(first_authenticator).get(f"{API}/{inspection.pk}/").json()
    assert [verdict["by"]["username"] for verdict in detail["verdicts"]] == [
        "authenticator",
        "authenticator2",
    ]


def test_a_bad_verdict_is_400(bags):
    authenticator = staff("authenticator", roles.AUTHENTICATORS)
    inspection = queued(bags)

    response = api(authenticator).post(
        f"{API}/{inspection.pk}/verdicts/", {"verdict": "maybe"}, format="json"
    )

    assert response.status_code == 400
    assert "verdict" in response.json()


# --- Detail, authentication and permissions --------------------------------------------------------


def test_detail_query_count(django_assert_num_queries, inspector, phones):
    inspection = claimed(phones, inspector)
    client = api(inspector)
    for code in ("activation-lock", "back-glass"):
        record(client, inspection, code)

    # 1: the group check; 2: whose items they see (providers.scope); 3: the inspection with category,
    # model, inspector, checklist and report joined in (inspection_for_staff); 4-6: its checks,
    # results (with their checks and who recorded them) and verdicts; 7-8: the grade preview (the
    # inspection, its results with checks)
    with django_assert_num_queries(8):
        response = client.get(f"{API}/{inspection.pk}/")

    assert response.status_code == 200


def test_token_authentication(phones):
    staff("inspector", roles.INSPECTORS)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "inspector", "password": "a-long-test-password"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get(f"{API}/queue/").status_code == 200


ROLES = {
    "anonymous": None,
    "shopper": (),
    "seller": (),
    "inspector": (roles.INSPECTORS,),
    "authenticator": (roles.AUTHENTICATORS,),
    "operations": (roles.OPERATIONS,),
}
INSPECTORS_ONLY = {"inspector"}
INSPECTION_STAFF = {"inspector", "authenticator"}
AUTHENTICATORS_ONLY = {"authenticator"}
ENDPOINTS = [
    ("get", "/queue/", INSPECTORS_ONLY),
    ("post", "/claim/", INSPECTORS_ONLY),
    ("post", "/{id}/claim/", INSPECTORS_ONLY),
    ("get", "/{id}/", INSPECTION_STAFF),
    ("post", "/{id}/checks/", INSPECTORS_ONLY),
    ("post", "/{id}/complete/", INSPECTORS_ONLY),
    ("post", "/{id}/verdicts/", AUTHENTICATORS_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _a in ENDPOINTS])
def test_permission_matrix(phones, role, method, path, allowed):
    # given: a queued item; the seller has a listing, so is a real seller
    inspection = queued(phones)
    user = None
    if ROLES[role] is not None:
        user = staff(role, *ROLES[role])
        if role == "seller":
            ListingFactory(seller=user, category=phones)

    # when
    response = getattr(api(user), method)(f"{API}{path.format(id=inspection.pk)}", {}, format="json")

    # then
    if user is None:
        assert response.status_code == 401
    elif role in allowed:
        assert response.status_code not in (401, 403), response.content
    else:
        assert response.status_code == 403
    if role not in allowed:
        inspection.refresh_from_db()
        assert inspection.status == InspectionStatus.QUEUED
        assert not CheckResult.objects.exists()


def test_superusers_may_use_the_workbench(phones):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    queued(phones)

    assert api(admin).get(f"{API}/queue/").status_code == 200
    assert api(admin).post(f"{API}/claim/").status_code == 200

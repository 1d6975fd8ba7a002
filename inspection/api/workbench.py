"""The workbench API: the queue of received items, claiming, recording checks, completing, verdicts.

Signed-in staff only: anonymous requests answer 401; signed-in users outside the group an endpoint
needs answer 403. Inspectors work the queue and the checklist; authenticators give authenticity
verdicts on luxury items; both may read an inspection. Every write goes through inspection.services,
whose errors answer `{"code", "detail"}` (400, or 409 for an item someone else claimed); an error about
one input also carries the message under that field (`{"measured_value": ["…"]}`).
"""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import roles
from accounts.http import api_user
from inspection.api.serializers import (
    CheckRecordSerializer,
    CompleteSerializer,
    InspectionDetailSerializer,
    InspectionOutcomeSerializer,
    QueueItemSerializer,
    RecordedCheckSerializer,
    VerdictSerializer,
)
from inspection.checklists import current_checklist
from inspection.grading import GradeOutcome
from inspection.models import Check, CheckResult, Inspection
from inspection.selectors import inspection_for_staff, queue_for_inspectors
from inspection.services.authentication import authenticity_verdict_add
from inspection.services.workbench import (
    check_record,
    grade_preview,
    inspection_claim,
    inspection_claim_next,
    inspection_complete,
)
from listings.api.serializers import ErrorSerializer
from marketplace.api import LocalizedAPIView
from marketplace.keyset import paginate
from marketplace.pagination import page_data, page_serializer
from providers.scope import provider_scope, scoped

PAGE_SIZE = 50
QUEUE_ORDER = ("created_at", "id")  # oldest first: the inspection_queue index (status, created_at, id)

QueuePageSerializer = page_serializer(QueueItemSerializer, name="InspectionQueuePage")

NOT_FOUND = OpenApiResponse(description="No such inspection.")
DOMAIN_ERROR = OpenApiResponse(ErrorSerializer, description="A domain error with its `code`.")
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Field errors: `{field: [messages]}`. Errors found by the workbench also carry `code` and "
    '`detail`, e.g. `{"code": "measured_value_out_of_range", "detail": "…", "measured_value": ["…"]}`.',
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="`already_claimed`: another inspector has it; `invalid_transition`: not possible in its "
    "status.",
)
SIGN_IN = OpenApiResponse(description="Not signed in.")
FORBIDDEN = OpenApiResponse(description="Signed in, but not in the group this needs.")

# Service argument names that differ from the API's field names.
API_FIELD = {"check_id": "check", "check_item": "check"}


class InGroup(BasePermission):
    """Signed-in members of one of `groups` (superusers too). Anonymous users fail IsAuthenticated
    first, so they get 401 rather than 403."""

    groups: tuple[str, ...] = ()

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        # One query for any number of groups (roles.has_role asks about one).
        return user.is_superuser or user.groups.filter(name__in=self.groups).exists()


class Inspectors(InGroup):
    groups = (roles.INSPECTORS,)


class Authenticators(InGroup):
    groups = (roles.AUTHENTICATORS,)


class InspectionStaff(InGroup):
    groups = (roles.INSPECTORS, roles.AUTHENTICATORS)


class WorkbenchAPIView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, Inspectors)
    error_fields = API_FIELD  # domain errors name the service's arguments (marketplace.api)

    def render_inspection(self, inspection_id: int) -> Response:
        # Read back with the same joins as a GET, so that every answer has the same shape.
        try:
            inspection = inspection_for_staff(
                inspection_id=inspection_id, scope=provider_scope(self.request.user)
            )
        except Inspection.DoesNotExist as error:
            raise Http404 from error
        context = {"request": self.request, "grade_preview": _preview(inspection)}
        return Response(InspectionDetailSerializer(inspection, context=context).data)

    def existing(self, inspection_id: int) -> int:
        """The id of an inspection of the caller's provider (providers.scope); 404 for any other."""
        if not scoped(Inspection.objects.filter(pk=inspection_id), self.request.user).exists():
            raise Http404
        return inspection_id


def _preview(inspection: Inspection) -> GradeOutcome | None:
    """The grade the results recorded so far lead to, as the workbench computes it; None until the
    item is claimed (no checklist yet)."""
    if inspection.checklist_id is None:
        return None
    return grade_preview(inspection_id=inspection.pk)


class QueueView(WorkbenchAPIView):
    @extend_schema(
        operation_id="inspections_queue",
        summary="Received items waiting for inspection, oldest first",
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque page token from `next` or `previous`.")
        ],
        responses={200: QueuePageSerializer, 400: DOMAIN_ERROR, 401: SIGN_IN, 403: FORBIDDEN},
        tags=["inspection"],
    )
    def get(self, request: Request) -> Response:
        page = paginate(
            queue_for_inspectors(scope=provider_scope(request.user)),
            order_by=QUEUE_ORDER,
            cursor=request.query_params.get("cursor"),
            size=PAGE_SIZE,
        )
        return Response(page_data(page, request=request, serializer_class=QueueItemSerializer))


class ClaimNextView(WorkbenchAPIView):
    @extend_schema(
        operation_id="inspections_claim_next",
        summary="Claim the item that has waited longest",
        description="Locks the oldest waiting item to you and returns it with its checklist. Two "
        "inspectors asking at once get different items. 204 when nothing is waiting.",
        request=None,
        responses={
            200: InspectionDetailSerializer,
            204: OpenApiResponse(description="The queue is empty: nothing to claim."),
            401: SIGN_IN,
            403: FORBIDDEN,
        },
        tags=["inspection"],
    )
    def post(self, request: Request) -> Response:
        inspection = inspection_claim_next(inspector=api_user(request))
        if inspection is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.render_inspection(inspection.pk)


class ClaimView(WorkbenchAPIView):
    @extend_schema(
        operation_id="inspections_claim",
        summary="Claim one item",
        description="Locks the item to you and returns it with its checklist; 409 `already_claimed` when "
        "another inspector has it.",
        request=None,
        responses={
            200: InspectionDetailSerializer,
            401: SIGN_IN,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        tags=["inspection"],
    )
    def post(self, request: Request, inspection_id: int) -> Response:
        inspection_claim(inspection_id=self.existing(inspection_id), inspector=api_user(request))
        return self.render_inspection(inspection_id)


class InspectionDetailView(WorkbenchAPIView):
    permission_classes = (IsAuthenticated, InspectionStaff)

    @extend_schema(
        operation_id="inspections_retrieve",
        summary="One inspection: the checklist with each check's result, the grade so far, verdicts",
        responses={200: InspectionDetailSerializer, 401: SIGN_IN, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["inspection"],
    )
    def get(self, request: Request, inspection_id: int) -> Response:
        return self.render_inspection(inspection_id)


class CheckRecordView(WorkbenchAPIView):
    parser_classes = (JSONParser, MultiPartParser, FormParser)

    @extend_schema(
        operation_id="inspections_checks_create",
        summary="Record one check's result",
        description="Pass or defect, a note, the measured value for checks that take one, and an optional "
        "photo (send multipart/form-data with a `photo` file). Recording a check again replaces its "
        "result. Only the inspector who claimed the item may record.",
        request={
            "application/json": CheckRecordSerializer,
            "multipart/form-data": CheckRecordSerializer,
        },
        responses={
            200: RecordedCheckSerializer,
            400: BAD_INPUT,
            401: SIGN_IN,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        tags=["inspection"],
    )
    def post(self, request: Request, inspection_id: int) -> Response:
        try:
            inspection = Inspection.objects.select_related("category").get(pk=inspection_id)
        except Inspection.DoesNotExist as error:
            raise Http404 from error
        serializer = CheckRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        # An item nobody has claimed yet has no checklist of its own: name the check in the one it
        # would get, so that the answer says what is wrong (not claimed) rather than "no such check".
        checklist_id = inspection.checklist_id or current_checklist(inspection.category).pk
        check_id = (
            Check.objects.filter(checklist_id=checklist_id, code=values["check"])
            .values_list("pk", flat=True)
            .first()
        )
        if check_id is None:
            return Response(
                {"check": [_("This check is not on this item's checklist.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = check_record(
            inspection_id=inspection.pk,
            inspector=api_user(request),
            check_id=check_id,
            outcome=values["outcome"],
            note=values["note"],
            measured_value=values["measured_value"],
            photo=values.get("photo"),
        )
        result = CheckResult.objects.select_related("recorded_by").get(pk=result.pk)
        data = {
            "check": values["check"],
            "result": result,
            "grade_preview": grade_preview(inspection_id=inspection_id),
        }
        return Response(RecordedCheckSerializer(data, context={"request": request}).data)


class CompleteView(WorkbenchAPIView):
    @extend_schema(
        operation_id="inspections_complete",
        summary="Complete the inspection: pass with a grade, or fail with a reason",
        description="Every check must have a result. Passing takes the grade computed from the defects "
        "unless `grade_override` (with `override_reason`) is given; failing needs `fail_reason`. Luxury "
        "items then wait for two authenticators (`awaiting_second_opinion`); other items are completed "
        "and their public report is published (`report`).",
        request=CompleteSerializer,
        responses={
            200: InspectionOutcomeSerializer,
            400: BAD_INPUT,
            401: SIGN_IN,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        tags=["inspection"],
    )
    def post(self, request: Request, inspection_id: int) -> Response:
        inspection_id = self.existing(inspection_id)
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inspection = inspection_complete(
            inspection_id=inspection_id, inspector=api_user(request), **serializer.validated_data
        )
        return _outcome(request, inspection.pk)


class VerdictView(WorkbenchAPIView):
    permission_classes = (IsAuthenticated, Authenticators)

    @extend_schema(
        operation_id="inspections_verdicts_create",
        summary="Give an authenticity verdict on a luxury item",
        description="The first verdict waits for a second from a different authenticator. When both say "
        "genuine the item is authenticated and its report published; when they disagree it goes to the "
        "escalation queue.",
        request=VerdictSerializer,
        responses={
            200: InspectionOutcomeSerializer,
            400: BAD_INPUT,
            401: SIGN_IN,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
        tags=["inspection"],
    )
    def post(self, request: Request, inspection_id: int) -> Response:
        inspection_id = self.existing(inspection_id)
        serializer = VerdictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authenticity_verdict_add(
            inspection_id=inspection_id, by=api_user(request), **serializer.validated_data
        )
        return _outcome(request, inspection_id)


def _outcome(request: Request, inspection_id: int) -> Response:
    inspection = Inspection.objects.select_related("report").get(pk=inspection_id)
    return Response(InspectionOutcomeSerializer(inspection, context={"request": request}).data)

"""Stores and their deposits through the API.

- `/api/v1/store/`: the signed-in user's store (GET), opening one or applying again after a
  rejection (POST), changing it (PATCH); `/api/v1/store/close/` closes it.
- `/api/v1/store/deposit/`: what the deposit holds against what each category asks (GET), paying in
  from the wallet (POST, with a `request_key` so that a retry pays once).
- `/api/v1/stores/<slug>/`: a store as shoppers see it, with the trader's details.
- `/api/v1/staff/stores/`: stores for Reloop's own operations staff (`?status=applied` for those
  waiting), their decision, a deduction for a decided dispute, and the deposit requirements.

Refusals of the services (trust.errors, wallet.errors) answer 400 with `code`, `detail` and the input
at fault (marketplace.api). A user only ever finds their own store here; anyone else's answers 404.
"""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from listings.api.serializers import ErrorSerializer
from listings.models import Category
from marketplace.api import MONEY, LocalizedAPIView
from providers.permissions import PlatformOperations
from trust import selectors
from trust.models import DepositRequirement, Level, Store, StoreStatus
from trust.services import deposits, stores

REFUSED = OpenApiResponse(
    ErrorSerializer, description="A domain error: `code`, `detail` and the `field` at fault."
)
NO_STORE = OpenApiResponse(description="You have no store.")


class StoreSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField(help_text="The store's address: /stores/<slug>/.")
    description = serializers.CharField()
    policies = serializers.CharField()
    logo_url = serializers.CharField(help_text="Empty when the store has no logo.")
    # A string, not an enum: several models have a `status`, and the schema names one enum per name.
    status = serializers.CharField(help_text="applied, verified, rejected or closed.")
    status_display = serializers.CharField(source="get_status_display")
    is_verified = serializers.BooleanField()
    level = serializers.CharField(source="level.code")
    level_name = serializers.CharField(source="level.label")
    legal_name = serializers.CharField()
    registration_number = serializers.CharField()
    address = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)


class OwnStoreSerializer(StoreSerializer):
    closed_at = serializers.DateTimeField(allow_null=True)
    deposit_refund_due = serializers.DateTimeField(allow_null=True)
    deposit_refunded_at = serializers.DateTimeField(allow_null=True)
    applied_at = serializers.DateTimeField(source="created_at")


class StaffStoreSerializer(OwnStoreSerializer):
    id = serializers.IntegerField()
    owner = serializers.CharField(source="owner.username")


class StoreDetailsSerializer(serializers.Serializer):
    # Loose limits: the service checks each detail and says what is wrong with its `code`.
    name = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    policies = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    legal_name = serializers.CharField(max_length=500, allow_blank=True)
    registration_number = serializers.CharField(max_length=200, allow_blank=True)
    address = serializers.CharField(max_length=1000, allow_blank=True)
    contact_email = serializers.CharField(max_length=500, allow_blank=True)
    contact_phone = serializers.CharField(max_length=200, allow_blank=True)


class RequirementSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.slug")
    category_name = serializers.CharField(source="category.label")
    amount = serializers.DecimalField(source="required", help_text="What the category asks.", **MONEY)
    met = serializers.BooleanField(help_text="Whether the deposit holds it.")


class DeductionSerializer(serializers.Serializer):
    order = serializers.CharField(source="dispute.order.number")
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(help_text="Staff's reason, as they wrote it.")
    created_at = serializers.DateTimeField()


class DepositSerializer(serializers.Serializer):
    held = serializers.DecimalField(**MONEY)
    requirements = RequirementSerializer(many=True)
    deductions = DeductionSerializer(many=True)


class DepositPaySerializer(serializers.Serializer):
    amount = serializers.CharField(max_length=40, help_text="From your wallet, e.g. 500.00.")
    request_key = serializers.CharField(
        max_length=60, help_text="Yours to choose: a retry with the same key pays once."
    )


class DecideSerializer(serializers.Serializer):
    verify = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class DeductSerializer(serializers.Serializer):
    dispute = serializers.IntegerField(help_text="A dispute on the store's sale, decided for the buyer.")
    amount = serializers.CharField(max_length=40)
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class RequirementRowSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    level = serializers.SlugRelatedField(slug_field="code", queryset=Level.objects.all())
    amount = serializers.CharField(
        max_length=40, allow_blank=True, help_text="Empty removes the requirement."
    )


class RequirementOutSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.slug")
    level = serializers.CharField(source="level.code")
    amount = serializers.DecimalField(**MONEY)


def _own(request: Request) -> Store:
    store = selectors.store_of(user=api_user(request))
    if store is None:
        raise Http404(_("You have no store yet."))
    return store


def _deposit(store: Store) -> dict:
    held = selectors.deposit_held(user_id=store.owner_id)
    return {
        "held": held,
        "requirements": selectors.requirements_for(store=store, held=held),
        "deductions": selectors.deductions_of(store=store),
    }


class OwnStoreView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)

    @extend_schema(
        operation_id="store_retrieve",
        summary="Your store",
        responses={200: OwnStoreSerializer, 404: NO_STORE},
        tags=["stores"],
    )
    def get(self, request: Request) -> Response:
        return Response(OwnStoreSerializer(_own(request)).data)

    @extend_schema(
        operation_id="store_apply",
        summary="Open a store with the trader's details, or apply again after a rejection",
        description="`already_applied` while a store waits, is verified or is closed; `name_taken`, or the "
        "detail at fault. The logo is sent on the store's page.",
        request=StoreDetailsSerializer,
        responses={201: OwnStoreSerializer, 400: REFUSED},
        tags=["stores"],
    )
    def post(self, request: Request) -> Response:
        form = StoreDetailsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        store = stores.store_apply(owner=api_user(request), **form.validated_data)
        return Response(OwnStoreSerializer(store).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="store_update",
        summary="Change your store",
        description="New trader details send a verified store back to Reloop for verification.",
        request=StoreDetailsSerializer(partial=True),
        responses={200: OwnStoreSerializer, 400: REFUSED, 404: NO_STORE},
        tags=["stores"],
    )
    def patch(self, request: Request) -> Response:
        _own(request)
        form = StoreDetailsSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        changes = {name: value for name, value in form.validated_data.items() if name in request.data}
        return Response(OwnStoreSerializer(stores.store_update(owner=api_user(request), **changes)).data)


class CloseStoreView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)

    @extend_schema(
        operation_id="store_close",
        summary="Close your store; what is left of the deposit comes back after the tail",
        request=None,
        responses={200: OwnStoreSerializer, 400: REFUSED, 404: NO_STORE},
        tags=["stores"],
    )
    def post(self, request: Request) -> Response:
        _own(request)
        return Response(OwnStoreSerializer(stores.store_close(owner=api_user(request))).data)


class DepositView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)

    @extend_schema(
        operation_id="store_deposit_retrieve",
        summary="What your store's deposit holds, what each category asks, and what cases took",
        responses={200: DepositSerializer, 404: NO_STORE},
        tags=["stores"],
    )
    def get(self, request: Request) -> Response:
        return Response(DepositSerializer(_deposit(_own(request))).data)

    @extend_schema(
        operation_id="store_deposit_pay",
        summary="Pay into your store's deposit from your wallet",
        description="`insufficient_funds` for more than the wallet holds; `amount`, `amount_above_max`, "
        "`store_closed`. The categories the deposit now covers are freed at once.",
        request=DepositPaySerializer,
        responses={200: DepositSerializer, 400: REFUSED, 404: NO_STORE},
        tags=["stores"],
    )
    def post(self, request: Request) -> Response:
        store = _own(request)
        form = DepositPaySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deposits.deposit_pay(owner=api_user(request), **form.validated_data)
        return Response(DepositSerializer(_deposit(store)).data)


class PublicStoreView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (AllowAny,)

    @extend_schema(
        operation_id="stores_retrieve",
        summary="A store as shoppers see it, with the trader's details",
        responses={200: StoreSerializer, 404: OpenApiResponse(description="No such store.")},
        tags=["stores"],
    )
    def get(self, request: Request, slug: str) -> Response:
        try:
            return Response(StoreSerializer(selectors.store_for_page(slug=slug)).data)
        except Store.DoesNotExist:
            raise Http404(_("No such store.")) from None


class StaffStoreListView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_stores_list",
        summary="Stores, oldest application first; `status` narrows them",
        parameters=[OpenApiParameter("status", str, enum=StoreStatus.values)],
        responses={200: StaffStoreSerializer(many=True), 400: REFUSED, 403: OpenApiResponse()},
        tags=["stores"],
    )
    def get(self, request: Request) -> Response:
        rows = Store.objects.select_related("owner", "level").order_by("created_at", "id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in StoreStatus.values:
                raise serializers.ValidationError(
                    {"status": [_("Choose one of: %s.") % ", ".join(StoreStatus.values)]}
                )
            rows = rows.filter(status=wanted)
        return Response(StaffStoreSerializer(rows[:200], many=True).data)


def _staff_store(pk: int) -> Store:
    try:
        return selectors.store_for_staff(store_id=pk)
    except Store.DoesNotExist:
        raise Http404(_("No such store.")) from None


class StaffDecideView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_stores_decide",
        summary="Verify a store's trader details, or reject them with the reason",
        request=DecideSerializer,
        responses={200: StaffStoreSerializer, 400: REFUSED, 403: OpenApiResponse(), 404: OpenApiResponse()},
        tags=["stores"],
    )
    def post(self, request: Request, pk: int) -> Response:
        store = _staff_store(pk)
        form = DecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decided = stores.store_decide(store_id=store.pk, by=api_user(request), **form.validated_data)
        return Response(StaffStoreSerializer(decided).data)


class StaffDeductView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_stores_deduct",
        summary="Pay the buyer of a dispute decided against the store from its deposit",
        description="`no_decided_case` unless the dispute is resolved for the buyer; `case_not_this_store`, "
        "`already_deducted`, `amount_above_max` (above the item's price), `above_deposit`, `reason`.",
        request=DeductSerializer,
        responses={201: DeductionSerializer, 400: REFUSED, 403: OpenApiResponse(), 404: OpenApiResponse()},
        tags=["stores"],
    )
    def post(self, request: Request, pk: int) -> Response:
        store = _staff_store(pk)
        form = DeductSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deduction = deposits.deposit_deduct(
            store_id=store.pk,
            dispute_id=form.validated_data["dispute"],
            amount=form.validated_data["amount"],
            reason=form.validated_data["reason"],
            by=api_user(request),
        )
        return Response(DeductionSerializer(deduction).data, status=status.HTTP_201_CREATED)


class StaffRequirementsView(LocalizedAPIView):
    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated, PlatformOperations)

    @extend_schema(
        operation_id="staff_deposit_requirements_list",
        summary="The deposit each category asks of a store at each level",
        responses={200: RequirementOutSerializer(many=True), 403: OpenApiResponse()},
        tags=["stores"],
    )
    def get(self, request: Request) -> Response:
        rows = DepositRequirement.objects.select_related("category", "level").order_by(
            "category__position", "category__name", "level__rank"
        )
        return Response(RequirementOutSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="staff_deposit_requirements_set",
        summary="Set (or, with an empty amount, remove) what a category asks of a level",
        description="Verified stores at the level are held or freed at once.",
        request=RequirementRowSerializer,
        responses={200: RequirementOutSerializer(many=True), 400: REFUSED, 403: OpenApiResponse()},
        tags=["stores"],
    )
    def put(self, request: Request) -> Response:
        form = RequirementRowSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deposits.deposit_requirement_set(
            category_id=form.validated_data["category"].pk,
            level_id=form.validated_data["level"].pk,
            amount=form.validated_data["amount"],
            by=api_user(request),
        )
        return self.get(request)

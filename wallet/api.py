"""The wallet API: a user's balance and statement, their withdrawals, and operations' approval queue.

Every endpoint needs a signed-in user (session or token; 401 otherwise). A user reads only their own
wallet and withdrawals: anyone else's withdrawal answers 404 exactly as a missing one does. The staff
endpoints need the operations role (403 otherwise).

A withdrawal is requested with a `request_key` the client chooses for one press of "withdraw": the same
key again answers 200 with the first withdrawal and moves no money; a new one answers 201.
Bad input answers 400 with `code`, `detail` and the message under the field to fix.
"""

from collections.abc import Sequence

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from accounts.roles import OPERATIONS, is_platform_role
from marketplace.api import LocalizedAPIView
from marketplace.pagination import page_data, page_link, page_serializer
from wallet.models import Cause, Withdrawal, WithdrawalStatus
from wallet.selectors import (
    wallet_entries,
    wallet_summary,
    withdrawal_for_user,
    withdrawals_awaiting_approval,
    withdrawals_for_user,
)
from wallet.services.withdrawals import withdrawal_approve, withdrawal_reject, withdrawal_request

ENTRIES_PER_PAGE = 25
WITHDRAWALS_PER_PAGE = 20
QUEUE_SIZE = 100


# --- Serializers ------------------------------------------------------------------------------------


class WalletErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class CursorQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=500, help_text="A page's cursor, from `next`.")


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Signed: money in is positive, money out negative."
    )
    balance_after = serializers.DecimalField(max_digits=14, decimal_places=2)
    cause = serializers.ChoiceField(choices=Cause.choices, source="transaction.cause")
    words = serializers.CharField(help_text="The cause in words, in the language asked for.")
    reference = serializers.CharField(source="transaction.reference", help_text="An order number or W<id>.")
    created_at = serializers.DateTimeField()


class WalletSerializer(serializers.Serializer):
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    held = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="In withdrawals not yet paid out; not in the balance."
    )
    currency = serializers.CharField()
    entries = EntrySerializer(many=True, help_text="A page of the statement, newest first.")
    next_cursor = serializers.CharField(allow_null=True, help_text="Pass as `cursor` for older entries.")
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="The previous (newer) page, or null.")


class WithdrawalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(source="__str__", help_text='"W" and the id, as statements show it.')
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    destination = serializers.CharField(
        source="destination_masked",
        help_text='The account or card number with all but its last 4 digits hidden: "•••• 6789".',
    )
    status = serializers.ChoiceField(choices=WithdrawalStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StaffWithdrawalSerializer(WithdrawalSerializer):
    user_id = serializers.IntegerField()
    user_name = serializers.CharField(source="user.public_name")


class WithdrawalCreateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="More than zero, in cents.")
    destination = serializers.CharField(
        max_length=40, help_text="The account or card number: 8 to 30 digits."
    )
    request_key = serializers.CharField(
        max_length=64, help_text="Chosen by the client for one withdrawal; the same key again replays it."
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, help_text="Why the withdrawal is refused; the user sees it."
    )


WithdrawalPageSerializer = page_serializer(WithdrawalSerializer, name="WithdrawalPage")

NOT_FOUND = OpenApiResponse(description="No such withdrawal among yours.")
DOMAIN_ERROR = OpenApiResponse(WalletErrorSerializer, description="A domain error with its `code`.")
BAD_INPUT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Field errors `{field: [messages]}`; errors found by the service also carry `code` and "
    '`detail`, e.g. `{"code": "insufficient_funds", "detail": "…", "amount": ["…"]}`.',
)
NOT_OPERATIONS = OpenApiResponse(description="Only the operations role may do this.")
NOT_WAITING = OpenApiResponse(
    WalletErrorSerializer, description="`invalid_transition`: not waiting for approval."
)


def _cursor(request: Request) -> str | None:
    query = CursorQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("cursor")


# --- Views ------------------------------------------------------------------------------------------


class IsOperations(BasePermission):
    """Reloop's own operations staff: a partner provider's staff approve no payout."""

    message = gettext_lazy("Only operations staff may do this.")

    def has_permission(self, request, view) -> bool:
        return is_platform_role(request.user, OPERATIONS)


class WalletAPIView(LocalizedAPIView):
    """Signed-in users only; answers in the language the client asks for."""

    permission_classes: Sequence[type[BasePermission]] = (IsAuthenticated,)


class WalletView(WalletAPIView):
    @extend_schema(
        operation_id="wallet_retrieve",
        summary="Your balance and a page of your statement",
        parameters=[CursorQuerySerializer],
        responses={200: WalletSerializer, 400: DOMAIN_ERROR},
        tags=["wallet"],
    )
    def get(self, request: Request) -> Response:
        page = wallet_entries(api_user(request), cursor=_cursor(request), size=ENTRIES_PER_PAGE)
        summary = wallet_summary(api_user(request))
        data = {
            "balance": summary.balance,
            "held": summary.held,
            "currency": summary.currency,
            "entries": page.items,
            "next_cursor": page.next_cursor,
            "next": page_link(request, page.next_cursor),
            "previous": page_link(request, page.previous_cursor),
        }
        return Response(WalletSerializer(data).data)


class WithdrawalListView(WalletAPIView):
    @extend_schema(
        operation_id="wallet_withdrawals_list",
        summary="Your withdrawals, newest first",
        parameters=[CursorQuerySerializer],
        responses={200: WithdrawalPageSerializer, 400: DOMAIN_ERROR},
        tags=["wallet"],
    )
    def get(self, request: Request) -> Response:
        page = withdrawals_for_user(api_user(request), cursor=_cursor(request), size=WITHDRAWALS_PER_PAGE)
        return Response(page_data(page, request=request, serializer_class=WithdrawalSerializer))

    @extend_schema(
        operation_id="wallet_withdrawals_create",
        summary="Withdraw money from your wallet",
        description="The amount is held at once. Amounts up to the approval threshold are paid out by a "
        "job; larger ones wait for operations (`requested`). The same `request_key` again answers 200 "
        "with the first withdrawal and moves nothing.",
        request=WithdrawalCreateSerializer,
        responses={201: WithdrawalSerializer, 200: WithdrawalSerializer, 400: BAD_INPUT},
        tags=["wallet"],
    )
    def post(self, request: Request) -> Response:
        form = WithdrawalCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        withdrawal = withdrawal_request(user=api_user(request), **form.validated_data)
        return Response(
            WithdrawalSerializer(withdrawal).data,
            status=status.HTTP_201_CREATED if withdrawal.created else status.HTTP_200_OK,
        )


class WithdrawalDetailView(WalletAPIView):
    @extend_schema(
        operation_id="wallet_withdrawals_retrieve",
        summary="One of your withdrawals",
        responses={200: WithdrawalSerializer, 404: NOT_FOUND},
        tags=["wallet"],
    )
    def get(self, request: Request, withdrawal_id: int) -> Response:
        withdrawal = withdrawal_for_user(api_user(request), withdrawal_id)
        if withdrawal is None:
            raise Http404
        return Response(WithdrawalSerializer(withdrawal).data)


class StaffWithdrawalListView(WalletAPIView):
    permission_classes = (IsAuthenticated, IsOperations)

    @extend_schema(
        operation_id="staff_withdrawals_list",
        summary="Withdrawals waiting for approval, oldest first",
        responses={200: StaffWithdrawalSerializer(many=True), 403: NOT_OPERATIONS},
        tags=["wallet"],
    )
    def get(self, request: Request) -> Response:
        withdrawals = withdrawals_awaiting_approval(limit=QUEUE_SIZE)
        return Response(StaffWithdrawalSerializer(withdrawals, many=True).data)


class StaffWithdrawalActionView(WalletAPIView):
    permission_classes = (IsAuthenticated, IsOperations)

    def waiting(self, withdrawal_id: int) -> int:
        if not Withdrawal.objects.filter(pk=withdrawal_id).exists():
            raise Http404
        return withdrawal_id

    def answer(self, withdrawal: Withdrawal) -> Response:
        withdrawal = Withdrawal.objects.select_related("user").get(pk=withdrawal.pk)
        return Response(StaffWithdrawalSerializer(withdrawal).data)


class StaffWithdrawalApproveView(StaffWithdrawalActionView):
    @extend_schema(
        operation_id="staff_withdrawals_approve",
        summary="Approve a withdrawal; the payout job pays it",
        request=None,
        responses={200: StaffWithdrawalSerializer, 403: NOT_OPERATIONS, 404: NOT_FOUND, 409: NOT_WAITING},
        tags=["wallet"],
    )
    def post(self, request: Request, withdrawal_id: int) -> Response:
        withdrawal = withdrawal_approve(withdrawal_id=self.waiting(withdrawal_id), by=api_user(request))
        return self.answer(withdrawal)


class StaffWithdrawalRejectView(StaffWithdrawalActionView):
    @extend_schema(
        operation_id="staff_withdrawals_reject",
        summary="Refuse a withdrawal, saying why; the money goes back to the wallet",
        request=RejectSerializer,
        responses={
            200: StaffWithdrawalSerializer,
            400: BAD_INPUT,
            403: NOT_OPERATIONS,
            404: NOT_FOUND,
            409: NOT_WAITING,
        },
        tags=["wallet"],
    )
    def post(self, request: Request, withdrawal_id: int) -> Response:
        withdrawal_id = self.waiting(withdrawal_id)
        form = RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        withdrawal = withdrawal_reject(
            withdrawal_id=withdrawal_id, by=api_user(request), reason=form.validated_data["reason"]
        )
        return self.answer(withdrawal)

"""The seller's answers to a final offer through the API: take the cash, or decline and get the item
back. Consigning is the consignment app's endpoint. Someone else's submission answers 404; an offer
that expired or was answered already answers 400 with its `code` (`offer_expired`,
`already_accepted`, `already_declined`, …) and moves no money."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.http import api_user
from recycling.api.serializers import SubmissionDetailSerializer
from recycling.api.submissions import DOMAIN_ERROR, NOT_FOUND, SubmissionAPIView
from recycling.services.offers import offer_accept_recycle, offer_decline


class OfferRecycleView(SubmissionAPIView):
    @extend_schema(
        operation_id="submissions_offer_recycle",
        summary="Take the cash offer",
        description="The payout to your wallet follows in the background: the submission becomes "
        "`recycle_accepted`, then `paid`.",
        request=None,
        responses={200: SubmissionDetailSerializer, 400: DOMAIN_ERROR, 404: NOT_FOUND},
        tags=["recycling"],
    )
    def post(self, request: Request, submission_id: int) -> Response:
        submission_id = self.own_submission_id(submission_id)
        offer_accept_recycle(submission_id=submission_id, seller=api_user(request))
        return self.render_submission(submission_id)


class OfferDeclineView(SubmissionAPIView):
    @extend_schema(
        operation_id="submissions_offer_decline",
        summary="Decline the offer and get the item back free",
        description="The submission becomes `declined`, then `returning` once the return label is booked.",
        request=None,
        responses={200: SubmissionDetailSerializer, 400: DOMAIN_ERROR, 404: NOT_FOUND},
        tags=["recycling"],
    )
    def post(self, request: Request, submission_id: int) -> Response:
        submission_id = self.own_submission_id(submission_id)
        offer_decline(submission_id=submission_id, seller=api_user(request))
        return self.render_submission(submission_id)

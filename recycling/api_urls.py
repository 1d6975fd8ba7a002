"""/api/v1/: a seller's submissions (recycle and consignment)."""

from django.urls import path

from recycling.api import offers, routing, submissions

app_name = "recycling_api"

urlpatterns = [
    path("staff/routing-rules/", routing.RoutingRuleListView.as_view(), name="staff-routing-rules"),
    path("shipping/pickup-slots/", submissions.PickupSlotListView.as_view(), name="pickup-slots"),
    path("submissions/", submissions.SubmissionListView.as_view(), name="submissions"),
    path("submissions/<int:submission_id>/", submissions.SubmissionDetailView.as_view(), name="submission"),
    path(
        "submissions/<int:submission_id>/shipping/",
        submissions.SubmissionShippingView.as_view(),
        name="submission-shipping",
    ),
    path(
        "submissions/<int:submission_id>/cancel/",
        submissions.SubmissionCancelView.as_view(),
        name="submission-cancel",
    ),
    path(
        "submissions/<int:submission_id>/offer/recycle/",
        offers.OfferRecycleView.as_view(),
        name="submission-offer-recycle",
    ),
    path(
        "submissions/<int:submission_id>/offer/decline/",
        offers.OfferDeclineView.as_view(),
        name="submission-offer-decline",
    ),
]

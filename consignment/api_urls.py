"""/api/v1/: the seller's consignment of a submission."""

from django.urls import path

from consignment import api

app_name = "consignment_api"

urlpatterns = [
    path(
        "submissions/<int:submission_id>/offer/consign/",
        api.ConsignView.as_view(),
        name="submission-offer-consign",
    ),
    path("submissions/<int:submission_id>/money/", api.MoneyView.as_view(), name="submission-money"),
]

"""/api/v1/: the signed-in user's store and its deposit, a store's public details, the stores desk;
account health with violation points and appeals, and the violations desk."""

from django.urls import path

from trust import api, api_violations

app_name = "trust_api"

urlpatterns = [
    path("store/", api.OwnStoreView.as_view(), name="store"),
    path("store/close/", api.CloseStoreView.as_view(), name="store-close"),
    path("store/deposit/", api.DepositView.as_view(), name="store-deposit"),
    path("stores/<slug:slug>/", api.PublicStoreView.as_view(), name="stores-detail"),
    path("staff/stores/", api.StaffStoreListView.as_view(), name="staff-stores"),
    path("staff/stores/<int:pk>/decide/", api.StaffDecideView.as_view(), name="staff-stores-decide"),
    path("staff/stores/<int:pk>/deductions/", api.StaffDeductView.as_view(), name="staff-stores-deduct"),
    path(
        "staff/deposit-requirements/", api.StaffRequirementsView.as_view(), name="staff-deposit-requirements"
    ),
    path("account-health/", api_violations.HealthView.as_view(), name="account-health"),
    path("violations/<int:pk>/appeal/", api_violations.AppealView.as_view(), name="violations-appeal"),
    path("staff/violations/", api_violations.StaffViolationsView.as_view(), name="staff-violations"),
    path(
        "staff/appeals/<int:pk>/decide/",
        api_violations.StaffAppealDecideView.as_view(),
        name="staff-appeals-decide",
    ),
    path("staff/thresholds/", api_violations.StaffThresholdsView.as_view(), name="staff-thresholds"),
]

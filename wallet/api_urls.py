"""/api/v1/: the wallet, withdrawals, and operations' approval of large withdrawals."""

from django.urls import path

from wallet import api

app_name = "wallet_api"

urlpatterns = [
    path("wallet/", api.WalletView.as_view(), name="wallet"),
    path("wallet/withdrawals/", api.WithdrawalListView.as_view(), name="withdrawals"),
    path("wallet/withdrawals/<int:withdrawal_id>/", api.WithdrawalDetailView.as_view(), name="withdrawal"),
    path("staff/withdrawals/", api.StaffWithdrawalListView.as_view(), name="staff-withdrawals"),
    path(
        "staff/withdrawals/<int:withdrawal_id>/approve/",
        api.StaffWithdrawalApproveView.as_view(),
        name="staff-withdrawal-approve",
    ),
    path(
        "staff/withdrawals/<int:withdrawal_id>/reject/",
        api.StaffWithdrawalRejectView.as_view(),
        name="staff-withdrawal-reject",
    ),
]

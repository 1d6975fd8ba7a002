"""/staff/payouts/: operations approve or refuse large withdrawals."""

from django.urls import path

from wallet import views

app_name = "wallet_staff"

urlpatterns = [
    path("", views.staff_queue, name="queue"),
    path("<int:withdrawal_id>/approve/", views.staff_approve, name="approve"),
    path("<int:withdrawal_id>/reject/", views.staff_reject, name="reject"),
]

from django.urls import path

from trust import health_views, views

app_name = "trust"

urlpatterns = [
    path("stores/open/", views.apply, name="apply"),
    path("stores/<slug:slug>/", views.store_page, name="store"),
    path("my-store/", views.manage, name="manage"),
    path("my-store/edit/", views.edit, name="edit"),
    path("my-store/deposit/", views.deposit_pay, name="deposit_pay"),
    path("my-store/close/", views.close, name="close"),
    path("account-health/", health_views.health, name="health"),
    path("account-health/violations/<int:pk>/appeal/", health_views.appeal, name="appeal"),
    path("staff/violations/", health_views.desk, name="violations"),
    path("staff/violations/appeals/<int:pk>/decide/", health_views.appeal_decide, name="appeal_decide"),
    path("staff/violations/thresholds/", health_views.threshold, name="threshold"),
    path("staff/stores/", views.staff_desk, name="staff"),
    path("staff/stores/requirements/", views.staff_requirement, name="staff_requirement"),
    path("staff/stores/<int:pk>/", views.staff_store, name="staff_store"),
    path("staff/stores/<int:pk>/decide/", views.staff_decide, name="staff_decide"),
]

from django.urls import path

from trust import views

app_name = "trust"

urlpatterns = [
    path("stores/open/", views.apply, name="apply"),
    path("stores/<slug:slug>/", views.store_page, name="store"),
    path("my-store/", views.manage, name="manage"),
    path("my-store/edit/", views.edit, name="edit"),
    path("my-store/deposit/", views.deposit_pay, name="deposit_pay"),
    path("my-store/close/", views.close, name="close"),
    path("staff/stores/", views.staff_desk, name="staff"),
    path("staff/stores/requirements/", views.staff_requirement, name="staff_requirement"),
    path("staff/stores/<int:pk>/", views.staff_store, name="staff_store"),
    path("staff/stores/<int:pk>/decide/", views.staff_decide, name="staff_decide"),
]

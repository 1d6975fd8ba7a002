from django.urls import path  # noqa: F401

app_name = "wallet_staff"

urlpatterns: list = []

"""/api/v1/: the signed-in user's address book."""

from django.urls import path

from accounts import api

app_name = "accounts_api"

urlpatterns = [
    path("addresses/", api.AddressListView.as_view(), name="addresses"),
    path("addresses/<int:address_id>/", api.AddressDetailView.as_view(), name="address"),
    path("addresses/<int:address_id>/default/", api.AddressDefaultView.as_view(), name="address-default"),
]

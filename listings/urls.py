from django.urls import path

from listings.views import browse

app_name = "listings"

urlpatterns = [
    path("", browse.home, name="home"),
    path("c/<slug:slug>/", browse.category, name="category"),
    path("search/", browse.search, name="search"),
    path("l/<int:pk>/", browse.detail, name="detail"),
    path("l/<int:pk>/favourite/", browse.favourite_toggle, name="favourite_toggle"),
    path("u/<str:username>/", browse.storefront, name="storefront"),
    path("favourites/", browse.favourites, name="favourites"),
]
